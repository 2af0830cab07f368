package io.wenzhen.gateway.edge.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.wenzhen.gateway.edge.FlvSubscriber;
import io.wenzhen.gateway.webrtc.Producer;
import io.wenzhen.gateway.webrtc.Sfu;
import io.wenzhen.protocols.flv.FlvTag;
import io.wenzhen.protocols.flv.FlvWriter;
import io.wenzhen.protocols.flv.VideoTag;
import io.wenzhen.protocols.vp8.Vp8Rtp;

/**
 * A VP8 publisher played as FLV: real VP8 (made by FFmpeg's command line, as a browser would send
 * it, in RTP) through the bridge's decoder and OpenH264, out of an FLV subscriber; FFmpeg then
 * decodes the H.264 it wrote without an error.
 */
class VideoBridgeTest {

    static final long VIDEO_SSRC = 0x1234;

    /** FLV tags written by the subscriber. */
    static final class Captured implements FlvSubscriber.Output {
        final List<FlvTag> tags = new ArrayList<>();

        @Override
        public synchronized void write(FlvTag tag) {
            tags.add(tag);
        }

        @Override
        public boolean congested() {
            return false;
        }

        @Override
        public void close() {
        }

        synchronized long video() {
            return tags.stream().filter(t -> t.type() == FlvTag.VIDEO).count();
        }
    }

    @Test
    void vp8BecomesH264ThatDecodes() throws Exception {
        List<byte[]> frames = vp8Frames(30);
        Producer vp8 = new Producer("browser_main", packet -> { }, 1_000_000);
        vp8.videoSsrc(VIDEO_SSRC);
        vp8.declare(VIDEO_SSRC);
        Sfu.Source source = new Sfu.Source(vp8, List.of(new Sfu.Track("video", VIDEO_SSRC, "VP8", 96)), null,
                new Sfu.Owner("session", "browser"));
        VideoBridge bridge = new VideoBridge(source, "test");
        vp8.add(bridge);
        Captured captured = new Captured();
        FlvSubscriber player = new FlvSubscriber(bridge.output(), captured, "test player");
        bridge.output().producer().add(player);

        int sequence = 100;
        for (int f = 0; f < frames.size(); f++) {
            List<byte[]> payloads = Vp8Rtp.payloads(frames.get(f), 1200);
            for (int i = 0; i < payloads.size(); i++) {
                byte[] payload = payloads.get(i);
                byte[] packet = new byte[12 + payload.length];
                packet[0] = (byte) 0x80;
                packet[1] = (byte) ((i == payloads.size() - 1 ? 0x80 : 0) | 96);
                packet[2] = (byte) (sequence >>> 8);
                packet[3] = (byte) sequence++;
                long timestamp = 6000L * f;
                for (int b = 0; b < 4; b++) {
                    packet[4 + b] = (byte) (timestamp >>> (24 - 8 * b));
                    packet[8 + b] = (byte) (VIDEO_SSRC >>> (24 - 8 * b));
                }
                System.arraycopy(payload, 0, packet, 12, payload.length);
                vp8.receiveRtp(packet);
            }
            Thread.sleep(20); // about as a camera would send them
        }
        for (int i = 0; i < 100 && captured.video() < 25; i++) {
            Thread.sleep(50);
        }
        List<FlvTag> video;
        synchronized (captured) {
            video = captured.tags.stream().filter(t -> t.type() == FlvTag.VIDEO).toList();
        }
        assertTrue(video.size() >= 25, "H.264 frames out of 30 VP8 frames: " + video.size());
        assertEquals(VideoTag.SEQUENCE_HEADER, VideoTag.parse(video.getFirst().data()).avcPacketType());
        assertTrue(VideoTag.parse(video.get(1).data()).keyframe(), "the player starts at a keyframe");

        ByteArrayOutputStream flv = new ByteArrayOutputStream();
        flv.writeBytes(FlvWriter.header(false, true));
        video.forEach(tag -> flv.writeBytes(FlvWriter.tag(tag)));
        Path file = Files.createTempFile("wenzhen-bridge", ".flv");
        Files.write(file, flv.toByteArray());
        Process decode = new ProcessBuilder("ffmpeg", "-v", "error", "-i", file.toString(), "-f", "null", "-").redirectErrorStream(true).start();
        String errors = new String(decode.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, decode.waitFor(), errors);
        assertTrue(errors.isBlank(), "FFmpeg decodes the bridge's H.264 cleanly: " + errors);
        Files.delete(file);

        bridge.close();
        assertTrue(bridge.idle(), "its players end with it");
    }

    /** VP8 frames of a moving test picture, from FFmpeg's command line (IVF: 32-byte header, then size, pts, frame). */
    static List<byte[]> vp8Frames(int count) throws Exception {
        return vp8Frames(count, "320x240", "300k");
    }

    static List<byte[]> vp8Frames(int count, String size, String bitrate) throws Exception {
        Path ivf = Files.createTempFile("wenzhen-vp8", ".ivf");
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=" + size + ":rate=15",
                "-frames:v", Integer.toString(count), "-c:v", "libvpx", "-b:v", bitrate, "-g", "30", "-f", "ivf", ivf.toString())
                .inheritIO().start();
        assertEquals(0, ffmpeg.waitFor(), "ffmpeg with libvpx (apt-get install ffmpeg)");
        byte[] bytes = Files.readAllBytes(ivf);
        Files.delete(ivf);
        List<byte[]> frames = new ArrayList<>();
        int at = 32;
        while (bytes.length - at >= 12) {
            int length = (bytes[at] & 0xFF) | ((bytes[at + 1] & 0xFF) << 8) | ((bytes[at + 2] & 0xFF) << 16) | ((bytes[at + 3] & 0xFF) << 24);
            frames.add(Arrays.copyOfRange(bytes, at + 12, at + 12 + length));
            at += 12 + length;
        }
        return frames;
    }
}
