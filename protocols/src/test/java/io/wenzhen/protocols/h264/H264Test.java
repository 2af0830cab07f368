package io.wenzhen.protocols.h264;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.wenzhen.protocols.MalformedPacketException;

class H264Test {

    static byte[] nal(int header, int size, long seed) {
        byte[] nal = new byte[size];
        new Random(seed).nextBytes(nal);
        nal[0] = (byte) header;
        return nal;
    }

    static final byte[] SPS = {0x67, 0x42, (byte) 0xC0, 0x1F, (byte) 0x8C, 0x68};
    static final byte[] PPS = {0x68, (byte) 0xCE, 0x3C, (byte) 0x80};

    @Test
    void anAccessUnitSurvivesPacketization() {
        byte[] idr = nal(0x65, 5000, 1);
        byte[] sei = nal(0x06, 30, 2);
        List<byte[]> payloads = H264Packetizer.payloads(List.of(SPS, PPS, sei, idr), 1200);
        assertEquals(24, payloads.getFirst()[0] & 0x1F, "SPS and PPS in one STAP-A");
        assertEquals(28, payloads.get(2)[0] & 0x1F, "the IDR in FU-A fragments");
        assertTrue(payloads.stream().allMatch(p -> p.length <= 1200));

        H264Depacketizer depacketizer = new H264Depacketizer();
        List<H264Depacketizer.AccessUnit> units = new ArrayList<>();
        for (int i = 0; i < payloads.size(); i++) {
            byte[] p = payloads.get(i);
            units.addAll(depacketizer.push(65530 + i & 0xFFFF, 9000, i == payloads.size() - 1, p, 0, p.length));
        }
        assertEquals(1, units.size());
        H264Depacketizer.AccessUnit unit = units.getFirst();
        assertTrue(unit.keyframe());
        assertFalse(unit.afterLoss());
        assertEquals(4, unit.nals().size());
        assertArrayEquals(SPS, unit.nals().get(0));
        assertArrayEquals(PPS, unit.nals().get(1));
        assertArrayEquals(sei, unit.nals().get(2));
        assertArrayEquals(idr, unit.nals().get(3));
    }

    @Test
    void aLostFragmentDropsItsFrameAndTheNextOneSaysSo() {
        byte[] frame = nal(0x41, 3000, 3);
        List<byte[]> payloads = H264Packetizer.payloads(List.of(frame), 1000);
        H264Depacketizer depacketizer = new H264Depacketizer();
        int sequence = 0;
        List<H264Depacketizer.AccessUnit> units = new ArrayList<>();
        for (int i = 0; i < payloads.size(); i++) {
            if (i == 1) {
                sequence++; // lost
                continue;
            }
            byte[] p = payloads.get(i);
            units.addAll(depacketizer.push(sequence++, 100, i == payloads.size() - 1, p, 0, p.length));
        }
        assertTrue(units.isEmpty(), "a frame with a hole is not handed on");
        byte[] next = nal(0x41, 100, 4);
        units.addAll(depacketizer.push(sequence, 200, true, next, 0, next.length));
        assertEquals(1, units.size());
        assertTrue(units.getFirst().afterLoss());
        assertFalse(units.getFirst().keyframe());
    }

    @Test
    void aNewTimestampEndsAUnitWhoseMarkerWasNotSet() {
        H264Depacketizer depacketizer = new H264Depacketizer();
        byte[] a = nal(0x41, 10, 5);
        assertTrue(depacketizer.push(1, 100, false, a, 0, a.length).isEmpty());
        List<H264Depacketizer.AccessUnit> done = depacketizer.push(2, 200, false, a, 0, a.length);
        assertEquals(1, done.size());
        assertEquals(100, done.getFirst().rtpTimestamp());
    }

    @Test
    void splitsBothFramings() {
        byte[] prefixed = {0, 0, 0, 2, 0x65, 1, 0, 0, 0, 1, 0x41};
        List<byte[]> nals = NalUnits.splitLengthPrefixed(prefixed, 0, prefixed.length, 4);
        assertEquals(2, nals.size());
        assertArrayEquals(new byte[] {0x41}, nals.get(1));
        byte[] annexB = {0, 0, 0, 1, 0x67, 1, 2, 0, 0, 1, 0x68, 3, 0, 0, 0, 1, 0x65, 4};
        assertTrue(NalUnits.looksLikeAnnexB(annexB, 0, annexB.length));
        List<byte[]> split = NalUnits.splitAnnexB(annexB, 0, annexB.length);
        assertEquals(3, split.size());
        assertArrayEquals(new byte[] {0x68, 3}, split.get(1));
        assertThrows(MalformedPacketException.class, () -> NalUnits.splitLengthPrefixed(new byte[] {0, 0, 0, 9, 1}, 0, 5, 4));
    }

    @Test
    void refusesPayloadsOutsidePacketizationModeOne() {
        H264Depacketizer depacketizer = new H264Depacketizer();
        byte[] stapB = {25, 0, 0};
        // refused inside: the unit is spoiled, nothing comes out, nothing throws
        assertTrue(depacketizer.push(1, 1, true, stapB, 0, stapB.length).isEmpty());
        byte[] orphan = {28, 0x05, 1, 2};
        assertTrue(depacketizer.push(2, 2, true, orphan, 0, orphan.length).isEmpty());
    }

    @Test
    void aKeyframeStartsWhereItsParameterSetsOrItsFirstIdrFragmentAre() {
        List<byte[]> keyframe = H264Packetizer.payloads(List.of(SPS, PPS, nal(0x65, 5000, 4)), 1000);
        assertTrue(H264Depacketizer.startsKeyframe(keyframe.getFirst(), 0, keyframe.getFirst().length)); // STAP-A with the SPS
        for (byte[] later : keyframe.subList(1, keyframe.size())) {
            boolean firstFragment = later == keyframe.get(1);
            assertEquals(firstFragment, H264Depacketizer.startsKeyframe(later, 0, later.length)); // FU-A: its start only
        }
        byte[] idr = nal(0x65, 200, 5);
        assertTrue(H264Depacketizer.startsKeyframe(idr, 0, idr.length));
        for (byte[] delta : H264Packetizer.payloads(List.of(nal(0x41, 3000, 6)), 1000)) {
            assertFalse(H264Depacketizer.startsKeyframe(delta, 0, delta.length));
        }
        assertFalse(H264Depacketizer.startsKeyframe(new byte[] {0x78}, 0, 1));
    }
}
