package io.wenzhen.gateway.webrtc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.wenzhen.protocols.MalformedPacketException;
import io.wenzhen.protocols.rtcp.RtcpPacket;
import io.wenzhen.protocols.rtcp.RtcpParser;
import io.wenzhen.protocols.rtcp.RtcpWriter;
import io.wenzhen.protocols.rtp.Red;
import io.wenzhen.protocols.rtp.RtpPacket;
import io.wenzhen.protocols.rtp.RtpReceiveStats;
import io.wenzhen.protocols.rtp.Rtx;

/**
 * A published stream (mediasoup's Producer): the RTP of one WebRtcTransport, fanned out to its
 * Consumers without decoding. Keeps a retransmission cache per SSRC for NACKs and asks the publisher
 * for a keyframe (PLI) when a player needs one, at most once per {@link #KEYFRAME_INTERVAL_NANOS}.
 * Only the SSRCs its SDP declared are taken: anything else is dropped before it costs a cache.
 */
public final class Producer {

    static final long KEYFRAME_INTERVAL_NANOS = 500_000_000L;
    static final int CACHE = 1024;
    /** NACKs are answered for packets up to this old (a jitter buffer holds well under it). */
    static final long RESEND_MAX_AGE_NANOS = 1_000_000_000L;
    /** Gaps up to this long are NACKed; a longer one is an outage the publisher's keyframe must repair. */
    static final int MAX_NACK_GAP = 32;
    /** The SSRC the gateway uses as sender of its own RTCP toward publishers. */
    static final long GATEWAY_SSRC = 0x57454E5AL; // "WENZ"
    /** A narrowed player's downlink is passed on to the publisher at most this often between reports. */
    static final long DOWNLINK_REMB_INTERVAL_NANOS = 200_000_000L;

    /** Where the publisher's RTCP feedback goes: its WebRtcTransport, or nowhere for an RTMP publisher. */
    @FunctionalInterface
    public interface Upstream {
        void sendRtcp(byte[] packet);
    }

    /**
     * Whatever takes this producer's RTP: a WebRTC {@link Consumer}, or the mini-program edge's FLV
     * subscriber. Called on the thread that receives the publisher's media: a sink must not block.
     */
    public interface Sink extends AutoCloseable {
        void forward(byte[] packet);

        void forwardSenderReport(RtcpPacket.SenderReport report);

        /**
         * Whether this sink takes redundant audio (RFC 2198) as the publisher sends it; one that does not (the FLV
         * edge) gets each RED packet's primary block alone.
         */
        default boolean takesRed() {
            return false;
        }

        /** What this sink's downlink carries when it is known to be narrower than the stream; -1 when not. */
        default long downlinkLimitBps() {
            return -1;
        }

        @Override
        void close();
    }

    /**
     * What the gateway measured of this stream over the last report interval.
     *
     * @param retransmissionsReceived packets the publisher resent on its RTX stream, restored to the media stream
     */
    public record Report(long packets, long bytes, long bitrateBps, double lossFraction, long lostTotal, double jitterMillis,
            long rembBps, long nacksSent, long nacksAnswered, long keyframeRequests, long retransmissionsReceived, Media video,
            Media audio) {
        static final Report NONE = new Report(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Media.NONE, Media.NONE);
    }

