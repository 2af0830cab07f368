package io.wenzhen.gateway.edge;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import io.wenzhen.gateway.edge.audio.AudioBridges;
import io.wenzhen.gateway.edge.audio.AudioTranscoder;
import io.wenzhen.gateway.errors.GatewayError;
import io.wenzhen.gateway.webrtc.Producer;
import io.wenzhen.gateway.webrtc.Sfu;
import io.wenzhen.protocols.amf.Amf0;
import io.wenzhen.protocols.flv.AudioTag;
import io.wenzhen.protocols.flv.AvcDecoderConfiguration;
import io.wenzhen.protocols.flv.FlvTag;
import io.wenzhen.protocols.flv.VideoTag;
import io.wenzhen.protocols.h264.H264Depacketizer;
import io.wenzhen.protocols.h264.NalUnits;
import io.wenzhen.protocols.rtcp.RtcpPacket;
import io.wenzhen.protocols.rtp.RtpPacket;

/**
 * A producer played as FLV (over HTTP or RTMP), for live-player: the H.264 RTP depacketized into
 * AVC tags as it came (a sequence header whenever SPS/PPS appear or change), the Opus decoded and
 * encoded to AAC. Starts, and restarts after loss, at a keyframe, which it asks the publisher for.
 * The media thread only queues packets; a virtual thread of its own does the work and the writing,
 * so a slow player or the transcoder never delays anyone else's forwarding.
 */
public final class FlvSubscriber implements Producer.Sink {

    private static final Logger LOG = Logger.getLogger(FlvSubscriber.class);
    /** About 8 s of a 1 Mbit/s stream: past that, this player cannot keep up and is cut loose. */
    static final int QUEUE = 1024;
    static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** Where the tags go: an HTTP response or an RTMP connection. */
    public interface Output {
        void write(FlvTag tag) throws IOException;

        /** True while the peer is not taking data: audio and video are then skipped, and resume at a keyframe. */
        boolean congested();

        void close();
    }

    private final Producer producer;
    private final long videoSsrc;
    private final long audioSsrc;
    private final Output output;
    private final String label;
    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private final Thread worker;
    private volatile long overflowSince;
    private final Runnable ended;
    /** Since when the output has refused data (0: it takes it): a player gone quiet is cut loose. */
    private long congestedSince;

    private final H264Depacketizer depacketizer = new H264Depacketizer();
    private byte[] sps;
    private byte[] pps;
    private boolean waitingForKeyframe = true;
    private AudioTranscoder toAac;
    private boolean audioHeaderSent;
    /** This player's time line: 0 at its first packet; each track anchored by when its first packet came. */
    private final long startNanos = System.nanoTime();
    private final TrackClock videoClock = new TrackClock(90);
    private long audioBaseMillis = -1;
    /** The AAC encoder's pts at the audio time line's anchor (MIN_VALUE: the next frame sets it). */
    private long audioSamplesBase = Long.MIN_VALUE;
    private long nextOpusTimestamp = -1;
    private long lastVideoMillis = -1;
    private long lastAudioMillis = -1;

    /**
     * @param source the stream, or its transcoding bridge's output ({@link EdgeAccess#subscribe})
     * @throws EdgeRefusal CODEC_NOT_PLAYABLE when the source's video is not H.264
     */
    public FlvSubscriber(Sfu.Source source, Output output, String label) {
        this(source, output, label, () -> { });
    }

    /** @param ended called once when this playback ends, whoever ends it */
    public FlvSubscriber(Sfu.Source source, Output output, String label, Runnable ended) {
        requireH264(source);
        this.ended = ended;
        this.producer = source.producer();
        this.videoSsrc = source.track("video").map(Sfu.Track::ssrc).orElse(-1L);
        this.audioSsrc = source.track("audio").filter(t -> t.codec().equalsIgnoreCase("opus")).map(Sfu.Track::ssrc).orElse(-1L);
        this.output = output;
        this.label = label;
        this.worker = Thread.ofVirtual().name("flv " + label).start(this::work);
    }

