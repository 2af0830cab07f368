package io.wenzhen.gateway.edge.video;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import io.wenzhen.gateway.webrtc.Producer;
import io.wenzhen.gateway.webrtc.Sfu;
import io.wenzhen.protocols.h264.H264Packetizer;
import io.wenzhen.protocols.h264.NalUnits;
import io.wenzhen.protocols.rtcp.RtcpPacket;
import io.wenzhen.protocols.rtcp.RtcpParser;
import io.wenzhen.protocols.rtp.RtpPacket;
import io.wenzhen.protocols.vp8.Vp8Rtp;

/**
 * A transcoding participant for a VP8 publisher that FLV players want: it subscribes to the VP8
 * producer like any player, decodes and encodes the video to H.264 ({@link VideoTranscoder}) on a
 * thread of its own, and publishes the result as a producer of its own, with the original Opus
 * passed along untouched. FLV subscribers play that producer. One bridge per VP8 stream, shared by
 * all its FLV players, and gone with the last of them.
 */
public final class VideoBridge implements Producer.Sink {

    private static final Logger LOG = Logger.getLogger(VideoBridge.class);
    static final int QUEUE = 1024;
    /** What the bridge encodes at: a consultation's camera at 640x480 and 15 fps looks right at this rate. */
    static final long BITRATE = 800_000;
    static final int FRAMES_PER_SECOND = 15;
    static final int H264_PAYLOAD_TYPE = 102;

    private final Sfu.Source source;
    private final long sourceVideoSsrc;
    private final long sourceAudioSsrc;
    private final Producer bridged;
    private final Sfu.Source output;
    private final Sfu.Track video;
    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread worker;
    private final String label;
    private volatile boolean keyframeWanted;
    private int sequence = ThreadLocalRandom.current().nextInt(0x10000);

    public VideoBridge(Sfu.Source source, String label) {
        this.source = source;
        this.label = label;
        this.sourceVideoSsrc = source.track("video").map(Sfu.Track::ssrc).orElse(-1L);
        this.sourceAudioSsrc = source.track("audio").map(Sfu.Track::ssrc).orElse(-1L);
        this.video = new Sfu.Track("video", ThreadLocalRandom.current().nextLong(1, 0xFFFF_FFFFL), "H264", H264_PAYLOAD_TYPE);
        // the bridged producer's only feedback is its players' keyframe requests (PLI), for the encoder
        this.bridged = new Producer(source.producer().streamId(), this::fromPlayers, BITRATE);
        bridged.videoSsrc(video.ssrc());
        List<Sfu.Track> tracks = source.track("audio").map(audio -> List.of(video, audio)).orElse(List.of(video));
        tracks.forEach(track -> bridged.declare(track.ssrc()));
        this.output = new Sfu.Source(bridged, tracks, this, source.owner());
        this.worker = Thread.ofVirtual().name("vp8-bridge " + label).start(this::work);
    }

    /** The H.264 stream, for FLV subscribers. */
    public Sfu.Source output() {
        return output;
    }

    /** Whether any player still uses the bridge. */
    public boolean idle() {
        return bridged.consumers().isEmpty();
    }

    private void fromPlayers(byte[] rtcp) {
        try {
            for (RtcpPacket packet : RtcpParser.parse(rtcp, 0, rtcp.length)) {
                if (packet instanceof RtcpPacket.Pli || packet instanceof RtcpPacket.Fir) {
                    keyframeWanted = true;
                }
            }
        } catch (RuntimeException e) {
            // only our own code writes here
        }
    }

    @Override
    public void forward(byte[] packet) {
        if (closed.get() || packet.length < 12) {
            return;
        }
        long ssrc = ((packet[8] & 0xFFL) << 24) | ((packet[9] & 0xFF) << 16) | ((packet[10] & 0xFF) << 8) | (packet[11] & 0xFF);
        if (ssrc == sourceAudioSsrc) {
            bridged.receiveRtp(packet); // Opus as it came: the FLV subscriber bridges audio itself
        } else if (ssrc == sourceVideoSsrc && !queue.offer(packet)) {
            queue.clear(); // too far behind: drop what waits and start again at a keyframe
            keyframeWanted = true;
            source.producer().requestKeyframe();
        }
    }

    @Override
    public void forwardSenderReport(RtcpPacket.SenderReport report) {
        // FLV time lines are built from arrival
    }

    private void work() {
        Vp8Rtp depacketizer = new Vp8Rtp();
        boolean waitingForKeyframe = true;
        source.producer().requestKeyframe();
        try (VideoTranscoder transcoder = new VideoTranscoder(BITRATE, FRAMES_PER_SECOND)) {
            while (!closed.get()) {
                byte[] bytes = queue.poll(1, TimeUnit.SECONDS);
                if (bytes == null) {
                    continue;
                }
                RtpPacket rtp;
                try {
                    rtp = RtpPacket.parse(bytes, 0, bytes.length);
                } catch (RuntimeException e) {
                    continue;
                }
                for (Vp8Rtp.Frame frame : depacketizer.push(rtp.sequenceNumber(), rtp.timestamp(), rtp.marker(), bytes,
                        rtp.payloadOffset(), rtp.payloadLength())) {
                    if (frame.afterLoss() && !frame.keyframe()) {
                        waitingForKeyframe = true; // the decoder's references are gone: the publisher must send a keyframe
                        source.producer().requestKeyframe();
                    }
                    if (waitingForKeyframe && !frame.keyframe()) {
                        continue;
                    }
                    waitingForKeyframe = false;
                    if (keyframeWanted) {
                        keyframeWanted = false;
                        transcoder.requestKeyframe();
                    }
                    for (byte[] accessUnit : transcoder.push(frame.data())) {
                        send(frame.rtpTimestamp(), NalUnits.splitAnnexB(accessUnit, 0, accessUnit.length));
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warnf("%s: the VP8 bridge failed: %s", label, e.toString());
        } finally {
            close();
        }
    }

    /** The access unit as RTP on the bridged producer, at the VP8 frame's own RTP time (both 90 kHz). */
    private void send(long timestamp, List<byte[]> nals) {
        List<byte[]> payloads = H264Packetizer.payloads(nals, 1200);
        for (int i = 0; i < payloads.size(); i++) {
            byte[] packet = RtpPacket.build(H264_PAYLOAD_TYPE, i == payloads.size() - 1, sequence, timestamp, video.ssrc(), payloads.get(i));
            sequence = (sequence + 1) & 0xFFFF;
            bridged.receiveRtp(packet);
        }
    }

    /** The VP8 stream ended, or its last FLV player left: the bridge's players end with it. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        source.producer().remove(this);
        for (Producer.Sink player : bridged.consumers()) {
            player.close();
        }
        worker.interrupt();
    }
}
