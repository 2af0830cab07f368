package io.wenzhen.gateway.webrtc;

import java.util.Map;

import io.wenzhen.protocols.rtcp.RtcpPacket;
import io.wenzhen.protocols.rtcp.RtcpParser;
import io.wenzhen.protocols.rtp.RtpPacket;

/**
 * A subscription to a Producer (mediasoup's Consumer): each packet is copied, given this player's
 * SSRC and payload type (from the player's SDP), and sent over its WebRtcTransport. The player's
 * PLI/FIR become keyframe requests to the publisher; its NACKs are answered from the producer's cache.
 */
public final class Consumer implements AutoCloseable {

    /** How one of the producer's SSRCs appears to this player. */
    public record Mapping(long ssrc, int payloadType) {
    }

    private final Producer producer;
    private final WebRtcTransport transport;
    private final Map<Long, Mapping> mappings;
    private final Map<Long, Long> producerSsrcByConsumerSsrc;

    /** @param mappings producer SSRC → this player's SSRC and payload type */
    public Consumer(Producer producer, WebRtcTransport transport, Map<Long, Mapping> mappings) {
        this.producer = producer;
        this.transport = transport;
        this.mappings = Map.copyOf(mappings);
        java.util.Map<Long, Long> reverse = new java.util.HashMap<>();
        mappings.forEach((source, mapping) -> reverse.put(mapping.ssrc(), source));
        this.producerSsrcByConsumerSsrc = Map.copyOf(reverse);
        transport.onRtcp(this::onRtcp);
        producer.add(this);
        // a new player cannot decode until the next keyframe: ask for one as soon as it can be delivered
        if (transport.connected()) {
            producer.requestKeyframe();
        } else {
            transport.onConnected(producer::requestKeyframe);
        }
    }

    void forward(byte[] original) {
        byte[] packet = original.clone();
        RtpPacket rtp = RtpPacket.parse(packet, 0, packet.length);
        Mapping mapping = mappings.get(rtp.ssrc());
        if (mapping == null) {
            return; // a track this player did not ask for
        }
        rtp.setSsrc(mapping.ssrc());
        rtp.setPayloadType(mapping.payloadType());
        transport.sendRtp(packet);
    }

    /** The producer's sender report under this player's SSRC (packet and octet counts are the publisher's). */
    void forwardSenderReport(RtcpPacket.SenderReport report) {
        Mapping mapping = mappings.get(report.ssrc());
        if (mapping != null) {
            transport.sendRtcp(io.wenzhen.protocols.rtcp.RtcpWriter.senderReport(mapping.ssrc(), report.ntpTimestamp(),
                    report.rtpTimestamp(), report.packetCount(), report.octetCount()));
        }
    }

    private void onRtcp(byte[] compound) {
        java.util.List<RtcpPacket> packets;
        try {
            packets = RtcpParser.parse(compound, 0, compound.length);
        } catch (io.wenzhen.protocols.MalformedPacketException e) {
            return;
        }
        for (RtcpPacket packet : packets) {
            switch (packet) {
                case RtcpPacket.Pli pli -> producer.requestKeyframe();
                case RtcpPacket.Fir fir -> producer.requestKeyframe();
                case RtcpPacket.Nack nack -> retransmit(nack);
                default -> {
                    // receiver reports feed the statistics (later); REMB/TWCC the estimator (later)
                }
            }
        }
    }

    private void retransmit(RtcpPacket.Nack nack) {
        Long source = producerSsrcByConsumerSsrc.get(nack.mediaSsrc());
        if (source == null) {
            return;
        }
        for (int sequence : nack.lostSequenceNumbers()) {
            byte[] cached = producer.cached(source, sequence);
            if (cached != null) {
                forward(cached);
            }
        }
    }

    @Override
    public void close() {
        producer.remove(this);
    }
}
