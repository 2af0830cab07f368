package io.wenzhen.gateway.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.wenzhen.protocols.MalformedPacketException;
import io.wenzhen.protocols.sdp.MediaDescription;
import io.wenzhen.protocols.sdp.SessionDescription;

class SdpAnswerTest {

    static final String FINGERPRINT = "sha-256 9A:BC:DE:F0:12:34:56:78:9A:BC:DE:F0:12:34:56:78:9A:BC:DE:F0:12:34:56:78:9A:BC:DE:F0:12:34:56:78";

    static String offer(String direction) {
        return String.join("\r\n", "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0 1",
                "m=audio 9 UDP/TLS/RTP/SAVPF 111 0", "c=IN IP4 0.0.0.0", "a=mid:0", "a=ice-ufrag:Ab3d",
                "a=ice-pwd:0123456789abcdefghijklmn", "a=fingerprint:" + FINGERPRINT, "a=setup:actpass", "a=" + direction,
                "a=rtcp-mux", "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level", "a=extmap:9 urn:x:unknown",
                "a=extmap:3 " + SdpAnswer.TRANSPORT_WIDE_CC, "a=rtpmap:111 opus/48000/2", "a=rtcp-fb:111 transport-cc", "a=fmtp:111 minptime=10;useinbandfec=1",
                "a=rtpmap:0 PCMU/8000", "a=ssrc:1001 cname:abc",
                "m=video 9 UDP/TLS/RTP/SAVPF 96 102 108", "c=IN IP4 0.0.0.0", "a=mid:1", "a=" + direction, "a=rtcp-mux",
                "a=rtpmap:96 VP8/90000", "a=rtcp-fb:96 nack", "a=rtcp-fb:96 nack pli", "a=rtcp-fb:96 transport-cc",
                "a=rtpmap:102 H264/90000", "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
                "a=rtcp-fb:102 nack", "a=rtcp-fb:102 nack pli", "a=rtcp-fb:102 ccm fir", "a=rtcp-fb:102 transport-cc",
                "a=rtpmap:108 H264/90000", "a=fmtp:108 packetization-mode=0;profile-level-id=42e01f",
                "a=ssrc:2001 cname:abc", "");
    }

    final SdpAnswer.Local local = new SdpAnswer.Local("gwufrag", "gatewaypassword1234567", "sha-256 AA:BB",
            new InetSocketAddress("127.0.0.1", 40000));

    @Test
    void answersAPublisherWithIceLiteOneCodecEachAndRecvonly() {
        SdpAnswer.Result result = SdpAnswer.answer(SessionDescription.parse(offer("sendonly")), local,
                List.of("H264", "VP8"), Map.of(), "doctor_7_main");
        SessionDescription answer = SessionDescription.parse(result.sdp());

        assertEquals("", answer.attribute("ice-lite"));
        assertEquals(List.of("0", "1"), answer.bundle());
        MediaDescription audio = answer.media().get(0);
        MediaDescription video = answer.media().get(1);
        assertEquals("recvonly", audio.direction());
        assertEquals("passive", audio.attribute("setup"));
        assertEquals("gwufrag", audio.attribute("ice-ufrag"));
        assertEquals("1 1 udp 2130706431 127.0.0.1 40000 typ host", audio.attribute("candidate"));
        assertEquals(List.of("111"), audio.formats());
        assertEquals("opus", audio.codecs().get(0).name());
        assertEquals("minptime=10;useinbandfec=1;usedtx=1", audio.codecs().get(0).fmtp(), "in-band FEC and DTX asked of the publisher");
        assertEquals(Map.of("urn:ietf:params:rtp-hdrext:ssrc-audio-level", 1, SdpAnswer.TRANSPORT_WIDE_CC, 3), audio.extensions(),
                "the transport-wide sequence number kept: the gateway gives feedback on it");
        assertEquals(List.of("transport-cc"), audio.codecs().get(0).feedback());
        assertEquals(List.of("102"), video.formats(), "H.264 in packetization mode 1 preferred");
        assertEquals(List.of("nack", "nack pli", "ccm fir", "transport-cc"), video.codecs().get(0).feedback());
        assertEquals(2001L, result.media().get(1).mediaSsrc());
        assertEquals(-1, result.media().get(1).rtxPayloadType(), "no RTX offered, none answered");

        SdpAnswer.Result vp8 = SdpAnswer.answer(SessionDescription.parse(offer("sendonly")), local, List.of("VP8", "H264"),
                Map.of(), "s");
        assertEquals("VP8", vp8.media().get(1).codec().name());
        assertEquals("", SessionDescription.parse(vp8.sdp()).media().get(1).codecs().get(0).fmtp(), "no start bitrate unless configured");
    }

