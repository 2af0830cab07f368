package io.wenzhen.gateway.webrtc;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.wenzhen.protocols.MalformedPacketException;
import io.wenzhen.protocols.sdp.MediaDescription;
import io.wenzhen.protocols.sdp.SessionDescription;

/**
 * The gateway's answer to a client's offer (the client always offers): ICE-lite with one host
 * candidate on the media port, DTLS as the passive side, BUNDLE and rtcp-mux, and per m-line one codec
 * the SFU forwards as is: Opus for audio, with RED (RFC 2198) around it where the offer has it; H.264
 * (packetization-mode 1, constrained baseline) or VP8 for video, in the configured order, with its RTX codec
 * (RFC 4588) where the offer has one. The direction
 * mirrors the offer's: a publisher's sendonly gets recvonly, a player's recvonly gets sendonly with the
 * SSRCs the gateway will send from (media, and RTX paired by {@code a=ssrc-group:FID}).
 */
public final class SdpAnswer {

    /** The rtcp-fb the forwarding layer honours. */
    static final Set<String> FEEDBACK = Set.of("nack", "nack pli", "ccm fir", "goog-remb", "transport-cc");
    /** The transport-wide sequence number (draft-holmer-rmcat-transport-wide-cc-extensions-01). */
    public static final String TRANSPORT_WIDE_CC = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    /** Header extensions kept when offered. */
    static final Set<String> EXTENSIONS = Set.of("urn:ietf:params:rtp-hdrext:sdes:mid",
            "urn:ietf:params:rtp-hdrext:ssrc-audio-level", "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
            TRANSPORT_WIDE_CC);

    /** What the answer announces of the gateway's side. */
    /**
     * @param tcpPort the ICE-TCP (passive) port to announce, or -1
     * @param udp whether to announce the UDP candidate (off only where UDP cannot reach the gateway)
     * @param publisherStartKbps where a publisher's video estimate starts, kbit/s (0: the browser's own start)
     */
    public record Local(String iceUfrag, String icePassword, String fingerprint, InetSocketAddress candidate, int tcpPort,
            boolean udp, int publisherStartKbps) {

        public Local(String iceUfrag, String icePassword, String fingerprint, InetSocketAddress candidate) {
            this(iceUfrag, icePassword, fingerprint, candidate, -1, true, 0);
        }
    }

    /**
     * The codec chosen for one m-line, to map payload types and SSRCs by.
     *
     * @param rtx        the offer's RTX codec for {@code codec} (RFC 4588), negotiated with it; null when not offered
     * @param mediaSsrc  the SSRC the offer announces for this m-line's media (the first not paired as an
     *                   RTX SSRC), or -1
     * @param rtxSsrc    the RTX SSRC the offer pairs with it ({@code a=ssrc-group:FID}), or -1
     */
    public record Chosen(String mid, String kind, MediaDescription.Codec codec, MediaDescription.Codec rtx, long mediaSsrc,
            long rtxSsrc, MediaDescription.Codec red) {

        /** The payload type retransmissions use, or -1 when RTX is not negotiated. */
        public int rtxPayloadType() {
            return rtx == null ? -1 : rtx.payloadType();
        }

        /** The payload type of redundant audio (RFC 2198) around {@code codec}, or -1 when RED is not negotiated. */
        public int redPayloadType() {
            return red == null ? -1 : red.payloadType();
        }
    }

    /** The SSRCs the gateway sends a player's m-line from: media, and retransmissions when RTX is negotiated. */
    public record Sending(long ssrc, long rtxSsrc) {
    }

    /** The answer and what it chose. */
    public record Result(String sdp, List<Chosen> media) {
    }

    private SdpAnswer() {
    }

