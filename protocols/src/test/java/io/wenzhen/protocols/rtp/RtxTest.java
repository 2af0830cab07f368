package io.wenzhen.protocols.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import io.wenzhen.protocols.MalformedPacketException;

class RtxTest {

    /** VP8-like: PT 96, seq 0x1234, one extension element (id 3, 3 bytes), 5 bytes of payload, 3 of padding. */
    static final byte[] PADDED = HexFormat.of().parseHex(
            "b0e012340102030411223344" + "bede0001" + "32aabbcc" + "0102030405" + "000003");

    @Test
    void wrapsWithTheOriginalSequenceNumberFirst() {
        byte[] rtx = Rtx.wrap(PADDED, 0xCAFEBABEL, 97, 7);
        RtpPacket packet = RtpPacket.parse(rtx, 0, rtx.length);
        assertEquals(0xCAFEBABEL, packet.ssrc());
        assertEquals(97, packet.payloadType());
        assertEquals(7, packet.sequenceNumber());
        assertTrue(packet.marker(), "the marker bit is the original's");
        assertEquals(0x01020304L, packet.timestamp());
        assertFalse((rtx[0] & 0x20) != 0, "the original's padding is dropped");
        assertArrayEquals(HexFormat.of().parseHex("aabbcc"), packet.extension(3));
        assertArrayEquals(HexFormat.of().parseHex("12340102030405"),
                Arrays.copyOfRange(rtx, packet.payloadOffset(), packet.payloadOffset() + packet.payloadLength()));
    }

    @Test
    void unwrapRestoresTheOriginal() {
        byte[] rtx = Rtx.wrap(PADDED, 0xCAFEBABEL, 97, 65535);
        byte[] media = Rtx.unwrap(rtx, 0x11223344L, 96);
        RtpPacket packet = RtpPacket.parse(media, 0, media.length);
        assertEquals(0x11223344L, packet.ssrc());
        assertEquals(96, packet.payloadType());
        assertEquals(0x1234, packet.sequenceNumber());
        assertArrayEquals(HexFormat.of().parseHex("0102030405"),
                Arrays.copyOfRange(media, packet.payloadOffset(), packet.payloadOffset() + packet.payloadLength()));
        assertArrayEquals(HexFormat.of().parseHex("aabbcc"), packet.extension(3));
    }

    @Test
    void aPaddingOnlyProbeHoldsNoPacket() {
        // RTX with no payload but 4 bytes of padding, as a sender's bandwidth probe
        byte[] probe = HexFormat.of().parseHex("a061000100000000cafebabe" + "00000004");
        assertNull(Rtx.unwrap(probe, 1, 96));
        // an OSN alone is an original with an empty payload, which is still a packet
        byte[] osnOnly = HexFormat.of().parseHex("8061000100000000cafebabe" + "0042");
        byte[] media = Rtx.unwrap(osnOnly, 1, 96);
        assertEquals(0x42, RtpPacket.parse(media, 0, media.length).sequenceNumber());
        assertEquals(12, media.length);
    }

    @Test
    void malformedInputIsRefused() {
        assertThrows(MalformedPacketException.class, () -> Rtx.unwrap(new byte[5], 1, 96));
        assertThrows(MalformedPacketException.class, () -> Rtx.wrap(HexFormat.of().parseHex("0000"), 1, 97, 1));
        // padding count larger than the packet
        assertThrows(MalformedPacketException.class,
                () -> Rtx.unwrap(HexFormat.of().parseHex("a061000100000000cafebabe" + "000000ff"), 1, 96));
    }
}
