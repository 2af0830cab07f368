package io.wenzhen.protocols.flv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.wenzhen.protocols.MalformedPacketException;

class FlvTest {

    static final byte[] SPS = {0x67, 0x42, (byte) 0xC0, 0x1F, (byte) 0x8C, 0x68};
    static final byte[] PPS = {0x68, (byte) 0xCE, 0x3C, (byte) 0x80};

    @Test
    void writtenTagsReadBack() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(FlvWriter.header(true, true));
        byte[] config = AvcDecoderConfiguration.build(SPS, PPS);
        out.writeBytes(FlvWriter.tag(new FlvTag(FlvTag.VIDEO, 0, VideoTag.sequenceHeader(config))));
        out.writeBytes(FlvWriter.tag(new FlvTag(FlvTag.AUDIO, 0x1234_5678L, AudioTag.aacSequenceHeader(new byte[] {0x11, (byte) 0x90}))));
        out.writeBytes(FlvWriter.tag(new FlvTag(FlvTag.VIDEO, 40, VideoTag.nalus(true, -2, List.of(new byte[] {0x65, 1, 2})))));
        byte[] bytes = out.toByteArray();
        List<FlvTag> tags = FlvReader.read(bytes);
        assertEquals(3, tags.size());
        assertEquals(0x1234_5678L, tags.get(1).timestamp(), "the extended timestamp byte");

        VideoTag header = VideoTag.parse(tags.get(0).data());
        assertTrue(header.keyframe());
        assertEquals(VideoTag.SEQUENCE_HEADER, header.avcPacketType());
        AvcDecoderConfiguration parsed = AvcDecoderConfiguration.parse(header.data(), header.offset(), header.length());
        assertEquals(4, parsed.lengthSize());
        assertArrayEquals(SPS, parsed.sps().getFirst());
        assertArrayEquals(PPS, parsed.pps().getFirst());

        AudioTag audio = AudioTag.parse(tags.get(1).data());
        assertEquals(AudioTag.FORMAT_AAC, audio.soundFormat());
        assertArrayEquals(new byte[] {0x11, (byte) 0x90}, audio.payload());

        VideoTag frame = VideoTag.parse(tags.get(2).data());
        assertEquals(-2, frame.compositionTime(), "signed composition time");
        assertEquals(VideoTag.NALU, frame.avcPacketType());

        // a stream captured in the middle of a tag: the whole tags only
        assertEquals(2, FlvReader.read(Arrays.copyOf(bytes, bytes.length - 3)).size());
    }

    @Test
    void otherCodecsAreNamedNotParsed() {
        VideoTag vp6 = VideoTag.parse(new byte[] {0x14, 0, 0});
        assertEquals(4, vp6.codecId());
        VideoTag enhanced = VideoTag.parse(new byte[] {(byte) 0x90, 'h', 'v', 'c', '1'});
        assertEquals(-1, enhanced.codecId());
        assertEquals(2, AudioTag.parse(new byte[] {0x2F, 1}).soundFormat(), "MP3");
        assertFalse(VideoTag.parse(new byte[] {0x27, 1, 0, 0, 0}).keyframe());
    }

    @Test
    void refusesBrokenInput() {
        assertThrows(MalformedPacketException.class, () -> FlvReader.read(new byte[] {'F', 'L', 'V'}));
        byte[] badSize = FlvWriter.tag(new FlvTag(FlvTag.VIDEO, 0, new byte[] {1}));
        badSize[badSize.length - 1] = 0;
        byte[] file = new byte[13 + badSize.length];
        System.arraycopy(FlvWriter.header(false, true), 0, file, 0, 13);
        System.arraycopy(badSize, 0, file, 13, badSize.length);
        assertThrows(MalformedPacketException.class, () -> FlvReader.read(file));
        assertThrows(MalformedPacketException.class, () -> VideoTag.parse(new byte[] {0x17, 0}));
        assertThrows(MalformedPacketException.class, () -> AvcDecoderConfiguration.parse(new byte[] {1, 0x42, 0, 0x1F, (byte) 0xFF,
                (byte) 0xE1, 0, 40, 0x67}, 0, 9));
        assertThrows(MalformedPacketException.class, () -> AvcDecoderConfiguration.parse(new byte[] {1, 0x42, 0, 0x1F, (byte) 0xFF,
                (byte) 0xE0, 0}, 0, 7), "no SPS");
    }
}
