package io.wenzhen.gateway.edge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.wenzhen.gateway.edge.audio.AudioBridges;
import io.wenzhen.gateway.edge.audio.AudioTranscoder;
import io.wenzhen.gateway.errors.GatewayError;
import io.wenzhen.gateway.webrtc.MediaPort;
import io.wenzhen.gateway.webrtc.Producer;
import io.wenzhen.gateway.webrtc.Sfu;
import io.wenzhen.protocols.dtls.DtlsCertificate;
import io.wenzhen.protocols.flv.AudioTag;
import io.wenzhen.protocols.flv.AvcDecoderConfiguration;
import io.wenzhen.protocols.flv.FlvTag;
import io.wenzhen.protocols.flv.VideoTag;
import io.wenzhen.protocols.h264.NalUnits;
import io.wenzhen.protocols.rtcp.RtcpPacket;
import io.wenzhen.protocols.rtp.RtpPacket;

/**
 * An RTMP publisher's FLV into the SFU and out again to an FLV subscriber, through the real
 * packetizer, depacketizer and FFmpeg bridges (no network): the H.264 comes out byte for byte, the
 * audio comes out as AAC after its trip through Opus, and timestamps only move on.
 */
class EdgeMediaTest {

    static final Sfu.Owner OWNER = new Sfu.Owner("pusher-session", "pusher");

    static final byte[] SPS = {0x67, 0x42, (byte) 0xC0, 0x1F, (byte) 0x8C, 0x68, 0x05, 0x00};
    static final byte[] PPS = {0x68, (byte) 0xCE, 0x3C, (byte) 0x80};

    Sfu sfu;

    @BeforeEach
    void open() throws Exception {
        MediaPort port = new MediaPort(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        sfu = new Sfu(port, DtlsCertificate.generate("gw", Duration.ofDays(1)),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port.port()), List.of("H264"));
    }

    @AfterEach
    void close() {
        sfu.close();
    }

    /** Tags written by the subscriber, kept for the test. */
    static final class Captured implements FlvSubscriber.Output {
        final List<FlvTag> tags = new ArrayList<>();
        volatile boolean closed;

        @Override
        public synchronized void write(FlvTag tag) {
            tags.add(tag);
            notifyAll();
        }

        @Override
        public boolean congested() {
            return false;
        }

        @Override
        public void close() {
            closed = true;
        }

        synchronized List<FlvTag> await(int type, int count) throws InterruptedException {
            long deadline = System.currentTimeMillis() + 10_000;
            while (tags.stream().filter(t -> t.type() == type).count() < count && System.currentTimeMillis() < deadline) {
                wait(100);
            }
            return tags.stream().filter(t -> t.type() == type).toList();
        }
    }

    @Test
    void h264PassesThroughAndAacComesBackAsAac() throws Exception {
        EdgePublication publication = new EdgePublication();
        Sfu.Source source = sfu.publishEdge("app/room", "pusher_main", publication, OWNER);
        Captured captured = new Captured();
        FlvSubscriber subscriber = new FlvSubscriber(source, captured, "test");
        sfu.playEdge("app/room", "pusher_main", "player-session", subscriber, source.producer());
        RtmpPublisher publisher = new RtmpPublisher(source, publication);

        publisher.video(0, VideoTag.sequenceHeader(AvcDecoderConfiguration.build(SPS, PPS)));
        List<byte[]> frames = new ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < 30; i++) {
            byte[] nal = new byte[i % 15 == 0 ? 6000 : 800];
            random.nextBytes(nal);
            nal[0] = (byte) (i % 15 == 0 ? 0x65 : 0x41);
            frames.add(nal);
            publisher.video(1000 + i * 66L, VideoTag.nalus(i % 15 == 0, 0, List.of(nal)));
        }
        // AAC as a pusher sends it (made here by FFmpeg's encoder from a second of silence)
        byte[] config;
        List<AudioTranscoder.Encoded> aac;
        try (AudioTranscoder encoder = AudioBridges.opusToAac()) {
            aac = encoder.silence(48000);
            config = encoder.encoderConfig();
        }
        publisher.audio(1000, AudioTag.aacSequenceHeader(config));
        for (int i = 0; i < aac.size(); i++) {
            publisher.audio(1000 + i * 21L, AudioTag.aacFrame(aac.get(i).data()));
        }

        List<FlvTag> video = captured.await(FlvTag.VIDEO, 31);
        VideoTag header = VideoTag.parse(video.getFirst().data());
        assertEquals(VideoTag.SEQUENCE_HEADER, header.avcPacketType(), "a sequence header first");
        AvcDecoderConfiguration avc = AvcDecoderConfiguration.parse(header.data(), header.offset(), header.length());
        assertArrayEquals(SPS, avc.sps().getFirst());
        assertArrayEquals(PPS, avc.pps().getFirst());
        assertEquals(31, video.size(), "the header and every frame");
        long last = -1;
        for (int i = 1; i < video.size(); i++) {
            VideoTag frame = VideoTag.parse(video.get(i).data());
            List<byte[]> nals = NalUnits.splitLengthPrefixed(frame.data(), frame.offset(), frame.length(), 4);
            assertEquals(1, nals.size(), "SPS/PPS travel in the sequence header, not in the frames");
            assertArrayEquals(frames.get(i - 1), nals.getFirst(), "frame " + (i - 1) + " byte for byte");
            assertEquals((i - 1) % 15 == 0, frame.keyframe());
            if (i > 1) {
                assertEquals(66, video.get(i).timestamp() - last, 1, "the pusher's 66 ms steps, through RTP and back");
            }
            last = video.get(i).timestamp();
        }
        List<FlvTag> audio = captured.await(FlvTag.AUDIO, 30);
        assertEquals(AudioTag.SEQUENCE_HEADER, AudioTag.parse(audio.getFirst().data()).aacPacketType());
        assertTrue(audio.size() >= 30, "AAC frames after AAC -> Opus -> AAC: " + audio.size());
        assertTrue(audio.stream().skip(1).allMatch(t -> AudioTag.parse(t.data()).aacPacketType() == AudioTag.RAW));