    @Test
    void answersRedundantAudioFirstWhereOffered() {
        String offer = offer("sendonly").replace("m=audio 9 UDP/TLS/RTP/SAVPF 111 0", "m=audio 9 UDP/TLS/RTP/SAVPF 111 63 0")
                .replace("a=rtpmap:0 PCMU/8000", "a=rtpmap:63 red/48000/2\r\na=fmtp:63 111/111\r\na=rtpmap:0 PCMU/8000");
        SdpAnswer.Result result = SdpAnswer.answer(SessionDescription.parse(offer), local, List.of("H264"), Map.of(), "s");
        MediaDescription audio = SessionDescription.parse(result.sdp()).media().get(0);
        assertEquals(List.of("63", "111"), audio.formats(), "RED first: a WebRTC sender uses RED only when it comes first");
        assertEquals("111/111", audio.codecs().get(0).fmtp());
        assertEquals(63, result.media().get(0).redPayloadType());
        assertEquals(-1, result.media().get(1).redPayloadType(), "video has none");

        String otherBlocks = offer.replace("a=fmtp:63 111/111", "a=fmtp:63 0/0");
        assertEquals(-1, SdpAnswer.answer(SessionDescription.parse(otherBlocks), local, List.of("H264"), Map.of(), "s").media().get(0)
                .redPayloadType(), "RED of another codec than the Opus answered is not taken");
        assertEquals(-1, SdpAnswer.answer(SessionDescription.parse(offer("sendonly")), local, List.of("H264"), Map.of(), "s").media()
                .get(0).redPayloadType(), "none offered, none answered");
    }

    @Test
    void tellsAPublisherWhereItsVideoEstimateStarts() {
        SdpAnswer.Local starting = new SdpAnswer.Local("gwufrag", "gatewaypassword1234567", "sha-256 AA:BB",
                new InetSocketAddress("127.0.0.1", 40000), -1, true, 1000);
        SessionDescription publisher = SessionDescription.parse(SdpAnswer.answer(SessionDescription.parse(offer("sendonly")), starting,
                List.of("H264"), Map.of(), "s").sdp());
        assertEquals("level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f;x-google-start-bitrate=1000",
                publisher.media().get(1).codecs().get(0).fmtp());
        assertEquals("minptime=10;useinbandfec=1;usedtx=1", publisher.media().get(0).codecs().get(0).fmtp(), "audio has none");
        SessionDescription player = SessionDescription.parse(SdpAnswer.answer(SessionDescription.parse(offer("recvonly")), starting,
                List.of("H264"), Map.of("0", new SdpAnswer.Sending(1, 2), "1", new SdpAnswer.Sending(3, 4)), "s").sdp());
        assertEquals("level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f", player.media().get(1).codecs().get(0).fmtp(),
                "a player's answer says nothing of where the gateway's own estimate starts");
        assertEquals("x-google-start-bitrate=1000", SdpAnswer.publisherVideo("", 1000));
        assertEquals("x-google-start-bitrate=500", SdpAnswer.publisherVideo("x-google-start-bitrate=500", 1000), "the offer's kept");
    }

