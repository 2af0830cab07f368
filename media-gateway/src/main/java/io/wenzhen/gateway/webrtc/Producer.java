package io.wenzhen.gateway.webrtc;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import io.wenzhen.protocols.rtcp.RtcpWriter;
import io.wenzhen.protocols.rtp.RtpPacket;

/**
 * A published stream (mediasoup's Producer): the RTP of one WebRtcTransport, fanned out to its
 * Consumers without decoding. Keeps a retransmission cache per SSRC for NACKs and asks the publisher
 * for a keyframe (PLI) when a player needs one, at most once per {@link #KEYFRAME_INTERVAL_NANOS}.
 */
public final class Producer {

    static final long KEYFRAME_INTERVAL_NANOS = 500_000_000L;
    static final int CACHE = 1024;
    /** The SSRC the gateway uses as sender of its own RTCP toward publishers. */
    static final long GATEWAY_SSRC = 0x57454E5AL; // "WENZ"

    private final String streamId;
    private final WebRtcTransport transport;
    private final List<Consumer> consumers = new CopyOnWriteArrayList<>();
    private final Map<Long, RtpCache> caches = new ConcurrentHashMap<>();
    private final AtomicLong lastKeyframeRequest = new AtomicLong(System.nanoTime() - KEYFRAME_INTERVAL_NANOS);
    private volatile long videoSsrc = -1;

    public Producer(String streamId, WebRtcTransport transport) {
        this.streamId = streamId;
        this.transport = transport;
        transport.onRtp(this::onRtp);
        transport.onRtcp(this::onRtcp);
    }

    public String streamId() {
        return streamId;
    }

    /** Which SSRC carries video (the one keyframes are requested for); from the offer's SDP. */
    public void videoSsrc(long ssrc) {
        this.videoSsrc = ssrc;
    }

    void add(Consumer consumer) {
        consumers.add(consumer);
    }

    void remove(Consumer consumer) {
        consumers.remove(consumer);
    }

    public List<Consumer> consumers() {
        return List.copyOf(consumers);
    }

    private void onRtp(byte[] packet) {
        RtpPacket rtp;
        try {
            rtp = RtpPacket.parse(packet, 0, packet.length);
        } catch (RuntimeException e) {
            return;
        }
        caches.computeIfAbsent(rtp.ssrc(), ssrc -> new RtpCache(CACHE)).put(rtp.sequenceNumber(), packet);
        for (Consumer consumer : consumers) {
            consumer.forward(packet);
        }
    }

    /** Sender reports tie each track's RTP clock to wall time: players need them for lip sync. */
    private void onRtcp(byte[] compound) {
        java.util.List<io.wenzhen.protocols.rtcp.RtcpPacket> packets;
        try {
            packets = io.wenzhen.protocols.rtcp.RtcpParser.parse(compound, 0, compound.length);
        } catch (io.wenzhen.protocols.MalformedPacketException e) {
            return;
        }
        for (io.wenzhen.protocols.rtcp.RtcpPacket packet : packets) {
            if (packet instanceof io.wenzhen.protocols.rtcp.RtcpPacket.SenderReport report) {
                for (Consumer consumer : consumers) {
                    consumer.forwardSenderReport(report);
                }
            }
        }
    }

    /** The original packet for a NACK, or null when it is no longer cached. */
    byte[] cached(long ssrc, int sequence) {
        RtpCache cache = caches.get(ssrc);
        return cache == null ? null : cache.get(sequence);
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
        return true;
    }
}