        // the stream ends: the subscriber's output is closed with it
        sfu.stopPublishing("app/room", "pusher_main", OWNER.sessionId());
        assertTrue(captured.closed, "the player's connection ends with the publication");
        publisher.close();
    }

    @Test
    void aReconnectingPusherContinuesOneStream() {
        EdgePublication publication = new EdgePublication();
        Sfu.Source source = sfu.publishEdge("app/room", "pusher_main", publication, OWNER);
        List<long[]> rtp = new ArrayList<>(); // sequence, timestamp
        source.producer().add(new Producer.Sink() {
            @Override
            public void forward(byte[] packet) {
                var parsed = RtpPacket.parse(packet, 0, packet.length);
                if (parsed.ssrc() == source.track("video").orElseThrow().ssrc()) {
                    rtp.add(new long[] {parsed.sequenceNumber(), parsed.timestamp()});
                }
            }

            @Override
            public void forwardSenderReport(RtcpPacket.SenderReport report) {
            }

            @Override
            public void close() {
            }
        });
        byte[] header = VideoTag.sequenceHeader(AvcDecoderConfiguration.build(SPS, PPS));
        byte[] frame = {0x65, 1, 2, 3};
        // the first connection: FLV time 5000 to 5660; a connection that dies before any media; a third starting again at 0
        RtmpPublisher first = new RtmpPublisher(source, publication);
        first.video(5000, header);
        for (int i = 0; i < 11; i++) {
            first.video(5000 + i * 66L, VideoTag.nalus(true, 0, List.of(frame)));
        }
        first.close();
        new RtmpPublisher(source, publication).close();
        RtmpPublisher third = new RtmpPublisher(source, publication);
        third.video(0, header);
        for (int i = 0; i < 5; i++) {
            third.video(i * 66L, VideoTag.nalus(true, 0, List.of(frame)));
        }
        third.close();
        for (int i = 1; i < rtp.size(); i++) {
            assertEquals((rtp.get(i - 1)[0] + 1) & 0xFFFF, rtp.get(i)[0], "one run of sequence numbers");
            int step = (int) (rtp.get(i)[1] - rtp.get(i - 1)[1]);
            assertTrue(step >= 0, "RTP time never goes back: " + step);
        }
        assertEquals(2 * 16, rtp.size(), "each IDR: a STAP-A of SPS and PPS, then the frame");
        assertTrue((int) (rtp.get(22)[1] - rtp.get(21)[1]) >= 90 * 100, "the reconnect starts after the last one's end");
    }

    @Test
    void whatFlvCannotCarryIsRefusedWithItsCode() {
        Sfu.Source vp8 = new Sfu.Source(null, List.of(new Sfu.Track("video", 1, "VP8", 96)), null, OWNER);
        EdgeRefusal refused = assertThrows(EdgeRefusal.class, () -> FlvSubscriber.requireH264(vp8));
        assertEquals(GatewayError.CODEC_NOT_PLAYABLE, refused.error(), "VP8 reaches FLV only through a bridge");

        EdgePublication publication = new EdgePublication();
        Sfu.Source source = sfu.publishEdge("app/room", "vp6_main", publication, OWNER);
        RtmpPublisher publisher = new RtmpPublisher(source, publication);
        assertEquals(GatewayError.MEDIA_UNSUPPORTED, assertThrows(EdgeRefusal.class,
                () -> publisher.video(0, new byte[] {0x14, 0, 0, 0})).error(), "VP6");
        assertEquals(GatewayError.MEDIA_UNSUPPORTED, assertThrows(EdgeRefusal.class,
                () -> publisher.audio(0, new byte[] {0x2F, 0})).error(), "MP3");
    }

    @Test
    void oneRtmpConnectionFeedsAPublicationAtATime() throws Exception {
        EdgePublication publication = new EdgePublication();
        AutoCloseable first = () -> { };
        publication.attach(first);
        assertEquals(GatewayError.PUBLISHER_CONNECTED, assertThrows(EdgeRefusal.class, () -> publication.attach(() -> { })).error());
        assertTrue(publication.detach(first));
        boolean[] closed = {false};
        publication.attach(() -> closed[0] = true);
        publication.close();
        assertTrue(closed[0], "the end of the publication closes its connection");
        assertEquals(GatewayError.STREAM_KEY_INVALID, assertThrows(EdgeRefusal.class, () -> publication.attach(() -> { })).error());
    }
}
