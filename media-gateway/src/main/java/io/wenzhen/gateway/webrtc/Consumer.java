package io.wenzhen.gateway.webrtc;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import io.wenzhen.protocols.MalformedPacketException;
import io.wenzhen.protocols.h264.H264Depacketizer;
import io.wenzhen.protocols.rtcp.RtcpPacket;
import io.wenzhen.protocols.rtcp.RtcpParser;
import io.wenzhen.protocols.rtcp.RtcpWriter;
import io.wenzhen.protocols.rtcp.TransportFeedback;
import io.wenzhen.protocols.rtp.Red;
import io.wenzhen.protocols.rtp.RtpPacket;
import io.wenzhen.protocols.rtp.Rtx;
import io.wenzhen.protocols.vp8.Vp8Rtp;

/**
 * A subscription to a Producer (mediasoup's Consumer): each packet is copied, given this player's
 * SSRC and payload type (from the player's SDP), and sent over its WebRtcTransport. The player's
 * PLI/FIR become keyframe requests to the publisher; its NACKs are answered from the producer's cache,
 * on the player's RTX stream (RFC 4588) when it negotiated one, within the {@link ResendLimiter}'s caps.
 */
public final class Consumer implements Producer.Sink {

    /** The ceiling assumed for a player's downlink until it sends a REMB: what publishers are granted. */
    static final long DEFAULT_PLAYER_BANDWIDTH_BPS = 2_500_000;
    static final int VIDEO_CLOCK = 90_000;
    static final int AUDIO_CLOCK = 48_000;
    /** A move to another producer asks it for a keyframe again when none came this long after the first request. */
    static final long KEYFRAME_RETRY_NANOS = 600_000_000L;

    /**
     * How one of the producer's SSRCs appears to this player.
     *
     * @param rtxPayloadType the payload type of retransmissions (RFC 4588) on {@code rtxSsrc}; -1 when the
     *                       player did not negotiate RTX and retransmissions go on {@code ssrc} as they were
     * @param redPayloadType the player's payload type of redundant audio (RFC 2198) around {@code payloadType}; -1
     *                       when it did not negotiate RED and gets the primary block of each RED packet alone
     */
    public record Mapping(long ssrc, int payloadType, long rtxSsrc, int rtxPayloadType, int redPayloadType) {

        public Mapping(long ssrc, int payloadType) {
            this(ssrc, payloadType, 0, -1, -1);
        }

    }

    /**
     * What the player reports and what was sent to it: the server's view of one subscription. Loss and
     * jitter overall are the worse of the two media's.
     *
     * @param resendsRefused NACKed packets not sent again: repeated within an RTT, over a cap, or over budget
     * @param downlinkEstimateBps what the player's downlink carries by the send-side estimate, or -1 without
     *                            transport-wide feedback
     */
    public record Stats(long packetsSent, long bytesSent, double lossFraction, long cumulativeLost, double jitterMillis,
            long rttMillis, long nacks, long retransmitted, long keyframeRequests, long videoBytesSent, double videoLossFraction,
            double audioLossFraction, double videoJitterMillis, double audioJitterMillis, long resendsRefused,
            long downlinkEstimateBps) {
    }

    /**
     * What this consumer forwards: a producer, how its SSRCs appear to this player, and how its header
     * extension ids map to the player's. Replaced whole when the player is moved to another producer of
     * the same stream ({@link #retarget}).
     */
    private record Feed(Producer producer, Map<Long, Mapping> mappings, Map<Long, Long> producerSsrcByConsumerSsrc,
            int[] extensionMap) {

        static Feed of(Producer producer, Map<Long, Mapping> mappings, int[] extensionMap) {
            Map<Long, Long> reverse = new HashMap<>();
            mappings.forEach((source, mapping) -> reverse.put(mapping.ssrc(), source));
            return new Feed(producer, Map.copyOf(mappings), Map.copyOf(reverse), extensionMap);
        }
    }

