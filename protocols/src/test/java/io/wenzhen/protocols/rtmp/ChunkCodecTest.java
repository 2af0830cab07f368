package io.wenzhen.protocols.rtmp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.wenzhen.protocols.MalformedPacketException;

class ChunkCodecTest {

    private static ChunkDecoder decoder(byte[] wire, int max) {
        return new ChunkDecoder(new DataInputStream(new ByteArrayInputStream(wire)), max);
    }

    @Test
    void messagesSplitIntoChunksComeBackWhole() throws IOException {
        ChunkEncoder encoder = new ChunkEncoder();
        byte[] video = new byte[1000];
        new Random(1).nextBytes(video);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(encoder.encode(new RtmpMessage(RtmpMessage.VIDEO, 1, 40, video), ChunkEncoder.VIDEO));
        wire.writeBytes(encoder.encode(new RtmpMessage(RtmpMessage.AUDIO, 1, 0x1_0000_0000L - 5, new byte[] {1, 2}), 300));
        wire.writeBytes(encoder.encode(RtmpMessage.setChunkSize(4096), ChunkEncoder.CONTROL));
        encoder.chunkSize(4096);
        wire.writeBytes(encoder.encode(new RtmpMessage(RtmpMessage.VIDEO, 1, 80, video), 70));
        ChunkDecoder decoder = decoder(wire.toByteArray(), 1 << 20);
        RtmpMessage first = decoder.read();
        assertEquals(RtmpMessage.VIDEO, first.typeId());
        assertEquals(1, first.streamId());
        assertEquals(40, first.timestamp());
        assertArrayEquals(video, first.payload());
        RtmpMessage audio = decoder.read();
        assertEquals(0x1_0000_0000L - 5, audio.timestamp(), "extended timestamp, on a three-byte chunk stream id");
        assertEquals(RtmpMessage.SET_CHUNK_SIZE, decoder.read().typeId());
        RtmpMessage bigChunks = decoder.read();
        assertArrayEquals(video, bigChunks.payload());
        assertEquals(80, bigChunks.timestamp());
        assertThrows(EOFException.class, decoder::read);
    }

    @Test
    void typeOneTwoAndThreeHeadersInheritAndAddDeltas() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        // type 0 on csid 4: ts 100, length 2, audio, stream 1
        wire.writeBytes(new byte[] {0x04, 0, 0, 100, 0, 0, 2, 8, 1, 0, 0, 0, 10, 11});
        // type 2 (delta 20), same length and type
        wire.writeBytes(new byte[] {(byte) 0x84, 0, 0, 20, 12, 13});
        // type 3: a new message with the same delta again
        wire.writeBytes(new byte[] {(byte) 0xC4, 14, 15});
        // type 1: delta 5, length 1, video
        wire.writeBytes(new byte[] {0x44, 0, 0, 5, 0, 0, 1, 9, 16});
        ChunkDecoder decoder = decoder(wire.toByteArray(), 100);
        assertEquals(100, decoder.read().timestamp());
        assertEquals(120, decoder.read().timestamp());
        RtmpMessage third = decoder.read();
        assertEquals(140, third.timestamp());
        assertArrayEquals(new byte[] {14, 15}, third.payload());
        RtmpMessage fourth = decoder.read();
        assertEquals(145, fourth.timestamp());
        assertEquals(RtmpMessage.VIDEO, fourth.typeId());
        assertEquals(1, fourth.streamId());
    }

    @Test
    void refusesWhatNoClientSends() {
        // a message longer than allowed
        assertThrows(MalformedPacketException.class,
                () -> decoder(new byte[] {0x04, 0, 0, 0, 0x10, 0, 0, 9, 1, 0, 0, 0}, 1024).read());
        // a chunk stream that starts with a type 3 chunk
        assertThrows(MalformedPacketException.class, () -> decoder(new byte[] {(byte) 0xC4, 1, 2}, 1024).read());
        // a chunk size of 0
        assertThrows(MalformedPacketException.class,
                () -> decoder(new byte[] {0x02, 0, 0, 0, 0, 0, 4, 1, 0, 0, 0, 0, 0, 0, 0, 0}, 1024).read());
        // a new header in the middle of a message
        byte[] interrupted = {0x04, 0, 0, 0, 0, 1, 0, 9, 1, 0, 0, 0, /* 128 of 256 bytes */};
        byte[] wire = new byte[interrupted.length + 128 + 12];
        System.arraycopy(interrupted, 0, wire, 0, interrupted.length);
        wire[interrupted.length + 128] = 0x04;
        assertThrows(MalformedPacketException.class, () -> decoder(wire, 1024).read());
        // too many chunk streams
        ByteArrayOutputStream many = new ByteArrayOutputStream();
        for (int csid = 3; csid < 3 + ChunkDecoder.MAX_CHUNK_STREAMS + 1; csid++) {
            many.writeBytes(new byte[] {0, (byte) csid, 0, 0, 0, 0, 0, 2, 9, 1, 0, 0, 0, 1});
        }
        ChunkDecoder decoder = decoder(many.toByteArray(), 1024);
        assertThrows(MalformedPacketException.class, () -> {
            for (int i = 0; i < 100; i++) {
                decoder.read();
            }
        });
    }

    @Test
    void anAbortDropsThePartialMessage() throws IOException {
        ChunkEncoder encoder = new ChunkEncoder();
        byte[] first = encoder.encode(new RtmpMessage(RtmpMessage.VIDEO, 1, 0, new byte[200]), 6);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.write(first, 0, 12 + 128); // the first chunk only
        wire.writeBytes(encoder.encode(new RtmpMessage(RtmpMessage.ABORT, 0, 0, new byte[] {0, 0, 0, 6}), 2));
        wire.writeBytes(encoder.encode(new RtmpMessage(RtmpMessage.VIDEO, 1, 33, new byte[] {7}), 6));
        ChunkDecoder decoder = decoder(wire.toByteArray(), 1024);
        assertEquals(RtmpMessage.ABORT, decoder.read().typeId());
        RtmpMessage next = decoder.read();
        assertEquals(33, next.timestamp());
        assertArrayEquals(new byte[] {7}, next.payload());
    }
}
