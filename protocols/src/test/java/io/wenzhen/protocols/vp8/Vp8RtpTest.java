package io.wenzhen.protocols.vp8;

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

class Vp8RtpTest {

    static byte[] frame(boolean key, int size, long seed) {
        byte[] frame = new byte[size];
        new Random(seed).nextBytes(frame);
        frame[0] = (byte) (key ? frame[0] & 0xFE : frame[0] | 0x01);
        return frame;
    }

    @Test
    void framesSurviveThePacketsAndKeyframesAreKnown() {
        Vp8Rtp depacketizer = new Vp8Rtp();
        List<Vp8Rtp.Frame> frames = new ArrayList<>();
        int sequence = 65000;
        byte[][] sent = {frame(true, 5000, 1), frame(false, 700, 2)};
        for (int f = 0; f < sent.length; f++) {
            List<byte[]> payloads = Vp8Rtp.payloads(sent[f], 1200);
            for (int i = 0; i < payloads.size(); i++) {
                byte[] p = payloads.get(i);
                frames.addAll(depacketizer.push(sequence++ & 0xFFFF, 3000L * f, i == payloads.size() - 1, p, 0, p.length));
            }
        }
        assertEquals(2, frames.size());
        assertArrayEquals(sent[0], frames.get(0).data());
        assertTrue(frames.get(0).keyframe());
        assertArrayEquals(sent[1], frames.get(1).data());
        assertFalse(frames.get(1).keyframe());
    }

    @Test
    void readsTheLongDescriptorChromiumSends() {
        // X, S; then I, L, T; a 15-bit picture ID; TL0PICIDX; TID
        byte[] payload = {(byte) 0x90, (byte) 0xE0, (byte) 0x81, 0x23, 0x05, 0x40, 0x10, 0x02, 0x00};
        assertEquals(6, Vp8Rtp.payloadStart(payload, 0, payload.length));
        List<Vp8Rtp.Frame> frames = new Vp8Rtp().push(1, 90, true, payload, 0, payload.length);
        assertEquals(1, frames.size());
        assertTrue(frames.getFirst().keyframe(), "P bit 0: a key frame");
        assertThrows(MalformedPacketException.class, () -> Vp8Rtp.payloadStart(new byte[] {(byte) 0x80}, 0, 1));
        assertThrows(MalformedPacketException.class, () -> Vp8Rtp.payloadStart(new byte[] {(byte) 0x80, (byte) 0x80}, 0, 2));
    }

    @Test
    void aLostPacketSpoilsItsFrame() {
        Vp8Rtp depacketizer = new Vp8Rtp();
        List<byte[]> payloads = Vp8Rtp.payloads(frame(false, 3000, 3), 1000);
        List<Vp8Rtp.Frame> frames = new ArrayList<>();
        frames.addAll(depacketizer.push(1, 10, false, payloads.get(0), 0, payloads.get(0).length));
        frames.addAll(depacketizer.push(3, 10, true, payloads.get(2), 0, payloads.get(2).length)); // 2 lost
        assertTrue(frames.isEmpty());
        byte[] next = Vp8Rtp.payloads(frame(true, 100, 4), 1200).getFirst();
        frames.addAll(depacketizer.push(4, 20, true, next, 0, next.length));
        assertEquals(1, frames.size());
        assertTrue(frames.getFirst().afterLoss());
    }

    @Test
    void aKeyframeStartsAtTheFirstPacketOfAKeyFrameOnly() {
        byte[] key = {0x10, 0x00, 0x00, 0x00}; // S=1, PID 0; frame tag P=0
        byte[] delta = {0x10, 0x01, 0x00, 0x00}; // P=1
        byte[] middle = {0x00, 0x00, 0x00, 0x00}; // S=0
        byte[] withPictureId = {(byte) 0x90, (byte) 0x80, (byte) 0x81, 0x23, 0x00}; // X, I, 15-bit picture id
        assertTrue(Vp8Rtp.startsKeyframe(key, 0, key.length));
        assertFalse(Vp8Rtp.startsKeyframe(delta, 0, delta.length));
        assertFalse(Vp8Rtp.startsKeyframe(middle, 0, middle.length));
        assertTrue(Vp8Rtp.startsKeyframe(withPictureId, 0, withPictureId.length));
        assertFalse(Vp8Rtp.startsKeyframe(new byte[] {(byte) 0x90}, 0, 1));
    }
}
