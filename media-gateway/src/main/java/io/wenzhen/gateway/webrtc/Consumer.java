package io.wenzhen.gateway.webrtc;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import io.wenzhen.protocols.MalformedPacketException;
import io.wenzhen.protocols.rtcp.RtcpPacket;
import io.wenzhen.protocols.rtcp.RtcpParser;
import io.wenzhen.protocols.rtcp.RtcpWriter;
import io.wenzhen.protocols.rtp.RtpPacket;
import io.wenzhen.protocols.rtp.Rtx;

/**
 * A subscription to a Producer (mediasoup's Consumer): each packet is copied, given this player's
 * SSRC and payload type (from the player's SDP), and sent over its WebRtcTransport. The player's
 * PLI/FIR become keyframe requests to the publisher; its NACKs are answered from the producer's cache,
 * on the player's RTX stream (RFC 4588) when it negotiated one, within the {@link ResendLimiter}'s caps.
 */
public final class Consumer implements Producer.Sink {

    /** The ceiling assumed for a player's downlink until it sends a REMB: what publishers are granted. */
    static final long DEFAULT_PLAYER_BANDWIDTH_BPS = 2_500_000;

    /**
     * How one of the producer's SSRCs appears to this player.
     *
     * @param rtxPayloadType the payload type of retransmissions (RFC 4588) on {@code rtxSsrc}; -1 when the
     *                       player did not negotiate RTX and retransmissions go on {@code ssrc} as they were
     */
    public record Mapping(long ssrc, int payloadType, long rtxSsrc, int rtxPayloadType) {

        public Mapping(long ssrc, int payloadType) {
            this(ssrc, payloadType, 0, -1);
        }
    }

    /**
     * What the player reports and what was sent to it: the server's view of one subscription. Loss and
     * jitter overall are the worse of the two media's.
     *
     * @param resendsRefused NACKed packets not sent again: repeated within an RTT, over a cap, or over budget
     */
    public record Stats(long packetsSent, long bytesSent, double lossFraction, long cumulativeLost, double jitterMillis,
            long rttMillis, long nacks, long retransmitted, long keyframeRequests, long videoBytesSent, double videoLossFraction,
            double audioLossFraction, double videoJitterMillis, double audioJitterMillis, long resendsRefused) {
    }

