package io.wenzhen.protocols.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import io.wenzhen.protocols.MalformedPacketException;

/** AEAD_AES_128_GCM against RFC 7714's own examples (§16.1.1 for SRTP, §17.1 for SRTCP). */
class SrtpGcmTest {

    static final HexFormat HEX = HexFormat.of();
    /** The RFC's session key and salt (the examples start after key derivation). */
    static final SrtpKeys KEYS = new SrtpKeys(HEX.parseHex("000102030405060708090a0b0c0d0e0f"), new byte[0],
            HEX.parseHex("517569642070726f2071756f"));

    static final byte[] RTP = HEX.parseHex("8040f17b8041f8d35501a0b2"
            + "47616c6c696120657374206f6d6e69732064697669736120696e207061727465732074726573");
    static final byte[] SRTP = HEX.parseHex("8040f17b8041f8d35501a0b2"
            + "f24de3a3fb34de6cacba861c9d7e4bcabe633bd50d294e6f42a5f47a51c7d19b36de3adf8833"
            + "899d7f27beb16a9152cf765ee4390cce");

    static final byte[] RTCP = HEX.parseHex("81c8000d4d6172734e5450314e545032525450200000042a0000e9304c756e61"
            + "deadbeefdeadbeefdeadbeefdeadbeefdeadbeef");
    static final byte[] SRTCP = HEX.parseHex("81c8000d4d617273"
            + "63e94885dcdab67ca727d7662f6b7e997ff5c0f76c06f32dc676a5f1730d6fda4ce09b4686303ded0bb9275b"
            + "c84aa45896cf4d2fc5abf87245d9eade" + "800005d4");

    @Test
    void sealsAndOpensRfc7714sRtpExample() {
        SrtpContext sender = new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, KEYS);
        assertArrayEquals(SRTP, sender.protect(RTP, 0, RTP.length));
        SrtpContext receiver = new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, KEYS);
        assertArrayEquals(RTP, receiver.unprotect(SRTP, 0, SRTP.length));
        assertThrows(MalformedPacketException.class, () -> receiver.unprotect(SRTP, 0, SRTP.length), "a replay");
    }

    @Test
    void sealsAndOpensRfc7714sRtcpExample() {
        SrtcpContext sender = new SrtcpContext(SrtpProfile.AEAD_AES_128_GCM, KEYS);
        for (int i = 0; i < 0x5d4; i++) {
            sender.protect(RTCP, 0, RTCP.length); // the example's index is 0x5d4
        }
        assertArrayEquals(SRTCP, sender.protect(RTCP, 0, RTCP.length));
        assertArrayEquals(RTCP, new SrtcpContext(SrtpProfile.AEAD_AES_128_GCM, KEYS).unprotect(SRTCP, 0, SRTCP.length));
    }

    @Test
    void aTamperedPacketOrHeaderIsRefused() {
        for (int at : new int[] {1, 9, 20, SRTP.length - 1}) { // header (AAD), payload, tag
            byte[] bad = SRTP.clone();
            bad[at] ^= 1;
            assertThrows(MalformedPacketException.class,
                    () -> new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, KEYS).unprotect(bad, 0, bad.length), "byte " + at);
        }
        byte[] badRtcp = SRTCP.clone();
        badRtcp[SRTCP.length - 1] ^= 1; // the index is authenticated too
        assertThrows(MalformedPacketException.class,
                () -> new SrtcpContext(SrtpProfile.AEAD_AES_128_GCM, KEYS).unprotect(badRtcp, 0, badRtcp.length));
    }

    @Test
    void aRetransmissionIsSealedAgainWithItsOwnIv() {
        SrtpContext sender = new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, KEYS);
        byte[] first = sender.protect(RTP, 0, RTP.length);
        assertArrayEquals(first, sender.protect(RTP, 0, RTP.length), "a NACKed packet sent again");
    }

    @Test
    void aRetransmissionFromBeforeTheWrapKeepsItsRolloverCounterAndTheStreamGoesOn() {
        for (SrtpProfile profile : SrtpProfile.values()) {
            SrtpKeys keys = profile == SrtpProfile.AEAD_AES_128_GCM ? KEYS
                    : SrtpKeys.forRtp(HEX.parseHex("e1f97a0d3e018be0d64fa32c06de4139"), HEX.parseHex("0ec675ad498afeebb6960b3a0000"));
            SrtpContext sender = new SrtpContext(profile, keys);
            SrtpContext receiver = new SrtpContext(profile, keys);
            int[] order = {65533, 65534, 65535, 0, 1, 2, 3, 65534, 4, 5}; // 65534 sent again after the wrap (a NACK)
            for (int i = 0; i < order.length; i++) {
                byte[] rtp = RTP.clone();
                rtp[2] = (byte) (order[i] >> 8);
                rtp[3] = (byte) order[i];
                byte[] sealed = sender.protect(rtp, 0, rtp.length);
                if (i == 7) {
                    // the receiver already has it: a replay to it, refused as such (not a wrong tag)
                    MalformedPacketException refused = assertThrows(MalformedPacketException.class,
                            () -> receiver.unprotect(sealed, 0, sealed.length));
                    assertEquals("SRTP replay", refused.getMessage(), profile.name());
                } else {
                    assertArrayEquals(rtp, receiver.unprotect(sealed, 0, sealed.length), profile + " seq " + order[i]);
                }
            }
        }
    }

    @Test
    void masterKeysDeriveSessionKeysWithTheSaltTimesTwoToTheSixteen() {
        byte[] masterKey = HEX.parseHex("e1f97a0d3e018be0d64fa32c06de4139");
        byte[] salt96 = HEX.parseHex("0ec675ad498afeebb6960b3a");
        byte[] salt112 = HEX.parseHex("0ec675ad498afeebb6960b3a0000");
        // RFC 7714 erratum 4938: the 96-bit salt used as the 112-bit one with two zero bytes
        assertArrayEquals(SrtpKeys.derive(masterKey, salt112, SrtpKeys.RTP_CIPHER, 16),
                SrtpKeys.forRtp(SrtpProfile.AEAD_AES_128_GCM, masterKey, salt96).cipherKey());
        assertEquals(12, SrtpKeys.forRtcp(SrtpProfile.AEAD_AES_128_GCM, masterKey, salt96).salt().length);
    }

    @Test
    void paddedPacketsOpenWhateverTheirEncryptedLastByte() {
        // the P bit set: before decryption the padding count is ciphertext and must not be read
        byte[] padded = RTP.clone();
        padded[0] |= 0x20;
        padded[padded.length - 1] = 2;
        for (SrtpProfile profile : SrtpProfile.values()) {
            SrtpKeys keys = profile == SrtpProfile.AEAD_AES_128_GCM ? KEYS
                    : SrtpKeys.forRtp(HEX.parseHex("e1f97a0d3e018be0d64fa32c06de4139"), HEX.parseHex("0ec675ad498afeebb6960b3a0000"));
            for (int seq = 0; seq < 64; seq++) {
                padded[3] = (byte) seq;
                byte[] sealed = new SrtpContext(profile, keys).protect(padded, 0, padded.length);
                assertArrayEquals(padded, new SrtpContext(profile, keys).unprotect(sealed, 0, sealed.length), profile + " " + seq);
            }
        }
    }
}