    /**
     * One medium's figures over the last report interval (packets, bytes and lost are totals).
     *
     * @param framesPerSecond from the RTP marker bits (video; 0 for audio)
     * @param freezes         video freezes so far, by the W3C freezeCount rule ({@link FrameClock})
     */
    public record Media(long packets, long bytes, long bitrateBps, double lossFraction, long lostTotal, double jitterMillis,
            double framesPerSecond, long freezes, double frozenMillis) {
        static final Media NONE = new Media(0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** The media SSRC and payload type a publisher's RTX stream restores packets to. */
    private record RtxStream(long mediaSsrc, int mediaPayloadType) {
    }

    private final String streamId;
    private final Upstream transport;
    private final List<Sink> consumers = new CopyOnWriteArrayList<>();
    private final Map<Long, RtpCache> caches = new ConcurrentHashMap<>();
    private final AtomicLong lastKeyframeRequest = new AtomicLong(System.nanoTime() - KEYFRAME_INTERVAL_NANOS);
    private final AtomicLong lastDownlinkRemb = new AtomicLong(System.nanoTime() - DOWNLINK_REMB_INTERVAL_NANOS);
    private volatile long videoSsrc = -1;
    /** The publisher's RED payload type and the one of the blocks inside (its Opus); 0: it sends no RED. */
    private volatile int redPayloadType;
    private volatile int redBlockPayloadType;
    /** The publisher's RTX SSRC → the media stream it retransmits (RFC 4588). */
    private final Map<Long, RtxStream> rtxStreams = new ConcurrentHashMap<>();
    final LongAdder retransmissionsReceived = new LongAdder();
    /** The media SSRCs the publisher's SDP announced: the only ones taken (RTX is unwrapped onto them first). */
    private final Set<Long> declared = ConcurrentHashMap.newKeySet();
    /** Receive statistics per incoming SSRC; guarded by itself (receive thread and reporter). */
    private final Map<Long, RtpReceiveStats> received = new HashMap<>();
    private final BitrateEstimator bitrate;
    private long reportedBytes;
    private long reportedVideoBytes;
    private long reportedFrames;
    private long reportedAtNanos = System.nanoTime();
    /** The publisher's video frames as they arrive; guarded by {@link #received}. */
    private final FrameClock frames = new FrameClock();
    private volatile Report lastReport = Report.NONE;
    final LongAdder nacksAnswered = new LongAdder();
    final LongAdder keyframeRequests = new LongAdder();
    final LongAdder nacksSent = new LongAdder();
    /** The highest sequence number seen per video SSRC, to notice gaps; guarded by {@link #received}. */
    private final Map<Long, Integer> highestSequence = new HashMap<>();

    public Producer(String streamId, WebRtcTransport transport) {
        this(streamId, transport, 2_500_000);
    }

    /** @param maxBitrateBps the ceiling announced in REMB */
    public Producer(String streamId, WebRtcTransport transport, long maxBitrateBps) {
        this(streamId, (Upstream) transport::sendRtcp, maxBitrateBps);
        transport.onRtp(this::receiveRtp);
        transport.onRtcp(this::receiveRtcp);
    }

    /** A producer whose media the caller feeds through {@link #receiveRtp} and {@link #receiveRtcp}. */
    public Producer(String streamId, Upstream upstream, long maxBitrateBps) {
        this.streamId = streamId;
        this.transport = upstream;
        this.bitrate = new BitrateEstimator(maxBitrateBps);
    }

    public String streamId() {
        return streamId;
    }

    boolean isVideo(long ssrc) {
        return ssrc == videoSsrc;
    }

    /** Which SSRC carries video (the one keyframes are requested for); from the offer's SDP. */
    public void videoSsrc(long ssrc) {
        this.videoSsrc = ssrc;
    }

    /** The publisher wraps its audio (payload type {@code blockPayloadType}) in RED of {@code payloadType}; from its answer. */
    public void red(int payloadType, int blockPayloadType) {
        this.redBlockPayloadType = blockPayloadType;
        this.redPayloadType = payloadType;
    }

    /** The publisher's RED payload type, or 0 when it sends none. */
    int redPayloadType() {
        return redPayloadType;
    }

    /** The payload type of the blocks inside the publisher's RED (its Opus). */
    int redBlockPayloadType() {
        return redBlockPayloadType;
    }

    /** The publisher retransmits {@code mediaSsrc} (payload type {@code payloadType}) on {@code rtxSsrc}; from its offer. */
    public void rtxStream(long rtxSsrc, long mediaSsrc, int payloadType) {
        rtxStreams.put(rtxSsrc, new RtxStream(mediaSsrc, payloadType));
    }

    /** A media SSRC the publisher's SDP announced: its packets are taken, cached and forwarded. */
    public void declare(long ssrc) {
        declared.add(ssrc);
    }

    public void add(Sink consumer) {
        consumers.add(consumer);
    }

    public void remove(Sink consumer) {
        consumers.remove(consumer);
    }

    public List<Sink> consumers() {
        return List.copyOf(consumers);
    }

    /** One RTP packet from the publisher, decrypted. */
    public void receiveRtp(byte[] incoming) {
        byte[] packet = incoming;
        RtpPacket rtp;
        try {
            rtp = RtpPacket.parse(packet, 0, packet.length);
        } catch (RuntimeException e) {
            return;
        }
        RtxStream rtx = rtxStreams.isEmpty() ? null : rtxStreams.get(rtp.ssrc());
        if (rtx != null) {
            try {
                packet = Rtx.unwrap(packet, rtx.mediaSsrc(), rtx.mediaPayloadType());
            } catch (RuntimeException e) {
                return;
            }
            if (packet == null) {
                return; // padding only: the publisher probing its bandwidth
            }
            rtp = RtpPacket.parse(packet, 0, packet.length);
        }
        if (!declared.contains(rtp.ssrc())) {
            return; // not announced: a stranger's SSRC gets no cache, no statistics and no players
        }
        RtpCache cache = caches.get(rtp.ssrc());
        if (cache != null && cache.get(rtp.sequenceNumber()) != null) {
            // already here: a redundant resend (Chromium probes bandwidth with old packets too), or the late
            // original of a packet its RTX copy restored. Players must never get one sequence number twice:
            // the two copies' headers differ, and SRTP would seal different plaintexts under one GCM nonce.
            return;
        }
        if (rtx != null) {
            retransmissionsReceived.increment();
        }
        long now = System.nanoTime();
        caches.computeIfAbsent(rtp.ssrc(), ssrc -> new RtpCache(CACHE)).put(rtp.sequenceNumber(), packet, now);
        List<Integer> missing = null;
        synchronized (received) {
            received.computeIfAbsent(rtp.ssrc(), ssrc -> new RtpReceiveStats(ssrc,
                    ssrc == videoSsrc ? 90000 : 48000)).received(rtp.sequenceNumber(), rtp.timestamp(), now, packet.length, rtx != null);
            if (rtp.ssrc() == videoSsrc) {
                missing = gap(rtp.ssrc(), rtp.sequenceNumber());
                if (rtp.marker() && rtx == null) {
                    frames.frameEnded(now); // a retransmission's frame ended when its original would have
                }
            }
        }
        if (missing != null) {
            // ask the publisher again at once: the players' own NACKs can then be answered from the cache
            transport.sendRtcp(RtcpWriter.nack(GATEWAY_SSRC, rtp.ssrc(), missing));
            nacksSent.increment();
        }
        boolean red = redPayloadType > 0 && rtp.payloadType() == redPayloadType;
        byte[] primary = null;
        boolean unwrapped = false;
        for (Sink consumer : consumers) {
            if (!red || consumer.takesRed()) {
                consumer.forward(packet);
                continue;
            }
            if (!unwrapped) {
                unwrapped = true; // once per packet, for every sink that takes plain Opus
                try {
                    primary = Red.primary(packet);
                } catch (MalformedPacketException e) {
                    primary = null; // nothing such a sink could play
                }
            }
            if (primary != null) {
                consumer.forward(primary);
            }
        }
    }

    /** The sequence numbers skipped before {@code sequence} (video only: audio is not retransmitted), or null. */
    private List<Integer> gap(long ssrc, int sequence) {
        Integer highest = highestSequence.get(ssrc);
        int ahead = highest == null ? 0 : (sequence - highest) & 0xFFFF;
        if (highest != null && (ahead == 0 || ahead >= 0x8000)) {
            return null; // a repeat, or late (reordered, or the retransmission we asked for)
        }
        highestSequence.put(ssrc, sequence);
        if (highest == null || ahead <= 1 || ahead > MAX_NACK_GAP + 1) {
            return null;
        }
        List<Integer> missing = new ArrayList<>(ahead - 1);
        for (int i = 1; i < ahead; i++) {
            missing.add((highest + i) & 0xFFFF);
        }
        return missing;
    }

    /** Sender reports tie each track's RTP clock to wall time: players need them for lip sync. */
    public void receiveRtcp(byte[] compound) {
        for (RtcpPacket packet : RtcpParser.parseOrNone(compound)) {
            if (packet instanceof RtcpPacket.SenderReport report) {
                synchronized (received) {
                    var stats = received.get(report.ssrc());
                    if (stats != null) {
                        stats.senderReport(report.ntpTimestamp(), System.nanoTime());
                    }
                }
                for (Sink consumer : consumers) {
                    consumer.forwardSenderReport(report);
                }
            }
        }
    }

    /**
     * Sends the publisher a receiver report for each of its tracks and a REMB with the bitrate it may
     * use (so its encoder ramps up, and backs off under loss), and keeps the interval's figures.
     * Called about once a second.
     */
    public Report report() {
        long now = System.nanoTime();
        List<RtcpPacket.ReportBlock> blocks = new ArrayList<>();
        long packets = 0;
        long bytes = 0;
        long lost = 0;
        double jitter = 0;
        double worstLoss = 0;
        double seconds = Math.max(1e-3, (now - reportedAtNanos) / 1e9);
        Media video = Media.NONE;
        Media audio = Media.NONE;
        synchronized (received) {
            for (RtpReceiveStats stats : received.values()) {
                if (!stats.started()) {
                    continue;
                }
                var block = stats.reportBlock(now);
                blocks.add(block);
                double loss = block.fractionLost() / 256.0;
                worstLoss = Math.max(worstLoss, loss);
                packets += stats.packets();
                bytes += stats.bytes();
                lost += stats.lost();
                jitter = Math.max(jitter, stats.jitterMillis());
                if (stats.ssrc() == videoSsrc) {
                    video = new Media(stats.packets(), stats.bytes(), (long) ((stats.bytes() - reportedVideoBytes) * 8 / seconds), loss,
                            stats.lost(), stats.jitterMillis(), (frames.frames() - reportedFrames) / seconds, frames.freezes(),
                            frames.frozenMillis());
                    reportedVideoBytes = stats.bytes();
                    reportedFrames = frames.frames();
                } else {
                    audio = new Media(audio.packets() + stats.packets(), audio.bytes() + stats.bytes(), 0, Math.max(audio.lossFraction(),
                            loss), audio.lostTotal() + stats.lost(), Math.max(audio.jitterMillis(), stats.jitterMillis()), 0, 0, 0);
                }
            }
        }
        if (blocks.isEmpty()) {
            return lastReport;
        }
        long bps = (long) ((bytes - reportedBytes) * 8 / seconds);
        reportedBytes = bytes;
        reportedAtNanos = now;
        if (audio != Media.NONE) {
            audio = new Media(audio.packets(), audio.bytes(), Math.max(0, bps - video.bitrateBps()), audio.lossFraction(),
                    audio.lostTotal(), audio.jitterMillis(), 0, 0, 0);
        }
        long remb = withinDownlinks(bitrate.update(bps, worstLoss));
        byte[] rr = RtcpWriter.receiverReport(GATEWAY_SSRC, blocks);
        byte[] rembPacket = RtcpWriter.remb(GATEWAY_SSRC, remb, blocks.stream().map(b -> b.ssrc()).toList());
        byte[] compound = new byte[rr.length + rembPacket.length];
        System.arraycopy(rr, 0, compound, 0, rr.length);
        System.arraycopy(rembPacket, 0, compound, rr.length, rembPacket.length);
        // the figures first: whoever sees the report on the wire finds them already kept
        lastReport = new Report(packets, bytes, bps, worstLoss, lost, jitter, remb, nacksSent.sum(), nacksAnswered.sum(),
                keyframeRequests.sum(), retransmissionsReceived.sum(), video, audio);
        transport.sendRtcp(compound);
        return lastReport;
    }

    /**
     * The bitrate the publisher is granted: when its stream has one viewer and that viewer's link is the narrow one
     * (a player whose send-side estimate fell), no more than that link carries. One video layer goes to every viewer,
     * so this fits a consultation's stream to the one other participant; with more viewers (players, FLV, a pipe to
     * another gateway) no single one of them sets what everyone gets, and each narrow player has only its resends
     * held to its link, until simulcast gives each its own layer.
     */
    private long withinDownlinks(long granted) {
        List<Sink> viewers = List.copyOf(consumers);
        if (viewers.size() != 1) {
            return granted;
        }
        long downlink = viewers.getFirst().downlinkLimitBps();
        return downlink > 0 ? Math.min(granted, Math.max(BitrateEstimator.FLOOR_BPS, downlink)) : granted;
    }

    /**
     * A player's downlink estimate fell: the publisher is told its new grant at once (at most every
     * {@link #DOWNLINK_REMB_INTERVAL_NANOS}) rather than at its next report, so its encoder backs off while the
     * player's queue is still short.
     */
    void downlinkNarrowed() {
        long now = System.nanoTime();
        long last = lastDownlinkRemb.get();
        if (now - last < DOWNLINK_REMB_INTERVAL_NANOS || !lastDownlinkRemb.compareAndSet(last, now)) {
            return;
        }
        List<Long> ssrcs = List.copyOf(declared);
        if (!ssrcs.isEmpty()) {
            transport.sendRtcp(RtcpWriter.remb(GATEWAY_SSRC, withinDownlinks(bitrate.estimate()), ssrcs));
        }
    }

    /** The figures of the last report interval. */
    public Report lastReport() {
        return lastReport;
    }

    /**
     * The original packet for a NACK, or null when it is no longer cached or older than {@link #RESEND_MAX_AGE_NANOS}:
     * a player back from an outage NACKs seconds of packets, and resent they would be decoded as a fast replay of
     * the past; unanswered, the player asks for a keyframe and shows the present.
     */
    byte[] cached(long ssrc, int sequence) {
        RtpCache cache = caches.get(ssrc);
        return cache == null ? null : cache.getIfStoredSince(sequence, System.nanoTime() - RESEND_MAX_AGE_NANOS);
    }

    /** A PLI to the publisher, throttled: many players asking at once make one request. */
    public boolean requestKeyframe() {
        long now = System.nanoTime();
        long last = lastKeyframeRequest.get();
        long ssrc = videoSsrc;
        if (ssrc < 0 || now - last < KEYFRAME_INTERVAL_NANOS || !lastKeyframeRequest.compareAndSet(last, now)) {
            return false;
        }
        transport.sendRtcp(RtcpWriter.pli(GATEWAY_SSRC, ssrc));
        keyframeRequests.increment();
        return true;
    }
}