    /**
     * @param videoPreference codec names in order of preference, e.g. {@code ["H264", "VP8"]}
     * @param sendingSsrcs    for a player's offer: the SSRCs the gateway sends from, by mid
     */
    public static Result answer(SessionDescription offer, Local local, List<String> videoPreference,
            Map<String, Sending> sendingSsrcs, String streamId) {
        if (offer.media().isEmpty()) {
            throw new MalformedPacketException("the offer has no media");
        }
        // BUNDLE: one transport for all m-lines, its DTLS fingerprint on the session or the m-lines
        String fingerprint = remoteFingerprint(offer);
        if (fingerprint == null || !fingerprint.toLowerCase(Locale.ROOT).startsWith("sha-256 ")) {
            throw new MalformedPacketException("the offer has no sha-256 fingerprint");
        }
        List<String> mids = new ArrayList<>();
        List<Chosen> chosen = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        for (MediaDescription media : offer.media()) {
            String mid = media.mid();
            if (mid == null) {
                throw new MalformedPacketException("every m-line needs a mid (BUNDLE)");
            }
            MediaDescription.Codec codec = choose(media, videoPreference);
            String direction = switch (media.direction()) {
                case "sendonly" -> "recvonly";
                case "recvonly" -> "sendonly";
                default -> "inactive";
            };
            if (codec == null || "inactive".equals(direction)) {
                body.append("m=").append(media.kind()).append(" 0 ").append(media.protocol()).append(' ')
                        .append(media.formats().isEmpty() ? "0" : media.formats().get(0)).append("\r\n");
                body.append("a=mid:").append(mid).append("\r\na=inactive\r\n");
                continue;
            }
            mids.add(mid);
            MediaDescription.Codec rtx = "video".equals(media.kind()) ? media.rtxFor(codec.payloadType()) : null;
            Map<Long, Long> rtxPairs = media.rtxSsrcs();
            long mediaSsrc = media.ssrcs().stream().filter(s -> !rtxPairs.containsValue(s)).findFirst().orElse(-1L);
            long rtxSsrc = rtx == null ? -1 : rtxPairs.getOrDefault(mediaSsrc, -1L);
            if ("recvonly".equals(direction) && rtxSsrc < 0) {
                rtx = null; // a publisher that does not pair an RTX SSRC with its media could not be unwrapped: no RTX
            }
            MediaDescription.Codec red = "audio".equals(media.kind()) ? redFor(media, codec.payloadType()) : null;
            chosen.add(new Chosen(mid, media.kind(), codec, rtx, mediaSsrc, rtxSsrc, red));
            InetSocketAddress candidate = local.candidate();
            String ip = candidate.getAddress().getHostAddress();
            // RED before Opus: a WebRTC sender wraps its audio in RED only when the answer lists RED before the codec
            // inside it
            body.append("m=").append(media.kind()).append(" 9 UDP/TLS/RTP/SAVPF ").append(red == null ? "" : red.payloadType() + " ")
                    .append(codec.payloadType()).append(rtx == null ? "" : " " + rtx.payloadType()).append("\r\n");
            body.append("c=IN IP4 ").append(ip).append("\r\n");
            body.append("a=mid:").append(mid).append("\r\n");
            body.append("a=ice-ufrag:").append(local.iceUfrag()).append("\r\n");
            body.append("a=ice-pwd:").append(local.icePassword()).append("\r\n");
            body.append("a=fingerprint:").append(local.fingerprint()).append("\r\n");
            body.append("a=setup:passive\r\n");
            if (local.udp()) {
                body.append("a=candidate:1 1 udp 2130706431 ").append(ip).append(' ').append(candidate.getPort())
                        .append(" typ host\r\n");
            }
            if (local.tcpPort() > 0) {
                // RFC 6544: the gateway only accepts connections; a lower priority, so UDP wins where it works
                body.append("a=candidate:2 1 tcp 1518280447 ").append(ip).append(' ').append(local.tcpPort())
                        .append(" typ host tcptype passive\r\n");
            }
            body.append("a=end-of-candidates\r\n");
            body.append("a=").append(direction).append("\r\n");
            body.append("a=rtcp-mux\r\n");
            if (media.has("rtcp-rsize")) {
                body.append("a=rtcp-rsize\r\n");
            }
            media.extensions().forEach((uri, id) -> {
                if (EXTENSIONS.contains(uri)) {
                    body.append("a=extmap:").append(id).append(' ').append(uri).append("\r\n");
                }
            });
            body.append("a=rtpmap:").append(codec.payloadType()).append(' ').append(codec.name()).append('/')
                    .append(codec.clockRate()).append(codec.channels() > 1 ? "/" + codec.channels() : "").append("\r\n");
            String fmtp = !"recvonly".equals(direction) ? codec.fmtp()
                    : "audio".equals(media.kind()) ? publisherOpus(codec.fmtp()) : publisherVideo(codec.fmtp(), local.publisherStartKbps());
            if (!fmtp.isEmpty()) {
                body.append("a=fmtp:").append(codec.payloadType()).append(' ').append(fmtp).append("\r\n");
            }
            for (String feedback : codec.feedback()) {
                if (FEEDBACK.contains(feedback)) {
                    body.append("a=rtcp-fb:").append(codec.payloadType()).append(' ').append(feedback).append("\r\n");
                }
            }
            if (red != null) {
                body.append("a=rtpmap:").append(red.payloadType()).append(" red/").append(red.clockRate()).append('/')
                        .append(Math.max(1, red.channels())).append("\r\n");
                body.append("a=fmtp:").append(red.payloadType()).append(' ').append(codec.payloadType()).append('/')
                        .append(codec.payloadType()).append("\r\n");
            }
            if (rtx != null) {
                body.append("a=rtpmap:").append(rtx.payloadType()).append(" rtx/").append(rtx.clockRate()).append("\r\n");
                body.append("a=fmtp:").append(rtx.payloadType()).append(" apt=").append(codec.payloadType()).append("\r\n");
            }
            Sending sending = sendingSsrcs.get(mid);
            if ("sendonly".equals(direction) && sending != null) {
                String track = streamId + "-" + media.kind();
                body.append("a=msid:").append(streamId).append(' ').append(track).append("\r\n");
                List<Long> ssrcs = rtx == null ? List.of(sending.ssrc()) : List.of(sending.ssrc(), sending.rtxSsrc());
                if (rtx != null) {
                    body.append("a=ssrc-group:FID ").append(sending.ssrc()).append(' ').append(sending.rtxSsrc()).append("\r\n");
                }
                for (long ssrc : ssrcs) {
                    body.append("a=ssrc:").append(ssrc).append(" cname:wenzhen\r\n");
                    body.append("a=ssrc:").append(ssrc).append(" msid:").append(streamId).append(' ').append(track).append("\r\n");
                }
            }
        }
        StringBuilder sdp = new StringBuilder("v=0\r\n");
        sdp.append("o=- ").append(Math.abs(System.nanoTime())).append(" 2 IN IP4 127.0.0.1\r\n");
        sdp.append("s=-\r\nt=0 0\r\na=ice-lite\r\n");
        sdp.append("a=group:BUNDLE ").append(String.join(" ", mids)).append("\r\n");
        sdp.append("a=msid-semantic: WMS ").append(streamId).append("\r\n");
        sdp.append(body);
        return new Result(sdp.toString(), List.copyOf(chosen));
    }

