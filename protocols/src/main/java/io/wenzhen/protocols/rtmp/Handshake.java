package io.wenzhen.protocols.rtmp;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.wenzhen.protocols.MalformedPacketException;

/**
 * The server side of the RTMP handshake: C0+C1 in, S0+S1+S2 out (C2 is read and ignored).
 * Two forms exist. The simple one of the published specification echoes C1 as S2. Flash Player 9
 * and later clients (and FFmpeg, and mobile live-streaming SDKs that copied them) put an HMAC-SHA256
 * digest into C1 and, when playing, check for one in S1/S2: for those the gateway answers in kind,
 * with the well-known key strings both sides use. Which form: whether C1 carries a valid digest.
 */
public final class Handshake {

    public static final int VERSION = 3;
    public static final int PACKET = 1536;
    private static final int DIGEST = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The 32 bytes that follow both well-known key strings (public constants of the Flash handshake). */
    private static final byte[] KEY_TAIL = {
            (byte) 0xF0, (byte) 0xEE, (byte) 0xC2, (byte) 0x4A, (byte) 0x80, (byte) 0x68, (byte) 0xBE, (byte) 0xE8,
            (byte) 0x2E, (byte) 0x00, (byte) 0xD0, (byte) 0xD1, (byte) 0x02, (byte) 0x9E, (byte) 0x7E, (byte) 0x57,
            (byte) 0x6E, (byte) 0xEC, (byte) 0x5D, (byte) 0x2D, (byte) 0x29, (byte) 0x80, (byte) 0x6F, (byte) 0xAB,
            (byte) 0x93, (byte) 0xB8, (byte) 0xE6, (byte) 0x36, (byte) 0xCF, (byte) 0xEB, (byte) 0x31, (byte) 0xAE};
    static final byte[] PLAYER_KEY = concat("Genuine Adobe Flash Player 001".getBytes(), KEY_TAIL);
    static final byte[] SERVER_KEY = concat("Genuine Adobe Flash Media Server 001".getBytes(), KEY_TAIL);
    /** The version a digest-speaking server announces in S1 (clients check it is at least 3.0.0.0). */
    private static final byte[] SERVER_VERSION = {4, 5, 0, 1};

    private Handshake() {
    }

    /** Whether the answer used the digest form (for the log). */
    public record Response(byte[] s0s1s2, boolean digest) {
    }

    /** The answer to C0+C1 ({@code 1 + 1536} bytes). */
    public static Response respond(byte[] c0c1) {
        if (c0c1.length != 1 + PACKET) {
            throw new MalformedPacketException("RTMP handshake: C0+C1 of " + c0c1.length + " bytes");
        }
        if (c0c1[0] != VERSION) {
            throw new MalformedPacketException("RTMP handshake: version " + (c0c1[0] & 0xFF) + ", only 3 is RTMP");
        }
        byte[] c1 = Arrays.copyOfRange(c0c1, 1, 1 + PACKET);
        byte[] out = new byte[1 + 2 * PACKET];
        out[0] = VERSION;
        int clientBase = digestBase(c1);
        if (clientBase < 0) {
            // simple: S1 = time, zero, random; S2 = C1 echoed
            byte[] s1 = new byte[PACKET];
            RANDOM.nextBytes(s1);
            Arrays.fill(s1, 0, 8, (byte) 0);
            System.arraycopy(s1, 0, out, 1, PACKET);
            System.arraycopy(c1, 0, out, 1 + PACKET, PACKET);
            return new Response(out, false);
        }
        byte[] s1 = new byte[PACKET];
        RANDOM.nextBytes(s1);
        Arrays.fill(s1, 0, 4, (byte) 0);
        System.arraycopy(SERVER_VERSION, 0, s1, 4, 4);
        int serverOffset = digestOffset(s1, clientBase);
        byte[] serverDigest = hmac(Arrays.copyOf(SERVER_KEY, 36), without(s1, serverOffset));
        System.arraycopy(serverDigest, 0, s1, serverOffset, DIGEST);
        byte[] clientDigest = Arrays.copyOfRange(c1, digestOffset(c1, clientBase), digestOffset(c1, clientBase) + DIGEST);
        byte[] s2 = new byte[PACKET];
        RANDOM.nextBytes(s2);
        byte[] signature = hmac(hmac(SERVER_KEY, clientDigest), Arrays.copyOf(s2, PACKET - DIGEST));
        System.arraycopy(signature, 0, s2, PACKET - DIGEST, DIGEST);
        System.arraycopy(s1, 0, out, 1, PACKET);
        System.arraycopy(s2, 0, out, 1 + PACKET, PACKET);
        return new Response(out, true);
    }

    /** The base (772 or 8) of the scheme whose digest in C1 checks out under the player key, or -1. */
    static int digestBase(byte[] c1) {
        byte[] playerKey = Arrays.copyOf(PLAYER_KEY, 30);
        for (int base : new int[] {772, 8}) {
            int offset = digestOffset(c1, base);
            byte[] expected = hmac(playerKey, without(c1, offset));
            if (MessageDigest.isEqual(expected, Arrays.copyOfRange(c1, offset, offset + DIGEST))) {
                return base;
            }
        }
        return -1;
    }

    /** Where the digest sits: four bytes at {@code base} choose an offset within the next 728. */
    static int digestOffset(byte[] packet, int base) {
        int sum = (packet[base] & 0xFF) + (packet[base + 1] & 0xFF) + (packet[base + 2] & 0xFF) + (packet[base + 3] & 0xFF);
        return sum % 728 + base + 4;
    }

    /** The packet without its 32 digest bytes: what the digest is computed over. */
    static byte[] without(byte[] packet, int offset) {
        byte[] rest = new byte[PACKET - DIGEST];
        System.arraycopy(packet, 0, rest, 0, offset);
        System.arraycopy(packet, offset + DIGEST, rest, offset, PACKET - offset - DIGEST);
        return rest;
    }

    static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
