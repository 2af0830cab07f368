package io.wenzhen.protocols.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.wenzhen.protocols.MalformedPacketException;

class RtpPacketTest {

    /**
     * V=2, X=1, M=1, PT=111 (Opus), seq 0x1234, ts 0x01020304, SSRC 0xDEADBEEF, a one-byte-header
     * extension block (0xBEDE, 2 words): id 1 len 1 (audio level 0x85), id 3 len 3 (abs-send-time),
     * then 4 bytes of payload.
     */
    static final byte[] OPUS = HexFormat.of().parseHex(
            "90ef123401020304deadbeef" + "bede0002" + "1085" + "32aabbcc" + "0000" + "fcfffefd");

    @Test
    void readsTheHeaderAndExtensions() {
        RtpPacket packet = RtpPacket.parse(OPUS, 0, OPUS.length);
        assertEquals(111, packet.payloadType());
        assertTrue(packet.marker());
        assertEquals(0x1234, packet.sequenceNumber());
        assertEquals(0x01020304L, packet.timestamp());
        assertEquals(0xDEADBEEFL, packet.ssrc());
        assertEquals(24, packet.headerLength());
        assertEquals(4, packet.payloadLength());
        assertArrayEquals(new byte[] {(byte) 0x85}, packet.extension(1));
        assertArrayEquals(HexFormat.of().parseHex("aabbcc"), packet.extension(3));
        assertNull(packet.extension(2));
        assertFalse(RtpPacket.isRtcp(OPUS, 0, OPUS.length));
    }

    @Test
    void rewritesForAConsumerInPlace() {
        byte[] copy = OPUS.clone();
        RtpPacket packet = RtpPacket.parse(copy, 0, copy.length);
        packet.setSsrc(0x01020304L);
        packet.setPayloadType(100);
        packet.setSequenceNumber(65535);
        packet.setTimestamp(0xFFFFFFFFL);
        RtpPacket again = RtpPacket.parse(copy, 0, copy.length);
        assertEquals(0x01020304L, again.ssrc());
        assertEquals(100, again.payloadType());
        assertTrue(again.marker(), "the marker bit survives a payload type change");
        assertEquals(65535, again.sequenceNumber());
        assertEquals(0xFFFFFFFFL, again.timestamp());
    }

    @Test
    void readsTwoByteExtensionsAndPadding() {
        byte[] packet = HexFormat.of().parseHex("b060000100000001000000021000000205020102" + "0300" + "0a0b" + "00000003");
        RtpPacket parsed = RtpPacket.parse(packet, 0, packet.length);
        assertArrayEquals(HexFormat.of().parseHex("0102"), parsed.extension(5));
        assertArrayEquals(new byte[0], parsed.extension(3));
        assertEquals(1, parsed.payloadLength(), "3 bytes of padding are not payload");
    }

    @Test
    void refusesMalformedPackets() {
        for (String bad : new String[] {"80", "40ef123401020304deadbeef", "8fef123401020304deadbeef",
            "90ef123401020304deadbeefbede0005", "a0ef123401020304deadbeef00", "a0ef123401020304deadbeef05"}) {
            byte[] data = HexFormat.of().parseHex(bad);
            assertThrows(MalformedPacketException.class, () -> RtpPacket.parse(data, 0, data.length), bad);
        }
    }

    @Test
    void extensionIdsAreRenumberedOrRemovedInPlace() {
        byte[] data = OPUS.clone();
        int[] map = new int[256];
        map[1] = 5; // audio level: the player calls it 5
        // 3 is not negotiated by the player: removed
        RtpPacket.parse(data, 0, data.length).remapExtensions(map);
        RtpPacket packet = RtpPacket.parse(data, 0, data.length);
        assertArrayEquals(new byte[] {(byte) 0x85}, packet.extension(5));
        assertNull(packet.extension(1));
        assertNull(packet.extension(3));
        assertArrayEquals(new byte[] {(byte) 0xfc, (byte) 0xff, (byte) 0xfe, (byte) 0xfd},
                Arrays.copyOfRange(data, packet.payloadOffset(), packet.payloadOffset() + packet.payloadLength()),
                "the payload is untouched");

        // the two-byte form (RFC 8285 §4.3) can take ids above 14
        byte[] twoByte = HexFormat.of().parseHex("90ef123401020304deadbeef" + "10000002" + "0101" + "85" + "00" + "0302aabb" + "fcfd");
        int[] wide = new int[256];
        wide[1] = 200;
        wide[3] = 3;
        RtpPacket.parse(twoByte, 0, twoByte.length).remapExtensions(wide);
        RtpPacket two = RtpPacket.parse(twoByte, 0, twoByte.length);
        assertArrayEquals(new byte[] {(byte) 0x85}, two.extension(200));
        assertArrayEquals(new byte[] {(byte) 0xaa, (byte) 0xbb}, two.extension(3));
    }

    @Test
    void fuzzedPacketsOnlyEverFailAsMalformed() {
        Random random = new Random(3550);
        for (int i = 0; i < 200_000; i++) {
            byte[] data = OPUS.clone();
            for (int e = 0; e < 1 + random.nextInt(4); e++) {
                data[random.nextInt(data.length)] = (byte) random.nextInt(256);
            }
            int length = random.nextInt(6) == 0 ? random.nextInt(data.length + 1) : data.length;
            try {
                RtpPacket packet = RtpPacket.parse(data, 0, length);
                for (int id = 0; id < 16; id++) {
                    packet.extension(id);
                }
                assertTrue(packet.payloadLength() >= 0);
            } catch (MalformedPacketException expected) {
                // refused
            } catch (RuntimeException e) {
                fail("input " + i + " threw " + e + ": " + HexFormat.of().formatHex(data, 0, length));
            }
        }
    }
}