    /**
     * The Opus parameters a publisher is answered with (RFC 7587): the offer's, with in-band FEC (the encoder adds
     * redundancy for the loss its receiver reports) and DTX (a packet every 400 ms in silence, not every 20 ms).
     */
    static String publisherOpus(String offered) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String parameter : offered.split(";")) {
            String[] pair = parameter.strip().split("=", 2);
            if (!pair[0].isEmpty()) {
                parameters.put(pair[0], pair.length > 1 ? pair[1] : "");
            }
        }
        parameters.put("useinbandfec", "1");
        parameters.put("usedtx", "1");
        StringBuilder fmtp = new StringBuilder();
        parameters.forEach((name, value) -> fmtp.append(fmtp.isEmpty() ? "" : ";").append(name).append(value.isEmpty() ? "" : "=" + value));
        return fmtp.toString();
    }

    /**
     * The video parameters a publisher is answered with: the offer's, and where its send-side estimate starts
     * ({@code x-google-start-bitrate}, kbit/s; Chromium reads it from the answer). Chromium starts at 300 kbit/s and
     * counts on probing to climb; its first probes need video already flowing and are lost when the camera starts
     * after the connection, so a publication would otherwise climb 8 % a second from 300 kbit/s. A start too high
     * for the link costs one delay-based cut in the first second.
     */
    static String publisherVideo(String offered, int startKbps) {
        if (startKbps <= 0 || offered.contains("x-google-start-bitrate")) {
            return offered;
        }
        return (offered.isEmpty() ? "" : offered + ";") + "x-google-start-bitrate=" + startKbps;
    }

    /** The offer's {@code a=fingerprint}: session level, else the first m-line that carries one. */
    public static String remoteFingerprint(SessionDescription offer) {
        if (offer.attribute("fingerprint") != null) {
            return offer.attribute("fingerprint");
        }
        for (MediaDescription media : offer.media()) {
            if (media.attribute("fingerprint") != null) {
                return media.attribute("fingerprint");
            }
        }
        return null;
    }

    /**
     * The offer's RED codec for Opus (RFC 2198, {@code red/48000/2} whose blocks are all {@code primary}: Chromium
     * offers {@code 111/111}), or null: the gateway forwards RED as it is and never decodes it.
     */
    static MediaDescription.Codec redFor(MediaDescription media, int primary) {
        for (MediaDescription.Codec codec : media.codecs()) {
            if (codec.name().equalsIgnoreCase("red") && codec.clockRate() == 48000 && codec.payloadType() != primary
                    && codec.fmtp().strip().matches(primary + "(?:/" + primary + ")+")) {
                return codec;
            }
        }
        return null;
    }

    /** Opus for audio; for video the first of the preference that is offered (H.264 only in packetization mode 1). */
    static MediaDescription.Codec choose(MediaDescription media, List<String> videoPreference) {
        List<MediaDescription.Codec> codecs = media.codecs();
        if ("audio".equals(media.kind())) {
            return codecs.stream().filter(c -> c.name().equalsIgnoreCase("opus") && c.clockRate() == 48000)
                    .findFirst().orElse(null);
        }
        if (!"video".equals(media.kind())) {
            return null;
        }
        for (String wanted : videoPreference) {
            for (MediaDescription.Codec codec : codecs) {
                if (!codec.name().equalsIgnoreCase(wanted)) {
                    continue;
                }
                if (wanted.equalsIgnoreCase("H264") && !(codec.fmtp().contains("packetization-mode=1")
                        && codec.fmtp().matches(".*profile-level-id=42[0-9a-fA-F]{4}.*"))) {
                    continue;
                }
                return codec;
            }
        }
        return null;
    }
}
