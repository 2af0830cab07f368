package io.wenzhen.protocols.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import io.wenzhen.protocols.MalformedPacketException;

class RedTest {

    /**
     * Written out by hand after RFC 2198 §3: one redundant block (PT 111, 960 samples earlier, 3 bytes) and the
     * primary (PT 111, 2 bytes). Headers: F=1|111, offset 960 (0x3C0) << 10 | length 3 → 0xEF 0x0F 0x00 0x03; then
     * F=0|111 → 0x6F; then the blocks.
     */
    static final byte[] PAYLOAD = HexFormat.of().parseHex("ef0f0003" + "6f" + "aabbcc" + "1122");

    static byte[] packet(byte[] payload) {
        return RtpPacket.build(63, true, 7, 48_000, 0x1234, payload);
    }

    @Test
    void thePrimaryBlockAloneWithItsPayloadType() {
        byte[] primary = Red.primary(packet(PAYLOAD));
        RtpPacket parsed = RtpPacket.parse(primary, 0, primary.length);
        assertEquals(111, parsed.payloadType());
        assertEquals(7, parsed.sequenceNumber());
        assertEquals(48_000, parsed.timestamp());
        assertEquals(0x1234, parsed.ssrc());
        assertEquals(HexFormat.of().formatHex(new byte[] {0x11, 0x22}),
                HexFormat.of().formatHex(Arrays.copyOfRange(primary, parsed.payloadOffset(), primary.length)));
    }

    @Test
    void aPacketWithoutRedundancyIsItsPrimary() {
        byte[] primary = Red.primary(packet(HexFormat.of().parseHex("6f" + "0102")));
        RtpPacket parsed = RtpPacket.parse(primary, 0, primary.length);
        assertEquals(2, parsed.payloadLength());
        assertEquals(111, parsed.payloadType());
    }

    @Test
    void blocksAreRenumberedInPlace() {
        byte[] packet = packet(PAYLOAD);
        RtpPacket parsed = RtpPacket.parse(packet, 0, packet.length);
        Red.retype(packet, parsed.payloadOffset(), parsed.payloadLength(), 111, 109);
        assertArrayEquals(HexFormat.of().parseHex("ed0f0003" + "6d" + "aabbcc" + "1122"),
                Arrays.copyOfRange(packet, parsed.payloadOffset(), packet.length), "F bits, offsets and lengths kept");
        assertEquals(109, RtpPacket.parse(Red.primary(packet), 0, packet.length - 8).payloadType());
    }

    @Test
    void lengthsThatDoNotFitAreRefused() {
        assertThrows(MalformedPacketException.class, () -> Red.primary(packet(HexFormat.of().parseHex("ef0f00ff" + "6f" + "00"))));
        assertThrows(MalformedPacketException.class, () -> Red.primary(packet(HexFormat.of().parseHex("ef0f"))));
        assertThrows(MalformedPacketException.class, () -> Red.primary(packet(new byte[0])));
    }
}
