package io.wenzhen.protocols.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.wenzhen.protocols.MalformedPacketException;

class SrtpTest {

    static final HexFormat HEX = HexFormat.of();
    /** RFC 3711 Appendix B.3 (and libsrtp's test driver). */
    static final byte[] MASTER_KEY = HEX.parseHex("e1f97a0d3e018be0d64fa32c06de4139");
    static final byte[] MASTER_SALT = HEX.parseHex("0ec675ad498afeebb6960b3aabe6");

    @Test
    void derivesTheRfc3711SessionKeys() {
        SrtpKeys keys = SrtpKeys.forRtp(MASTER_KEY, MASTER_SALT);
        assertArrayEquals(HEX.parseHex("c61e7a93744f39ee10734afe3ff7a087"), keys.cipherKey());
        assertArrayEquals(HEX.parseHex("30cbbc08863d8c85d49db34a9ae1"), keys.salt());
        assertArrayEquals(HEX.parseHex("cebe321f6ff7716b6fd4ab49af256a156d38baa4"), keys.authKey());
    }

    @Test
    void producesTheRfc3711CounterModeKeystream() {
        // RFC 3711 Appendix B.2
        byte[] stream = SrtpKeys.keystream(HEX.parseHex("2b7e151628aed2a6abf7158809cf4f3c"),
                HEX.parseHex("f0f1f2f3f4f5f6f7f8f9fafbfcfd0000"), 48);
        assertArrayEquals(HEX.parseHex("e03ead0935c95e80e166b16dd92b4eb4d23513162b02d0f72a43a2fe4a5f97ab"
                + "41e95b3bb0a2e8dd477901e4fca894c0"), stream);
    }

    @Test
    void protectsAnRtpPacketAsLibsrtpDoes() {
        byte[] rtp = HEX.parseHex("800f1234decafbadcafebabe" + "ab".repeat(16));
        byte[] expected = HEX.parseHex("800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc99ea179b8dbb");
        SrtpContext sender = new SrtpContext(SrtpKeys.forRtp(MASTER_KEY, MASTER_SALT));
        assertArrayEquals(expected, sender.protect(rtp, 0, rtp.length));

        SrtpContext receiver = new SrtpContext(SrtpKeys.forRtp(MASTER_KEY, MASTER_SALT));
        assertArrayEquals(rtp, receiver.unprotect(expected, 0, expected.length));
        assertThrows(MalformedPacketException.class, () -> receiver.unprotect(expected, 0, expected.length), "a replay");
        byte[] tampered = expected.clone();
        tampered[20] ^= 1;
        SrtpContext other = new SrtpContext(SrtpKeys.forRtp(MASTER_KEY, MASTER_SALT));
        assertThrows(MalformedPacketException.class, () -> other.unprotect(tampered, 0, tampered.length));
    }

    @Test
    void protectsRtcpWithAnIndexAndTheEncryptedFlag() {
        // src/test/vectors/srtp_vectors.py computes this with Python's cryptography package (RFC 3711 §3.4)
        byte[] rr = HEX.parseHex("81c90007" + "cafebabe" + "11111111" + "00000000" + "00000064" + "00000000" + "00000000"
                + "00000000");
        SrtcpContext sender = new SrtcpContext(SrtpKeys.forRtcp(MASTER_KEY, MASTER_SALT));
        sender.protect(rr, 0, rr.length); // index 0
        byte[] second = sender.protect(rr, 0, rr.length); // index 1
        assertArrayEquals(HEX.parseHex("81c90007cafebabecb92b9e14f2c121615533b8e52dc0e037e44132ac1142d27"
                + "80000001e203a97e526cd69f15ab"), second);
        SrtcpContext receiver = new SrtcpContext(SrtpKeys.forRtcp(MASTER_KEY, MASTER_SALT));
        assertArrayEquals(rr, receiver.unprotect(second, 0, second.length));
        assertThrows(MalformedPacketException.class, () -> receiver.unprotect(second, 0, second.length));
    }