    /**
     * One of the player's SSRCs as it has seen it: the last sequence number and timestamp sent, and the
     * offsets that carry a new producer's numbering on from there, so the player sees one stream. After a
     * move, the new producer's packets from before the one the track switched at are never sent (their
     * numbers would be ones the player already had from the old producer), nor are NACKs for the old
     * producer's packets answered from the new one's cache.
     */
    private static final class Continuity {
        /** How far past the switch the check for earlier packets runs (then sequence numbers may wrap). */
        static final int BOUNDARY_SPAN = 2048;
        final int clockRate;
        int lastSequence = -1;
        long lastTimestamp;
        long lastSentNanos;
        int sequenceDelta;
        long timestampDelta;
        /** The track takes the next producer's packets (a move under way, or done). */
        boolean moved;
        /** The next packet is the first of the new producer: the offsets are set from it. */
        boolean rebase;
        /** The new producer's sequence number the track switched at, and the player's for it; -1: none. */
        int boundary = -1;
        int firstSentAfterMove = -1;

        Continuity(int clockRate) {
            this.clockRate = clockRate;
        }

        /** The first packet from a new producer: its numbering continues the last packet sent. */
        void rebaseOn(int sequence, long timestamp, long now) {
            if (lastSequence >= 0) {
                sequenceDelta = (lastSequence + 1 - sequence) & 0xFFFF;
                long elapsed = Math.max(1, (now - lastSentNanos) * clockRate / 1_000_000_000L);
                timestampDelta = (lastTimestamp + elapsed - timestamp) & 0xFFFF_FFFFL;
            }
            boundary = sequence;
            firstSentAfterMove = (sequence + sequenceDelta) & 0xFFFF;
            rebase = false;
        }

        /** Whether a packet of the producer the track moved to comes from before the switch (late, or restored). */
        boolean beforeSwitch(int sequence) {
            if (boundary < 0) {
                return false;
            }
            int ahead = (sequence - boundary) & 0xFFFF;
            if (ahead >= 0x8000) {
                return true;
            }
            if (ahead > BOUNDARY_SPAN) {
                boundary = -1; // well past the switch: nothing from before it can come any more
            }
            return false;
        }

        /** Whether the player's sequence number is one the old producer sent (a NACK not to answer from the new one). */
        boolean sentBeforeMove(int playerSequence) {
            return firstSentAfterMove >= 0 && ((playerSequence - firstSentAfterMove) & 0xFFFF) >= 0x8000
                    && ((firstSentAfterMove - playerSequence) & 0xFFFF) <= BOUNDARY_SPAN;
        }

        void sent(int sequence, long timestamp, long now) {
            if (lastSequence < 0 || ((sequence - lastSequence) & 0xFFFF) < 0x8000) {
                lastSequence = sequence;
                lastTimestamp = timestamp;
                lastSentNanos = now;
            }
        }
    }

    /**
     * A move to another producer under way: each track switches on its own, audio at the next producer's first
     * packet, video at its next keyframe; the move is done when every track has switched.
     */
    private record Pending(Feed feed, String videoCodec, Producer.Sink listener, long sinceNanos) {
    }