    private final Producer producer;
    private final WebRtcTransport transport;
    private final Map<Long, Mapping> mappings;
    private final Map<Long, Long> producerSsrcByConsumerSsrc;
    private final int[] extensionMap;
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
        this.extensionMap = extensionMap;
        this.producer = producer;
        this.transport = transport;
        this.mappings = Map.copyOf(mappings);
        Map<Long, Long> reverse = new HashMap<>();
        mappings.forEach((source, mapping) -> reverse.put(mapping.ssrc(), source));
        this.producerSsrcByConsumerSsrc = Map.copyOf(reverse);
        transport.onRtcp(this::onRtcp);
        transport.onClosed(this::close); // the player is gone (DTLS ended, consent lapsed): stop forwarding to it
        producer.add(this);
        // a new player cannot decode until the next keyframe: ask for one as soon as it can be delivered
        if (transport.connected()) {
            producer.requestKeyframe();
        } else {
            transport.onConnected(producer::requestKeyframe);
        }
    }

    /** Simulates loss on the way to this player (tests and drills of NACK/RTX and of quality alerts). */
    void impair(double lossFraction) {
        this.impairedLoss = lossFraction;
    }

    Producer producer() {
        return producer;
    }

    public Stats stats() {
        return new Stats(packetsSent.sum(), bytesSent.sum(), Math.max(videoLoss, audioLoss), videoLost + audioLost,
                Math.max(videoJitter, audioJitter), rttMillis, nacks.sum(), retransmitted.sum(), keyframeRequests.sum(),
                videoBytesSent.sum(), videoLoss, audioLoss, videoJitter, audioJitter, resendsRefused.sum());
    }

    @Override
    public void forward(byte[] original) {
        byte[] packet = original.clone();
        RtpPacket rtp = RtpPacket.parse(packet, 0, packet.length);
        long ssrc = rtp.ssrc();
        Mapping mapping = mappings.get(ssrc);
        if (mapping == null) {
            return; // a track this player did not ask for
        }
        if (impairedLoss > 0 && producer.isVideo(ssrc) && ThreadLocalRandom.current().nextDouble() < impairedLoss) {
            return; // the configured impairment: lost on the way to this player, to be repaired by its NACK
        }
        rewrite(rtp, mapping);
        transport.sendRtp(packet);
        counted(packet.length, producer.isVideo(ssrc));
    }

    private void counted(int bytes, boolean video) {
        packetsSent.increment();
        bytesSent.add(bytes);
        if (video) {
            videoBytesSent.add(bytes);
        }
    }

    /** The packet as this player knows the track: its SSRC, payload type, extension ids (rewritten in place). */
    private void rewrite(RtpPacket rtp, Mapping mapping) {
        rtp.setSsrc(mapping.ssrc());
        rtp.setPayloadType(mapping.payloadType());
        if (extensionMap != null) {
            rtp.remapExtensions(extensionMap);
        }
    }

    /** A cached packet sent again: on the player's RTX stream when negotiated, else as it was. */
    private void resend(byte[] original, Mapping mapping, boolean video) {
        byte[] packet = original.clone();
        rewrite(RtpPacket.parse(packet, 0, packet.length), mapping);
        if (mapping.rtxPayloadType() >= 0) {
            packet = Rtx.wrap(packet, mapping.rtxSsrc(), mapping.rtxPayloadType(), rtxSequence.getAndIncrement() & 0xFFFF);
        }
        transport.sendRtp(packet);
        counted(packet.length, video);
    }

    /** The producer's sender report under this player's SSRC (packet and octet counts are the publisher's). */
    @Override
    public void forwardSenderReport(RtcpPacket.SenderReport report) {
        Mapping mapping = mappings.get(report.ssrc());
        if (mapping != null) {
            senderReportsSent.put((report.ntpTimestamp() >>> 16) & 0xFFFF_FFFFL, System.nanoTime());
            transport.sendRtcp(RtcpWriter.senderReport(mapping.ssrc(), report.ntpTimestamp(),
                    report.rtpTimestamp(), report.packetCount(), report.octetCount()));
        }
    }

    private void onRtcp(byte[] compound) {
        List<RtcpPacket> packets;
        try {
            packets = RtcpParser.parse(compound, 0, compound.length);
        } catch (MalformedPacketException e) {
            return;
        }
        for (RtcpPacket packet : packets) {
            switch (packet) {
                case RtcpPacket.Pli pli -> keyframe();
                case RtcpPacket.Fir fir -> keyframe();
                case RtcpPacket.Nack nack -> retransmit(nack);
                case RtcpPacket.ReceiverReport rr -> received(rr.reports());
                case RtcpPacket.SenderReport sr -> received(sr.reports());
                case RtcpPacket.Remb remb -> {
                    synchronized (resends) {
                        // the player's downlink: resends are counted against it, never above what any stream may carry
                        resends.bandwidth(Math.min(remb.bitrate(), DEFAULT_PLAYER_BANDWIDTH_BPS));
                    }
                }
                default -> {
                    // transport-cc and the rest: not used yet (no send-side estimate, no simulcast)
                }
            }
        }
    }

    private void keyframe() {
        keyframeRequests.increment();
        producer.requestKeyframe();
    }

    /** The player's report blocks about what we send it: loss, jitter, and the round trip via LSR/DLSR. */
    private void received(List<RtcpPacket.ReportBlock> blocks) {
        for (RtcpPacket.ReportBlock block : blocks) {
            Long source = producerSsrcByConsumerSsrc.get(block.ssrc());
            if (source == null) {
                continue;
            }
            if (producer.isVideo(source)) {
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
            }
        }
    }

    /** Answers a NACK from the cache, as far as the limiter allows: a NACK never costs more than the player's share. */
    private void retransmit(RtcpPacket.Nack nack) {
        nacks.increment();
        Long source = producerSsrcByConsumerSsrc.get(nack.mediaSsrc());
        if (source == null) {
            return;
        }
        Mapping mapping = mappings.get(source);
        long now = System.nanoTime();
        long rtt = rttMillis;
        synchronized (resends) {
            List<Integer> wanted = resends.candidates(nack.lostSequenceNumbers(), rtt < 0 ? -1 : rtt * 1_000_000L, now);
            resendsRefused.add(Math.max(0, nack.lostSequenceNumbers().size() - wanted.size()));
            for (int sequence : wanted) {
                byte[] cached = producer.cached(source, sequence);
                if (cached == null) {
                    continue;
                }
                if (!resends.tryResend(sequence, cached.length, now)) {
                    resendsRefused.increment();
                    continue;
                }
                try {
                    resend(cached, mapping, producer.isVideo(source));
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
        producer.remove(this);
    }
}
