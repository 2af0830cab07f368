package io.wenzhen.protocols.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.wenzhen.protocols.MalformedPacketException;

class SessionDescriptionTest {

    /** The shape of a Chromium publish offer (sendonly, BUNDLE, rtcp-mux), shortened. */
    static final String OFFER = String.join("\r\n",
            "v=0",
            "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
            "s=-",
            "t=0 0",
            "a=group:BUNDLE 0 1",
            "a=extmap-allow-mixed",
            "a=msid-semantic: WMS stream",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111 63",
            "c=IN IP4 0.0.0.0",
            "a=rtcp:9 IN IP4 0.0.0.0",
            "a=ice-ufrag:Ab3d",
            "a=ice-pwd:0123456789abcdefghijklmn",
            "a=ice-options:trickle",
            "a=fingerprint:sha-256 9A:BC:DE:F0:12:34:56:78:9A:BC:DE:F0:12:34:56:78:9A:BC:DE:F0:12:34:56:78:9A:BC:DE:F0:12:34:56:78",
            "a=setup:actpass",
            "a=mid:0",
            "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
            "a=extmap:3/sendonly http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
            "a=sendonly",
            "a=rtcp-mux",
            "a=rtpmap:111 opus/48000/2",
            "a=rtcp-fb:111 transport-cc",
            "a=fmtp:111 minptime=10;useinbandfec=1",
            "a=rtpmap:63 red/48000/2",
            "a=ssrc:1001 cname:abc",
            "a=ssrc:1001 msid:stream audio",
            "m=video 9 UDP/TLS/RTP/SAVPF 96 97 102",
            "c=IN IP4 0.0.0.0",
            "a=mid:1",
            "a=sendonly",
            "a=rtcp-mux",
            "a=rtpmap:96 VP8/90000",
            "a=rtcp-fb:96 nack",
            "a=rtcp-fb:96 nack pli",
            "a=rtcp-fb:96 goog-remb",
            "a=rtpmap:97 rtx/90000",
            "a=fmtp:97 apt=96",
            "a=rtpmap:102 H264/90000",
            "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
            "a=ssrc-group:FID 2001 2002",
            "a=ssrc:2001 cname:abc",
            "a=ssrc:2002 cname:abc",
            "");

    @Test
    void readsAChromiumOffer() {
        SessionDescription sdp = SessionDescription.parse(OFFER);
        assertEquals(List.of("0", "1"), sdp.bundle());
        assertEquals(2, sdp.media().size());

        MediaDescription audio = sdp.media().get(0);
        assertEquals("audio", audio.kind());
        assertEquals("UDP/TLS/RTP/SAVPF", audio.protocol());
        assertEquals("0", audio.mid());
        assertEquals("sendonly", audio.direction());
        assertEquals("Ab3d", audio.attribute("ice-ufrag"));
        assertTrue(audio.attribute("fingerprint").startsWith("sha-256 9A:BC"));
        assertTrue(audio.has("rtcp-mux"));
        MediaDescription.Codec opus = audio.codecs().get(0);
        assertEquals(new MediaDescription.Codec(111, "opus", 48000, 2, "minptime=10;useinbandfec=1", List.of("transport-cc")), opus);
        assertEquals(1, audio.extensions().get("urn:ietf:params:rtp-hdrext:ssrc-audio-level"));
        assertEquals(3, audio.extensions().get("http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"));
        assertEquals(List.of(1001L), audio.ssrcs());

        MediaDescription video = sdp.media().get(1);
        List<MediaDescription.Codec> codecs = video.codecs();
        assertEquals(List.of("VP8", "rtx", "H264"), codecs.stream().map(MediaDescription.Codec::name).toList());
        assertEquals(List.of("nack", "nack pli", "goog-remb"), codecs.get(0).feedback());
        assertTrue(codecs.get(2).fmtp().contains("packetization-mode=1"));
        assertEquals(List.of(2001L, 2002L), video.ssrcs());
        assertEquals(Map.of(2001L, 2002L), video.rtxSsrcs());
        assertEquals(97, video.rtxFor(96).payloadType());
        assertEquals(null, video.rtxFor(102), "no rtx offered for H.264 here");
        assertTrue(audio.rtxSsrcs().isEmpty());
    }

    @Test
    void refusesWhatIsNotSdp() {
        for (String bad : new String[] {"", "\n", "\r\n\r\n", "o=- 1 1 IN IP4 0.0.0.0", "v=0\r\nm=audio 9", "v=0\r\no=x\r\nm=audio x RTP/AVP 0",
            "v=0\r\no=x\r\nm=audio 70000 RTP/AVP 0", "v=0\r\no=x\r\nnot a line", "v=0\r\ns=-", "v=0\r\no=x\r\nA=upper",
            "v=0\r\no=x\r\n" + "a=" + "x".repeat(SessionDescription.MAX_LINE)}) {
            assertThrows(MalformedPacketException.class, () -> SessionDescription.parse(bad), bad);
        }
        StringBuilder many = new StringBuilder("v=0\r\no=x\r\n");
        for (int i = 0; i <= SessionDescription.MAX_MEDIA; i++) {
            many.append("m=audio 9 RTP/AVP 0\r\n");
        }
        assertThrows(MalformedPacketException.class, () -> SessionDescription.parse(many.toString()));
    }

    @Test
    void fuzzedOffersOnlyEverFailAsMalformed() {
        Random random = new Random(8866);
        String alphabet = "=: /\r\n0123456789abcmovtx-";
        for (int i = 0; i < 20_000; i++) {
            char[] chars = OFFER.toCharArray();
            for (int e = 0; e < 1 + random.nextInt(6); e++) {
                chars[random.nextInt(chars.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
            }
            try {
                SessionDescription sdp = SessionDescription.parse(new String(chars));
                sdp.bundle();
                for (MediaDescription media : sdp.media()) {
                    media.codecs();
                    media.extensions();
                    media.ssrcs();
                    media.rtxSsrcs();
                    media.rtxFor(96);
                    media.direction();
                }
            } catch (MalformedPacketException expected) {
                // refused
            } catch (RuntimeException e) {
                fail("input " + i + " threw " + e);
            }
        }
    }
}
