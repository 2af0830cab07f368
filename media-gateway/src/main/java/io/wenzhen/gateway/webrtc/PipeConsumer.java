package io.wenzhen.gateway.webrtc;

import java.util.List;

import io.wenzhen.protocols.rtcp.RtcpPacket;
import io.wenzhen.protocols.rtcp.RtcpParser;
import io.wenzhen.protocols.rtcp.RtcpWriter;

/**
 * A published stream sent through a pipe to another gateway: its packets and sender reports as they are
 * (that gateway's Producer declares the same SSRCs), and from there keyframe requests, passed to the
 * publisher, and NACKs, answered from the producer's cache. Reports and REMB from there are not passed on:
 * this gateway's own reports to the publisher stand.
 */
public final class PipeConsumer implements Producer.Sink {

    /** At most this many packets sent again for one NACK: the peer is a gateway, but a bug there costs no flood here. */
    static final int MAX_RESENDS_PER_NACK = 64;

    private final Producer producer;
    private final PipeTransport pipe;

    public PipeConsumer(Producer producer, PipeTransport pipe) {
        this.producer = producer;
        this.pipe = pipe;
        pipe.onRtcp(this::onRtcp);
        pipe.onClosed(this::close);
        producer.add(this);
        producer.requestKeyframe(); // the other gateway's players start with a picture
    }

    @Override
    public void forward(byte[] packet) {
        pipe.sendRtp(packet);
    }

    @Override
    public void forwardSenderReport(RtcpPacket.SenderReport report) {
        pipe.sendRtcp(RtcpWriter.senderReport(report.ssrc(), report.ntpTimestamp(), report.rtpTimestamp(), report.packetCount(),
                report.octetCount()));
    }

    private void onRtcp(byte[] compound) {
        for (RtcpPacket packet : RtcpParser.parseOrNone(compound)) {
            switch (packet) {
                case RtcpPacket.Pli pli -> producer.requestKeyframe();
                case RtcpPacket.Fir fir -> producer.requestKeyframe();
                case RtcpPacket.Nack nack -> resend(nack);
                default -> {
                    // receiver reports and REMB of the other gateway: its players' share is its own business
                }
            }
        }
    }

    private void resend(RtcpPacket.Nack nack) {
        List<Integer> lost = nack.lostSequenceNumbers();
        for (int sequence : lost.subList(0, Math.min(lost.size(), MAX_RESENDS_PER_NACK))) {
            byte[] cached = producer.cached(nack.mediaSsrc(), sequence);
            if (cached != null) {
                pipe.sendRtp(cached);
            }
        }
    }

    /** The other gateway gets the stream as published, RED included (its players' consumers unwrap it as they need). */
    @Override
    public boolean takesRed() {
        return true;
    }

    @Override
    public void close() {
        producer.remove(this);
        pipe.close();
    }
}