    @Test
    void answersAPlayerWithTheSsrcsItWillReceive() {
        SdpAnswer.Result result = SdpAnswer.answer(SessionDescription.parse(offer("recvonly")), local, List.of("VP8"),
                Map.of("0", new SdpAnswer.Sending(0xA1L, 0xA2L), "1", new SdpAnswer.Sending(0xB2L, 0xB3L)), "doctor_7_main");
        SessionDescription answer = SessionDescription.parse(result.sdp());
        assertEquals("sendonly", answer.media().get(1).direction());
        assertEquals(List.of(0xB2L), answer.media().get(1).ssrcs());
        assertTrue(answer.media().get(1).attribute("msid").startsWith("doctor_7_main "));
    }

    @Test
    void negotiatesRtxForTheChosenCodecAndPairsItsSsrc() {
        String withRtx = offer("sendonly").replace("m=video 9 UDP/TLS/RTP/SAVPF 96 102 108", "m=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103 108")
                .replace("a=rtpmap:102 H264/90000", "a=rtpmap:97 rtx/90000\r\na=fmtp:97 apt=96\r\na=rtpmap:103 rtx/90000\r\n"
                        + "a=fmtp:103 apt=102\r\na=rtpmap:102 H264/90000")
                .replace("a=ssrc:2001 cname:abc", "a=ssrc-group:FID 2001 2002\r\na=ssrc:2001 cname:abc\r\na=ssrc:2002 cname:abc");
        SdpAnswer.Result published = SdpAnswer.answer(SessionDescription.parse(withRtx), local, List.of("H264"), Map.of(), "s");
        MediaDescription video = SessionDescription.parse(published.sdp()).media().get(1);
        assertEquals(List.of("102", "103"), video.formats(), "the RTX of the chosen codec, not VP8's");
        assertEquals("apt=102", video.codecs().get(1).fmtp());
        assertEquals(2001L, published.media().get(1).mediaSsrc());
        assertEquals(2002L, published.media().get(1).rtxSsrc());
        String unpaired = withRtx.replace("a=ssrc-group:FID 2001 2002\r\n", "");
        MediaDescription noPair = SessionDescription.parse(SdpAnswer.answer(SessionDescription.parse(unpaired), local, List.of("H264"),
                Map.of(), "s").sdp()).media().get(1);
        assertEquals(List.of("102"), noPair.formats(), "RTX the gateway could not pair with the media SSRC is not negotiated");

        SdpAnswer.Result played = SdpAnswer.answer(SessionDescription.parse(withRtx.replace("a=sendonly", "a=recvonly")), local,
                List.of("VP8"), Map.of("0", new SdpAnswer.Sending(0xA1L, 0xA2L), "1", new SdpAnswer.Sending(0xB2L, 0xB3L)), "s");
        MediaDescription sending = SessionDescription.parse(played.sdp()).media().get(1);
        assertEquals(List.of("96", "97"), sending.formats());
        assertEquals(Map.of(0xB2L, 0xB3L), sending.rtxSsrcs());
        assertEquals(List.of(0xB2L, 0xB3L), sending.ssrcs());
        assertEquals(List.of(0xA1L), SessionDescription.parse(played.sdp()).media().get(0).ssrcs(), "no RTX for audio");
    }

    @Test
    void rejectsWhatItCannotForwardAndRefusesOffersItCannotAnswer() {
        String noOpus = offer("sendonly").replace("a=rtpmap:111 opus/48000/2", "a=rtpmap:111 G722/8000");
        SessionDescription answer = SessionDescription.parse(SdpAnswer.answer(SessionDescription.parse(noOpus), local,
                List.of("VP8"), Map.of(), "s").sdp());
        assertEquals(0, answer.media().get(0).port(), "the audio m-line is rejected");
        assertEquals(List.of("1"), answer.bundle());

        String noFingerprint = offer("sendonly").replace("a=fingerprint:" + FINGERPRINT + "\r\n", "");
        assertThrows(MalformedPacketException.class, () -> SdpAnswer.answer(SessionDescription.parse(noFingerprint), local,
                List.of("VP8"), Map.of(), "s"));
        String noMid = offer("sendonly").replace("a=mid:0\r\n", "");
        assertThrows(MalformedPacketException.class, () -> SdpAnswer.answer(SessionDescription.parse(noMid), local,
                List.of("VP8"), Map.of(), "s"));
    }
}