    /** FLV carries H.264 (or nothing): a VP8 publisher cannot be played this way. */
    static void requireH264(Sfu.Source source) {
        source.track("video").ifPresent(track -> {
            if (!track.codec().equalsIgnoreCase("H264")) {
                throw new EdgeRefusal(GatewayError.CODEC_NOT_PLAYABLE);
            }
        });
    }

    @Override
    public void forward(byte[] packet) {
        if (closed.get()) {
            return;
        }
        if (!queue.offer(packet)) {
            if (overflowed.compareAndSet(false, true)) {
                overflowSince = System.nanoTime();
            } else if (System.nanoTime() - overflowSince > GIVE_UP_NANOS) {
                LOG.infof("%s: the player has not kept up for %d s, closing", label, TimeUnit.NANOSECONDS.toSeconds(GIVE_UP_NANOS));
                close();
            }
        }
    }

    @Override
    public void forwardSenderReport(RtcpPacket.SenderReport report) {
        // the FLV time line is built from arrival; sender reports are not needed for it
    }

    private void work() {
        try {
            output.write(new FlvTag(FlvTag.SCRIPT, 0, metadata()));
            producer.requestKeyframe();
            while (!closed.get()) {
                byte[] packet = queue.poll(1, TimeUnit.SECONDS);
                if (packet == null) {
                    continue;
                }
                if (overflowed.getAndSet(false)) {
                    waitingForKeyframe = true; // packets were dropped: the picture can only resume at a keyframe
                    producer.requestKeyframe();
                }
                if (output.congested()) {
                    long now = System.nanoTime();
                    congestedSince = congestedSince == 0 ? now : congestedSince;
                    if (now - congestedSince > GIVE_UP_NANOS) {
                        LOG.infof("%s: the player has taken nothing for %d s, closing", label, TimeUnit.NANOSECONDS.toSeconds(GIVE_UP_NANOS));
                        break;
                    }
                    waitingForKeyframe = true; // audio and video are skipped until it takes data again
                    continue;
                }
                congestedSince = 0;
                handle(packet);
            }
        } catch (IOException e) {
            LOG.debugf("%s: the player went away: %s", label, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warnf("%s: failed: %s", label, e.toString());
        } finally {
            close();
            if (toAac != null) {
                toAac.close(); // here, on the only thread that uses it
                toAac = null;
            }
        }
    }

    private void handle(byte[] bytes) throws IOException {
        RtpPacket rtp;
        try {
            rtp = RtpPacket.parse(bytes, 0, bytes.length);
        } catch (RuntimeException e) {
            return;
        }
        if (rtp.ssrc() == videoSsrc) {
            for (H264Depacketizer.AccessUnit unit : depacketizer.push(rtp.sequenceNumber(), rtp.timestamp(), rtp.marker(), bytes,
                    rtp.payloadOffset(), rtp.payloadLength())) {
                video(unit);
            }
        } else if (rtp.ssrc() == audioSsrc) {
            audio(rtp, Arrays.copyOfRange(bytes, rtp.payloadOffset(), rtp.payloadOffset() + rtp.payloadLength()));
        }
    }

    private void video(H264Depacketizer.AccessUnit unit) throws IOException {
        if (unit.afterLoss() && !unit.keyframe()) {
            waitingForKeyframe = true;
            producer.requestKeyframe();
        }
        List<byte[]> frame = new ArrayList<>(unit.nals().size());
        boolean parametersChanged = false;
        for (byte[] nal : unit.nals()) {
            int type = NalUnits.type(nal);
            if (type == NalUnits.SPS) {
                parametersChanged |= sps == null || !Arrays.equals(sps, nal);
                sps = nal;
            } else if (type == NalUnits.PPS) {
                parametersChanged |= pps == null || !Arrays.equals(pps, nal);
                pps = nal;
            } else if (type != NalUnits.AUD) {
                frame.add(nal);
            }
        }
        // strictly increasing (a unit's time never repeats or goes back, whatever the RTP says)
        long millis = Math.max(videoClock.millis(unit.rtpTimestamp(), startNanos), lastVideoMillis + 1);
        if (parametersChanged && sps != null && pps != null && sps.length >= 4) {
            output.write(new FlvTag(FlvTag.VIDEO, millis, VideoTag.sequenceHeader(AvcDecoderConfiguration.build(sps, pps))));
        }
        if (waitingForKeyframe) {
            if (!unit.keyframe() || sps == null || pps == null) {
                return;
            }
            waitingForKeyframe = false;
        }
        if (frame.isEmpty()) {
            return;
        }
        lastVideoMillis = millis;
        output.write(new FlvTag(FlvTag.VIDEO, millis, VideoTag.nalus(unit.keyframe(), 0, frame)));
    }

    private void audio(RtpPacket rtp, byte[] opus) throws IOException {
        if (toAac == null) {
            toAac = AudioBridges.opusToAac();
        }
        AudioTranscoder transcoder = toAac;
        long timestamp = rtp.timestamp();
        List<AudioTranscoder.Encoded> encoded = new ArrayList<>();
        if (nextOpusTimestamp >= 0) {
            int ahead = (int) (timestamp - nextOpusTimestamp);
            if (ahead < -960 * 50 || ahead > 48_000) {
                audioBaseMillis = -1; // a jump (publisher restart): start a new run of the time line
            } else if (ahead < 0) {
                return; // late or repeated
            } else if (ahead >= 960) {
                encoded.addAll(transcoder.silence(ahead)); // lost or discontinued: keep pace with video
            }
        }
        if (audioBaseMillis < 0) {
            // anchored, like video, at arrival: the two tracks line up as their first packets did
            audioBaseMillis = Math.max((System.nanoTime() - startNanos) / 1_000_000, lastAudioMillis + 1);
            audioSamplesBase = Long.MIN_VALUE; // the next AAC frame out starts the run
        }
        nextOpusTimestamp = (timestamp + 960) & 0xFFFF_FFFFL;
        encoded.addAll(transcoder.push(opus));
        if (!audioHeaderSent) {
            byte[] config = transcoder.encoderConfig();
            if (config == null) {
                return;
            }
            output.write(new FlvTag(FlvTag.AUDIO, audioBaseMillis, AudioTag.aacSequenceHeader(config)));
            audioHeaderSent = true;
        }
        for (AudioTranscoder.Encoded frame : encoded) {
            if (audioSamplesBase == Long.MIN_VALUE) {
                audioSamplesBase = frame.pts();
            }
            // 1024 samples (21.3 ms) apart: strictly increasing, as muxers and players require
            long millis = Math.max(audioBaseMillis + (frame.pts() - audioSamplesBase) / 48, lastAudioMillis + 1);
            lastAudioMillis = millis;
            output.write(new FlvTag(FlvTag.AUDIO, millis, AudioTag.aacFrame(frame.data())));
        }
    }

    private static byte[] metadata() {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("videocodecid", 7.0);
        meta.put("audiocodecid", 10.0);
        meta.put("audiosamplerate", 48000.0);
        meta.put("audiochannels", 1.0);
        meta.put("encoder", "Wenzhen media-gateway");
        return Amf0.encode("onMetaData", meta);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        producer.remove(this);
        output.close();
        worker.interrupt();
        ended.run();
    }

    /** A track's RTP time on this player's time line: anchored at the wall time its first packet was handled. */
    private static final class TrackClock {
        private final int ticksPerMilli;
        private long lastTimestamp = -1;
        /** Ticks since the first packet, unwrapped step by step (32-bit RTP time wraps every 13 h at 90 kHz). */
        private long elapsedTicks;
        private long anchorMillis;

        TrackClock(int ticksPerMilli) {
            this.ticksPerMilli = ticksPerMilli;
        }

        long millis(long rtpTimestamp, long startNanos) {
            if (lastTimestamp < 0) {
                anchorMillis = (System.nanoTime() - startNanos) / 1_000_000;
            } else {
                elapsedTicks += (int) (rtpTimestamp - lastTimestamp); // a signed 32-bit step: wrap-safe
            }
            lastTimestamp = rtpTimestamp;
            return anchorMillis + elapsedTicks / ticksPerMilli;
        }
    }
}
