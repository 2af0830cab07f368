package io.wenzhen.protocols.pipe;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.wenzhen.protocols.MalformedPacketException;
import io.wenzhen.protocols.srtp.ReplayWindow;

/**
 * One end of a media pipe's datagrams: a plain RTP or RTCP packet sealed with AES-128-GCM (the JCA's),
 * authenticated together with its header.
 * <pre>
 *  0      1      2 .. 5     6 .. 13         14 ..              last 16
 *  0x50   v=1    pipe id    counter (BE)    ciphertext         GCM tag
 * </pre>
 * The first byte (80) lies outside the ranges RFC 7983 gives STUN, DTLS, TURN and RTP, so no pipe
 * datagram reads as any of them. The nonce is the sender's 4-byte prefix and the 8-byte counter, which
 * the sender counts up from 1 and never repeats; the receiver refuses a counter it has seen or that is
 * more than a window behind (a replay). Not thread-safe: each direction is used by one thread at a time.
 */
public final class PipeCipher {

    public static final byte MAGIC = 0x50;
    public static final byte VERSION = 1;
    public static final int HEADER = 14;
    public static final int TAG = 16;
    public static final int OVERHEAD = HEADER + TAG;

    private final long pipeId;
    private final SecretKeySpec key;
    private final byte[] sendPrefix;
    private final byte[] receivePrefix;
    private final Cipher sealer;
    private final Cipher opener;
    private final ReplayWindow replay = new ReplayWindow();
    private long sent;

    /** @param offerer whether this end offered the pipe (its nonce prefix is the offerer's) */
    public PipeCipher(long pipeId, PipeKeys keys, boolean offerer) {
        this.pipeId = pipeId;
        this.key = new SecretKeySpec(keys.key(), "AES");
        this.sendPrefix = (offerer ? keys.offererPrefix() : keys.answererPrefix()).clone();
        this.receivePrefix = (offerer ? keys.answererPrefix() : keys.offererPrefix()).clone();
        try {
            this.sealer = Cipher.getInstance("AES/GCM/NoPadding");
            this.opener = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is not available", e);
        }
    }

    /** The pipe id of a datagram (to find its pipe before opening it), or -1 when it is no pipe datagram. */
    public static long pipeIdOf(byte[] datagram, int length) {
        if (length < OVERHEAD || datagram[0] != MAGIC || datagram[1] != VERSION) {
            return -1;
        }
        return ((datagram[2] & 0xFFL) << 24) | ((datagram[3] & 0xFFL) << 16) | ((datagram[4] & 0xFFL) << 8) | (datagram[5] & 0xFFL);
    }

    /** A packet sealed for the other end. */
    public synchronized byte[] seal(byte[] packet, int offset, int length) {
        long counter = ++sent;
        byte[] out = new byte[HEADER + length + TAG];
        ByteBuffer header = ByteBuffer.wrap(out, 0, HEADER);
        header.put(MAGIC).put(VERSION).putInt((int) pipeId).putLong(counter);
        try {
            sealer.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG * 8, nonce(sendPrefix, counter)));
            sealer.updateAAD(out, 0, HEADER);
            sealer.doFinal(packet, offset, length, out, HEADER);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing a pipe datagram", e);
        }
        return out;
    }

    /**
     * The packet inside a datagram from the other end.
     *
     * @throws MalformedPacketException when it is not this pipe's, does not authenticate, or is a replay
     */
    public synchronized byte[] open(byte[] datagram, int length) {
        if (pipeIdOf(datagram, length) != pipeId) {
            throw new MalformedPacketException("not a datagram of pipe " + pipeId);
        }
        long counter = ByteBuffer.wrap(datagram, 6, 8).getLong();
        if (counter <= 0 || !replay.fresh(counter)) {
            throw new MalformedPacketException("pipe datagram replayed or too old");
        }
        byte[] plain;
        try {
            opener.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG * 8, nonce(receivePrefix, counter)));
            opener.updateAAD(datagram, 0, HEADER);
            plain = opener.doFinal(datagram, HEADER, length - HEADER);
        } catch (AEADBadTagException e) {
            throw new MalformedPacketException("pipe datagram does not authenticate");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("opening a pipe datagram", e);
        }
        replay.accept(counter);
        return plain;
    }

    private static byte[] nonce(byte[] prefix, long counter) {
        return ByteBuffer.allocate(12).put(prefix).putLong(counter).array();
    }
}