    private final WebRtcTransport transport;
    /** Guarded by this consumer's lock, as are the continuities, the pending move and closed. */
    private Feed feed;
    private Pending pending;
    private boolean closed;
    /** The player's SSRC → its continuity. */
    private final Map<Long, Continuity> continuity = new HashMap<>();
    /** The player's RTX stream numbers its packets itself, from a random start (RFC 3550 §5.1). */
    private final AtomicInteger rtxSequence = new AtomicInteger(ThreadLocalRandom.current().nextInt(0x10000));
    private final LongAdder packetsSent = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder nacks = new LongAdder();
    private final LongAdder retransmitted = new LongAdder();
    private final LongAdder resendsRefused = new LongAdder();
    private final LongAdder keyframeRequests = new LongAdder();
    private final LongAdder videoBytesSent = new LongAdder();
    /** When each forwarded sender report left, by the NTP middle 32 bits a receiver report echoes (LSR). */
    private final Map<Long, Long> senderReportsSent = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
            return size() > 16;
        }
    });
    /** Guarded by itself: NACKs arrive on the player's receive thread. */
    private final ResendLimiter resends = new ResendLimiter(DEFAULT_PLAYER_BANDWIDTH_BPS, System.nanoTime());
    private volatile double videoLoss;
    private volatile double audioLoss;
    private volatile long videoLost;
    private volatile long audioLost;
    private volatile double videoJitter;
    private volatile double audioJitter;
    private volatile long rttMillis = -1;
    /** A fraction of video packets dropped toward this player on first sending (never retransmissions); 0: none. */
    private volatile double impairedLoss;

    /** @param mappings producer SSRC → this player's SSRC and payload type */
    public Consumer(Producer producer, WebRtcTransport transport, Map<Long, Mapping> mappings) {
        this(producer, transport, mappings, null);
    }

    /** @param extensionMap the publisher's header-extension ids → this player's (null: the same ids) */
    public Consumer(Producer producer, WebRtcTransport transport, Map<Long, Mapping> mappings, int[] extensionMap) {
        this.transport = transport;
        this.feed = Feed.of(producer, mappings, extensionMap);
        mappings.forEach((source, mapping) -> continuity.put(mapping.ssrc(),
                new Continuity(producer.isVideo(source) ? VIDEO_CLOCK : AUDIO_CLOCK)));
        transport.onRtcp(this::onRtcp);
        transport.onClosed(this::close); // the player is gone (DTLS ended, consent lapsed): stop forwarding to it
        producer.add(this);
        // a new player cannot decode until the next keyframe: ask for one as soon as it can be delivered
        if (transport.connected()) {
            producer.requestKeyframe();
        } else {
            transport.onConnected(producer::requestKeyframe);
        }
        // back on a new path after a network change: what it missed is not resent (too old), a keyframe restarts it
        transport.onPathChanged(() -> producer().requestKeyframe());
    }

    /** Simulates loss on the way to this player (tests and drills of NACK/RTX and of quality alerts). */
    void impair(double lossFraction) {
        this.impairedLoss = lossFraction;
    }

    synchronized Producer producer() {
        return feed.producer();
    }

    /** How the producer's SSRC appears to this player, or null. */
    synchronized Mapping mapping(long producerSsrc) {
        return feed.mappings().get(producerSsrc);
    }

    public Stats stats() {
        return new Stats(packetsSent.sum(), bytesSent.sum(), Math.max(videoLoss, audioLoss), videoLost + audioLost,
                Math.max(videoJitter, audioJitter), rttMillis, nacks.sum(), retransmitted.sum(), keyframeRequests.sum(),
                videoBytesSent.sum(), videoLoss, audioLoss, videoJitter, audioJitter, resendsRefused.sum(), downlinkEstimate());
    }

    private long downlinkEstimate() {
        TransportCongestionControlClient congestion = transport.congestionClient();
        return congestion == null || !congestion.active(System.nanoTime()) ? -1 : congestion.estimate();
    }

    /**
     * What this player's downlink carries, when its send-side estimate shows it is the narrow link (a queue toward it);
     * -1 otherwise. Until the SFU forwards layers, a publisher whose only viewer this is is asked to send
     * no more than this.
     */
    @Override
    public long downlinkLimitBps() {
        TransportCongestionControlClient congestion = transport.congestionClient();
        return congestion != null && congestion.active(System.nanoTime()) && congestion.queueLimited() ? congestion.queueBound() : -1;
    }

    /**
     * Moves this player to another producer of the same stream (its publisher now publishing on this gateway,
     * where its media came through a pipe): the current producer is forwarded until the next one's next
     * keyframe, then the next one, its sequence numbers and timestamps carried on from the last packet sent,
     * so the player's decoder sees one stream and never a picture it cannot decode.
     *
     * @param mappings     the next producer's SSRCs → this player's SSRCs and payload types (the same as now, by kind)
     * @param extensionMap the next producer's header-extension ids → this player's
     * @param videoCodec   the next producer's video codec (where its keyframes start), or null for audio only
     */
    public synchronized void retarget(Producer next, Map<Long, Mapping> mappings, int[] extensionMap, String videoCodec) {
        if (closed) {
            return;
        }
        if (pending != null) {
            pending.feed().producer().remove(pending.listener());
        }
        Producer.Sink listener = new Producer.Sink() {
            @Override
            public void forward(byte[] packet) {
                offered(packet);
            }

            @Override
            public void forwardSenderReport(RtcpPacket.SenderReport report) {
                // the next producer's reports count once the move is done (and its track rebased)
            }

            @Override
            public boolean takesRed() {
                return true; // as the consumer itself: it unwraps what its player did not negotiate
            }

            @Override
            public void close() {
                Consumer.this.close(); // the next producer ended before the move completed
            }
        };
        continuity.values().forEach(c -> c.moved = false);
        pending = new Pending(Feed.of(next, mappings, extensionMap), videoCodec, listener, System.nanoTime());
        next.add(listener);
        next.requestKeyframe();
    }

    /**
     * Ends a move that is still waiting: every track takes the next producer's packets from now on (a video
     * track that saw no keyframe then starts without one, and the player asks for one). For a publication
     * whose video never comes (its camera is off): its old producer is about to close.
     */
    public void completeMove() {
        Producer previous;
        Pending move;
        synchronized (this) {
            move = pending;
            if (move == null || closed) {
                return;
            }
            previous = feed.producer();
            move.feed().mappings().values().forEach(mapping -> {
                Continuity track = continuity.get(mapping.ssrc());
                if (!track.moved) {
                    track.moved = true;
                    track.rebase = true;
                }
            });
            finishMove(move);
        }
        previous.remove(this);
        move.feed().producer().remove(move.listener());
        move.feed().producer().add(this);
        move.feed().producer().requestKeyframe();
    }

    /** A packet of the producer this player is moving to: its track switches there when it can. */
    private void offered(byte[] packet) {
        RtpPacket rtp = RtpPacket.parse(packet, 0, packet.length);
        Producer previous = null;
        Pending done = null;
        synchronized (this) {
            Pending move = pending;
            if (move == null || closed) {
                return;
            }
            Mapping mapping = move.feed().mappings().get(rtp.ssrc());
            if (mapping == null) {
                return;
            }
            Continuity track = continuity.get(mapping.ssrc());
            Producer next = move.feed().producer();
            if (!track.moved) {
                boolean video = next.isVideo(rtp.ssrc());
                if (video && !startsKeyframe(move.videoCodec(), rtp, packet)) {
                    if (System.nanoTime() - move.sinceNanos() > KEYFRAME_RETRY_NANOS) {
                        next.requestKeyframe(); // throttled by the producer; the first may have gone before it connected
                    }
                    return;
                }
                track.moved = true;
                track.rebase = true;
            }
            send(move.feed(), packet, rtp);
            if (move.feed().mappings().values().stream().allMatch(m -> continuity.get(m.ssrc()).moved)) {
                previous = feed.producer();
                finishMove(move);
                done = move;
            }
        }
        if (done != null) {
            previous.remove(this);
            done.feed().producer().remove(done.listener());
            done.feed().producer().add(this);
        }
    }

    /** Every track has switched: the next producer is the feed. Called with the lock held. */
    private void finishMove(Pending move) {
        feed = move.feed();
        pending = null;
    }

    private static boolean startsKeyframe(String codec, RtpPacket rtp, byte[] packet) {
        int offset = rtp.payloadOffset();
        int length = rtp.payloadLength();
        return switch (codec.toUpperCase(Locale.ROOT)) {
            case "VP8" -> Vp8Rtp.startsKeyframe(packet, offset, length);
            case "H264" -> H264Depacketizer.startsKeyframe(packet, offset, length);
            default -> false;
        };
    }

    /** RED goes to this player as it was published, or as its primary block alone ({@link #forPlayer}). */
    @Override
    public boolean takesRed() {
        return true;
    }

    @Override
    public void forward(byte[] original) {
        RtpPacket rtp = RtpPacket.parse(original, 0, original.length);
        synchronized (this) {
            Mapping mapping = feed.mappings().get(rtp.ssrc());
            if (mapping == null || pending != null && continuity.get(mapping.ssrc()).moved) {
                return; // a track this player did not ask for, or one that takes the next producer's packets already
            }
            send(feed, original, rtp);
        }
    }

    /**
     * Sends a copy of a packet of {@code from} under this player's numbering (the lock held: the numbering is
     * the player's, whichever producer the packet came from).
     */
    private void send(Feed from, byte[] original, RtpPacket parsed) {
        long ssrc = parsed.ssrc();
        Mapping mapping = from.mappings().get(ssrc);
        boolean video = from.producer().isVideo(ssrc);
        if (impairedLoss > 0 && video && ThreadLocalRandom.current().nextDouble() < impairedLoss) {
            return; // the configured impairment: lost on the way to this player, to be repaired by its NACK
        }
        Continuity numbering = continuity.get(mapping.ssrc());
        long now = System.nanoTime();
        if (numbering.rebase) {
            numbering.rebaseOn(parsed.sequenceNumber(), parsed.timestamp(), now);
        } else if (numbering.beforeSwitch(parsed.sequenceNumber())) {
            return;
        }
        byte[] packet = forPlayer(original, from.producer(), mapping, numbering, from.extensionMap());
        if (packet == null) {
            return;
        }
        RtpPacket rtp = RtpPacket.parse(packet, 0, packet.length);
        numbering.sent(rtp.sequenceNumber(), rtp.timestamp(), now);
        transport.sendRtp(packet);
        counted(packet.length, video);
    }

    private void counted(int bytes, boolean video) {
        packetsSent.increment();
        bytesSent.add(bytes);
        if (video) {
            videoBytesSent.add(bytes);
        }
    }

    /** The packet as this player knows the track: its SSRC, payload type, extension ids and numbering (in place). */
    private static void rewrite(RtpPacket rtp, Mapping mapping, Continuity numbering, int[] extensionMap) {
        rtp.setSsrc(mapping.ssrc());
        rtp.setPayloadType(mapping.payloadType());
        if (extensionMap != null) {
            rtp.remapExtensions(extensionMap);
        }
        if (numbering.sequenceDelta != 0 || numbering.timestampDelta != 0) {
            rtp.setSequenceNumber((rtp.sequenceNumber() + numbering.sequenceDelta) & 0xFFFF);
            rtp.setTimestamp((rtp.timestamp() + numbering.timestampDelta) & 0xFFFF_FFFFL);
        }
    }

    /**
     * A copy of a producer's packet as this player knows the track ({@link #rewrite}), redundant audio included: a RED
     * packet keeps its blocks (renumbered to the player's Opus) for a player that negotiated RED, and is its primary
     * block alone for one that did not; null for a RED packet whose blocks do not add up.
     */
    private static byte[] forPlayer(byte[] original, Producer producer, Mapping mapping, Continuity numbering, int[] extensionMap) {
        int red = producer.redPayloadType();
        boolean isRed = red > 0 && (original[1] & 0x7F) == red;
        byte[] packet;
        if (isRed && mapping.redPayloadType() < 0) {
            try {
                packet = Red.primary(original);
            } catch (MalformedPacketException e) {
                return null;
            }
        } else {
            packet = original.clone();
        }
        RtpPacket rtp = RtpPacket.parse(packet, 0, packet.length);
        rewrite(rtp, mapping, numbering, extensionMap);
        if (isRed && mapping.redPayloadType() >= 0) {
            rtp.setPayloadType(mapping.redPayloadType());
            if (producer.redBlockPayloadType() != mapping.payloadType()) {
                Red.retype(packet, rtp.payloadOffset(), rtp.payloadLength(), producer.redBlockPayloadType(), mapping.payloadType());
            }
        }
        return packet;
    }

    /** A cached packet sent again: on the player's RTX stream when negotiated, else as it was. */
    private void resend(byte[] original, Producer producer, Mapping mapping, Continuity numbering, int[] extensionMap,
            boolean video) {
        byte[] packet;
        synchronized (this) {
            packet = forPlayer(original, producer, mapping, numbering, extensionMap);
        }
        if (packet == null) {
            return;
        }
        if (mapping.rtxPayloadType() >= 0) {
            packet = Rtx.wrap(packet, mapping.rtxSsrc(), mapping.rtxPayloadType(), rtxSequence.getAndIncrement() & 0xFFFF);
        }
        transport.sendRtp(packet);
        counted(packet.length, video);
    }

    /** The producer's sender report under this player's SSRC (packet and octet counts are the publisher's). */
    @Override
    public void forwardSenderReport(RtcpPacket.SenderReport report) {
        Mapping mapping;
        long timestampDelta;
        synchronized (this) {
            mapping = feed.mappings().get(report.ssrc());
            Continuity numbering = mapping == null ? null : continuity.get(mapping.ssrc());
            if (numbering == null || numbering.rebase || pending != null && numbering.moved) {
                return; // not this player's track, or its producer is not (yet) the one whose clock the player has
            }
            timestampDelta = numbering.timestampDelta;
        }
        senderReportsSent.put((report.ntpTimestamp() >>> 16) & 0xFFFF_FFFFL, System.nanoTime());
        transport.sendRtcp(RtcpWriter.senderReport(mapping.ssrc(), report.ntpTimestamp(),
                (report.rtpTimestamp() + timestampDelta) & 0xFFFF_FFFFL, report.packetCount(), report.octetCount()));
    }

    private void onRtcp(byte[] compound) {
        for (RtcpPacket packet : RtcpParser.parseOrNone(compound)) {
            switch (packet) {
                case RtcpPacket.Pli pli -> keyframe();
                case RtcpPacket.Fir fir -> keyframe();
                case RtcpPacket.Nack nack -> retransmit(nack);
                case RtcpPacket.ReceiverReport rr -> received(rr.reports());
                case RtcpPacket.SenderReport sr -> received(sr.reports());
                case RtcpPacket.Remb remb -> {
                    if (transport.congestionClient() == null || !transport.congestionClient().active(System.nanoTime())) {
                        downlink(remb.bitrate()); // a player without transport-wide feedback estimates its own
                    }
                }
                case RtcpPacket.TransportCc cc -> transportFeedback(cc);
                default -> {
                    // SDES, APP and the rest: nothing the SFU acts on
                }
            }
        }
    }

    /** The player's downlink: resends are counted against it, never above what any stream may carry. */
    private void downlink(long bps) {
        synchronized (resends) {
            resends.bandwidth(Math.min(bps, DEFAULT_PLAYER_BANDWIDTH_BPS));
        }
    }

    /** The player's transport-wide feedback: the send-side estimate of its downlink, and what follows from it. */
    private void transportFeedback(RtcpPacket.TransportCc cc) {
        TransportCongestionControlClient congestion = transport.congestionClient();
        if (congestion == null) {
            return;
        }
        long now = System.nanoTime();
        if (!congestion.admit(now)) {
            return;
        }
        TransportFeedback feedback;
        try {
            // no more packets than a feedback covers: a claim of more costs allocations for nothing
            feedback = TransportFeedback.parse(cc.feedback(), TransportCongestionControlClient.MAX_PACKETS_PER_FEEDBACK);
        } catch (MalformedPacketException e) {
            return;
        }
        TransportCongestionControlClient.Change change = congestion.feedback(feedback, now);
        downlink(congestion.estimate()); // resends: within what the link carries, loss counted
        if (change.narrowed()) {
            producer().downlinkNarrowed(); // the publisher hears of it now, not at its next report
        }
    }

    private void keyframe() {
        keyframeRequests.increment();
        producer().requestKeyframe();
    }

    /** The player's report blocks about what we send it: loss, jitter, and the round trip via LSR/DLSR. */
    private void received(List<RtcpPacket.ReportBlock> blocks) {
        Feed current;
        synchronized (this) {
            current = feed;
        }
        for (RtcpPacket.ReportBlock block : blocks) {
            Long source = current.producerSsrcByConsumerSsrc().get(block.ssrc());
            if (source == null) {
                continue;
            }
            if (current.producer().isVideo(source)) {
                videoLoss = block.fractionLost() / 256.0;
                videoLost = block.cumulativeLost();
                videoJitter = block.jitter() * 1000.0 / 90000;
            } else {
                audioLoss = block.fractionLost() / 256.0;
                audioLost = block.cumulativeLost();
                audioJitter = block.jitter() * 1000.0 / 48000;
            }
            Long sentAt = block.lastSenderReport() == 0 ? null : senderReportsSent.get(block.lastSenderReport());
            if (sentAt != null) {
                long sinceSent = System.nanoTime() - sentAt;
                long delay = block.delaySinceLastSenderReport() * 1_000_000_000L / 65536;
                rttMillis = Math.max(0, (sinceSent - delay) / 1_000_000);
                TransportCongestionControlClient congestion = transport.congestionClient();
                if (congestion != null) {
                    congestion.rtt(Math.max(0, sinceSent - delay));
                }
            }
        }
    }

    /** Answers a NACK from the cache, as far as the limiter allows: a NACK never costs more than the player's share. */
    private void retransmit(RtcpPacket.Nack nack) {
        nacks.increment();
        Feed current;
        Continuity numbering;
        int sequenceDelta;
        synchronized (this) {
            numbering = continuity.get(nack.mediaSsrc());
            // the producer this track's packets come from now: the next one once the track has switched
            current = pending != null && numbering != null && numbering.moved ? pending.feed() : feed;
            sequenceDelta = numbering == null ? 0 : numbering.sequenceDelta;
        }
        Long source = current.producerSsrcByConsumerSsrc().get(nack.mediaSsrc());
        if (source == null || numbering == null || !current.producer().isVideo(source)) {
            // audio is not resent: a lost frame is concealed, or rebuilt from the next RED packet, sooner than a resend
            // could come; and a resend of a RED packet's sequence number whose primary alone was sent would seal
            // another plaintext under the same SRTP nonce
            return;
        }
        Producer producer = current.producer();
        Mapping mapping = current.mappings().get(source);
        if (mapping.rtxPayloadType() < 0 && transport.congestionClient() != null) {
            // without RTX a resend goes out under its first sequence number, and its transport-wide number would be
            // a new one: another header under the same SRTP nonce. Chromium always pairs RTX with transport-cc.
            resendsRefused.add(nack.lostSequenceNumbers().size());
            return;
        }
        long now = System.nanoTime();
        long rtt = rttMillis;
        synchronized (resends) {
            List<Integer> wanted = resends.candidates(nack.lostSequenceNumbers(), rtt < 0 ? -1 : rtt * 1_000_000L, now);
            resendsRefused.add(Math.max(0, nack.lostSequenceNumbers().size() - wanted.size()));
            for (int sequence : wanted) {
                boolean oldProducers;
                synchronized (this) {
                    oldProducers = numbering.sentBeforeMove(sequence);
                }
                if (oldProducers) {
                    resendsRefused.increment(); // sent by the producer the track left: not in this one's cache
                    continue;
                }
                // the player's numbering back to the producer's (they differ after a move to another producer)
                byte[] cached = producer.cached(source, (sequence - sequenceDelta) & 0xFFFF);
                if (cached == null) {
                    continue;
                }
                if (!resends.tryResend(sequence, cached.length, now)) {
                    resendsRefused.increment();
                    continue;
                }
                try {
                    resend(cached, producer, mapping, numbering, current.extensionMap(), producer.isVideo(source));
                    retransmitted.increment();
                    producer.nacksAnswered.increment();
                } catch (RuntimeException e) {
                    // one packet that cannot be sent again must not cost the rest of the NACK
                }
            }
        }
    }

    @Override
    public void close() {
        Producer.Sink listener = null;
        Producer current;
        Producer next = null;
        synchronized (this) {
            closed = true;
            current = feed.producer();
            if (pending != null) {
                next = pending.feed().producer();
                listener = pending.listener();
                pending = null;
            }
        }
        current.remove(this);
        if (next != null) {
            next.remove(listener);
        }
    }
}
