package io.wenzhen.gateway.edge;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.wenzhen.gateway.edge.audio.AudioBridges;
import io.wenzhen.gateway.edge.audio.AudioTranscoder;
import io.wenzhen.gateway.errors.GatewayError;
import io.wenzhen.gateway.webrtc.Sfu;
import io.wenzhen.protocols.flv.AudioTag;
import io.wenzhen.protocols.flv.AvcDecoderConfiguration;
import io.wenzhen.protocols.flv.VideoTag;
import io.wenzhen.protocols.h264.H264Packetizer;
import io.wenzhen.protocols.h264.NalUnits;
import io.wenzhen.protocols.rtcp.RtcpWriter;
import io.wenzhen.protocols.rtp.RtpPacket;

/**
 * An RTMP publisher's media into its room's producer, as a browser's would arrive: H.264 passed
 * through (FLV's length-prefixed or Annex B NAL units to RTP packetization mode 1, the sequence
 * header's SPS and PPS sent again before every IDR so a player can join at any keyframe), AAC
 * decoded and encoded to Opus, and a sender report per track each second so players keep lip sync.
 * Runs on the RTMP connection's thread.
 */
final class RtmpPublisher implements AutoCloseable {

    /** RTP payloads stay under a typical path MTU after SRTP, UDP and IP headers. */
    static final int MAX_PAYLOAD = 1200;
    static final long SENDER_REPORT_NANOS = 1_000_000_000L;
    private static final long NTP_EPOCH_OFFSET = 2_208_988_800L;

    private final Sfu.Source source;
    private final EdgePublication publication;
    private final Sfu.Track video;
    private final Sfu.Track audio;
    private AvcDecoderConfiguration avc;
    private AudioTranscoder toOpus;
    private byte[] aacConfig;
    /** Media time: this connection's first FLV timestamp maps to {@link EdgePublication#nextStartMillis}. */
    private long firstFlvMillis = -1;
    private long startMillis;
    private long startNanos;
    private long audioStartMillis = -1;
    private long lastMediaMillis;
    private long lastSenderReport;
    private long videoPackets;
    private long videoOctets;
    private long audioPackets;
    private long audioOctets;

    RtmpPublisher(Sfu.Source source, EdgePublication publication) {
        this.source = source;
        this.publication = publication;
        this.video = source.track("video").orElseThrow();
        this.audio = source.track("audio").orElseThrow();
    }

    EdgePublication publication() {
        return publication;
    }

    void video(long flvMillis, byte[] body) {
        VideoTag tag = VideoTag.parse(body);
        if (tag.codecId() != VideoTag.CODEC_AVC) {
            throw new EdgeRefusal(GatewayError.MEDIA_UNSUPPORTED);
        }
        if (tag.avcPacketType() == VideoTag.SEQUENCE_HEADER) {
            avc = AvcDecoderConfiguration.parse(tag.data(), tag.offset(), tag.length());
            return;
        }
        if (tag.avcPacketType() != VideoTag.NALU || tag.length() == 0) {
            return;
        }
        List<byte[]> nals = NalUnits.looksLikeAnnexB(tag.data(), tag.offset(), tag.length())
                ? NalUnits.splitAnnexB(tag.data(), tag.offset(), tag.length())
                : NalUnits.splitLengthPrefixed(tag.data(), tag.offset(), tag.length(), avc == null ? 4 : avc.lengthSize());
        List<byte[]> unit = new ArrayList<>(nals.size() + 2);
        boolean idr = false;
        boolean parameterSets = false;
        for (byte[] nal : nals) {
            int type = NalUnits.type(nal);
            idr |= type == NalUnits.IDR;
            parameterSets |= type == NalUnits.SPS;
            if (type != NalUnits.AUD && type != 12 /* filler */) {
                unit.add(nal);
            }
        }
        if (idr && !parameterSets && avc != null) {
            unit.addAll(0, avc.pps());
            unit.addAll(0, avc.sps());
        }
        if (unit.isEmpty()) {
            return;
        }
        long mediaMillis = mediaTime(flvMillis);
        long rtpTimestamp = ((mediaMillis + tag.compositionTime()) * 90) & 0xFFFF_FFFFL;
        List<byte[]> payloads = H264Packetizer.payloads(unit, MAX_PAYLOAD);
        for (int i = 0; i < payloads.size(); i++) {
            byte[] packet = rtp(video, publication.videoSequence++, rtpTimestamp, i == payloads.size() - 1, payloads.get(i));
            videoPackets++;
            videoOctets += payloads.get(i).length;
            source.producer().receiveRtp(packet);
        }
        senderReports();
    }