    @Test
    void followsTheSequenceNumberAcrossItsWrapAndAcceptsReordering() {
        SrtpContext sender = new SrtpContext(SrtpKeys.forRtp(MASTER_KEY, MASTER_SALT));
        SrtpContext receiver = new SrtpContext(SrtpKeys.forRtp(MASTER_KEY, MASTER_SALT));
        byte[][] sent = new byte[200][];
        for (int i = 0; i < 200; i++) {
            int sequence = (65500 + i) & 0xFFFF;
            byte[] rtp = HEX.parseHex("8060" + String.format("%04x", sequence) + "00000000" + "01020304" + "cafe");
            sent[i] = sender.protect(rtp, 0, rtp.length);
        }
        // pairs swapped (the network reorders), across 65535 -> 0
        for (int i = 0; i < 198; i += 2) {
            assertEquals(sent[i + 1].length - CmHmacSealer.TAG,
                    receiver.unprotect(sent[i + 1], 0, sent[i + 1].length).length);
            receiver.unprotect(sent[i], 0, sent[i].length);
        }
        byte[] last = sent[199];
        receiver.unprotect(last, 0, last.length);
        // received before: a replay
        assertThrows(MalformedPacketException.class, () -> receiver.unprotect(sent[99], 0, sent[99].length));
    }

    /** A keyframe burst of high-bitrate video arrives reordered: the window is 1,024 packets, not RFC 3711's minimum 64. */
    @Test
    void takesPacketsUpToAThousandLateButNoOlderOnesAndNoReplays() {
        SrtpContext sender = new SrtpContext(SrtpKeys.forRtp(MASTER_KEY, MASTER_SALT));
        SrtpContext receiver = new SrtpContext(SrtpKeys.forRtp(MASTER_KEY, MASTER_SALT));
        byte[][] sent = new byte[1200][];
        for (int i = 0; i < sent.length; i++) {
            byte[] rtp = HEX.parseHex("8060" + String.format("%04x", i + 1) + "00000000" + "01020304" + "cafe");
            sent[i] = sender.protect(rtp, 0, rtp.length);
        }
        for (int i = 0; i < sent.length; i++) {
            if (i != 150 && i != 300) {
                receiver.unprotect(sent[i], 0, sent[i].length);
            }
        }
        receiver.unprotect(sent[300], 0, sent[300].length); // 899 late, never seen: taken
        assertThrows(MalformedPacketException.class, () -> receiver.unprotect(sent[300], 0, sent[300].length), "then a replay");
        assertThrows(MalformedPacketException.class, () -> receiver.unprotect(sent[150], 0, sent[150].length),
                "1,049 late: outside the window");
        assertThrows(MalformedPacketException.class, () -> receiver.unprotect(sent[1000], 0, sent[1000].length), "a replay");
    }

    /** Audio and video share a BUNDLE transport's keys but each SSRC has its own sequence and replay window. */
    @Test
    void keepsEachSsrcsSequenceApart() {
        SrtpContext sender = new SrtpContext(SrtpKeys.forRtp(MASTER_KEY, MASTER_SALT));
        SrtpContext receiver = new SrtpContext(SrtpKeys.forRtp(MASTER_KEY, MASTER_SALT));
        for (int i = 0; i < 100; i++) {
            byte[] audio = HEX.parseHex("806f" + String.format("%04x", (60000 + i) & 0xFFFF) + "0000000000000001" + "aa");
            byte[] video = HEX.parseHex("8066" + String.format("%04x", 10 + i) + "0000000000000002" + "bb");
            byte[] a = sender.protect(audio, 0, audio.length);
            byte[] v = sender.protect(video, 0, video.length);
            assertArrayEquals(audio, receiver.unprotect(a, 0, a.length));
            assertArrayEquals(video, receiver.unprotect(v, 0, v.length));
        }
    }

    @Test
    void fuzzedPacketsOnlyEverFailAsMalformed() {
        SrtpContext sender = new SrtpContext(SrtpKeys.forRtp(MASTER_KEY, MASTER_SALT));
        byte[] rtp = HEX.parseHex("800f1234decafbadcafebabe" + "ab".repeat(16));
        byte[] good = sender.protect(rtp, 0, rtp.length);
        Random random = new Random(3711);
        for (int i = 0; i < 50_000; i++) {
            SrtpContext receiver = new SrtpContext(SrtpKeys.forRtp(MASTER_KEY, MASTER_SALT));
            byte[] data = good.clone();
            data[random.nextInt(data.length)] ^= (byte) (1 + random.nextInt(255));
            int length = random.nextInt(5) == 0 ? random.nextInt(data.length + 1) : data.length;
            try {
                receiver.unprotect(data, 0, length);
                fail("a changed packet must not authenticate: " + i);
            } catch (MalformedPacketException expected) {
                // refused
            } catch (RuntimeException e) {
                fail("input " + i + " threw " + e);
            }
        }
    }
}