    void audio(long flvMillis, byte[] body) {
        AudioTag tag = AudioTag.parse(body);
        if (tag.soundFormat() != AudioTag.FORMAT_AAC) {
            throw new EdgeRefusal(GatewayError.MEDIA_UNSUPPORTED);
        }
        if (tag.aacPacketType() == AudioTag.SEQUENCE_HEADER) {
            byte[] config = tag.payload();
            if (toOpus != null && Arrays.equals(config, aacConfig)) {
                return; // sent again unchanged (some pushers repeat it): the bridge carries on
            }
            aacConfig = config;
            if (toOpus != null) {
                toOpus.close();
            }
            toOpus = AudioBridges.aacToOpus(config, AudioBridges.channels(config));
            audioStartMillis = -1;
            return;
        }
        if (toOpus == null || tag.aacPacketType() != AudioTag.RAW) {
            return; // frames before their configuration cannot be decoded
        }
        long mediaMillis = mediaTime(flvMillis);
        if (audioStartMillis < 0) {
            audioStartMillis = mediaMillis;
        }
        for (AudioTranscoder.Encoded opus : toOpus.push(tag.payload())) {
            long rtpTimestamp = (audioStartMillis * 48 + opus.pts()) & 0xFFFF_FFFFL;
            byte[] packet = rtp(audio, publication.audioSequence++, rtpTimestamp, false, opus.data());
            audioPackets++;
            audioOctets += opus.data().length;
            source.producer().receiveRtp(packet);
        }
        senderReports();
    }

    /** The connection's FLV time on the publication's media time line (continuing after a reconnect). */
    private long mediaTime(long flvMillis) {
        if (firstFlvMillis < 0) {
            firstFlvMillis = flvMillis;
            startMillis = publication.nextStartMillis;
            startNanos = System.nanoTime();
        }
        // a signed 32-bit step: audio a little before the first video tag is slightly negative, not 2^32 ms ahead
        long media = startMillis + (int) (flvMillis - firstFlvMillis);
        lastMediaMillis = Math.max(lastMediaMillis, media);
        return media;
    }

    /** Each track's RTP clock tied to wall time (both from the one FLV time line): what players sync audio and video by. */
    private void senderReports() {
        long now = System.nanoTime();
        if (firstFlvMillis < 0 || now - lastSenderReport < SENDER_REPORT_NANOS) {
            return;
        }
        lastSenderReport = now;
        long mediaNow = startMillis + (now - startNanos) / 1_000_000;
        long ntp = ntp(System.currentTimeMillis());
        source.producer().receiveRtcp(RtcpWriter.senderReport(video.ssrc(), ntp, (mediaNow * 90) & 0xFFFF_FFFFL, videoPackets,
                videoOctets));
        if (audioStartMillis >= 0) {
            source.producer().receiveRtcp(RtcpWriter.senderReport(audio.ssrc(), ntp, (mediaNow * 48) & 0xFFFF_FFFFL, audioPackets,
                    audioOctets));
        }
    }

    static long ntp(long epochMillis) {
        long seconds = epochMillis / 1000 + NTP_EPOCH_OFFSET;
        long fraction = ((epochMillis % 1000) << 32) / 1000;
        return (seconds << 32) | fraction;
    }

    static byte[] rtp(Sfu.Track track, int sequence, long timestamp, boolean marker, byte[] payload) {
        return RtpPacket.build(track.payloadType(), marker, sequence & 0xFFFF, timestamp, track.ssrc(), payload);
    }

    /** The connection ended: the next one continues the media time line a little after this one's end. */
    @Override
    public void close() {
        if (firstFlvMillis >= 0) { // a connection that sent no media leaves the time line where it was
            publication.nextStartMillis = Math.max(publication.nextStartMillis, lastMediaMillis + 100);
        }
        if (toOpus != null) {
            toOpus.close();
            toOpus = null;
        }
    }
}
