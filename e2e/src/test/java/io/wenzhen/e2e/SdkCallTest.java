package io.wenzhen.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A whole consultation through the Web SDK the gateway serves, in two headless Chromium instances:
 * both publish and play each other, a nurse joins late, the patient's signaling socket drops and
 * resumes, a broadcast message, the doctor stops and leaves. Checks the media (frames, size, audio)
 * and that the SDK's events come in the documented order (docs/sdk.md).
 */
class SdkCallTest {

    @Test
    void aDoctorAndAPatientSeeAndHearEachOtherThroughTheSdk() throws Exception {
        Suite suite = Suite.get();
        Suite.App app = suite.createApp("sdk call");
        String room = "sdk-" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode r = BrowserCallTest.run(List.of("node", "sdk-call.mjs", "http://127.0.0.1:" + suite.env.get("WENZHEN_GATEWAY_PORT"),
                Long.toString(app.appId()), room, suite.token(app, "doctor_7"), suite.token(app, "patient_1"),
                suite.token(app, "nurse_3")));
        assertTrue(r.path("error").isMissingNode(), r.toString());

        // media both ways, the right size, audio arriving
        assertTrue(r.at("/patientQuality/frames").asInt() > r.at("/patient/framesAfterPlay").asInt(), "frames keep coming: " + r);
        assertEquals(640, r.at("/patientQuality/width").asInt(), r.toString());
        assertEquals(480, r.at("/patientQuality/height").asInt(), r.toString());
        assertTrue(r.at("/patientQuality/play/audio/audioPacketsReceived").asInt() > 0, "audio arrives: " + r);
        assertTrue(r.at("/patientQuality/play/video/videoBitrate").asDouble() > 0, r.toString());
        assertEquals("H264", r.at("/patientQuality/play/video/videoCodec").asText(), "the doctor asked for H.264: " + r);
        assertTrue(r.at("/patientQuality/play/quality").asInt() <= 2, "a loopback call grades well: " + r);
        assertTrue(r.at("/patientQuality/publish/video/videoBitrate").asDouble() > 0, "the patient's own upload: " + r);
        assertTrue(r.at("/doctor/frames").asInt() > 0, "the doctor sees the patient: " + r);
        assertEquals(640, r.at("/doctor/width").asInt(), r.toString());

        // a late joiner gets a keyframe at once (the SFU asks the publisher for one)
        assertTrue(r.at("/nurse/frames").asInt() > 0, r.toString());
        assertTrue(r.at("/nurse/firstFrameMs").asInt() < 2000, "late joiner's first frame: " + r);

        // the signaling socket dropped and resumed without the picture stopping
        assertTrue(r.at("/resume/after").asInt() > r.at("/resume/before").asInt(), "media flows through a resume: " + r);

        assertEquals(0, r.at("/message/errorCode").asInt(), r.toString());
        assertEquals("please face the camera", r.at("/received/message").asText(), r.toString());
        assertEquals("doctor_7", r.at("/received/fromUser/userID").asText(), r.toString());
        assertEquals("doctor_7_main", r.at("/ended/stream").asText(), r.toString());
        assertEquals("doctor_7_main", r.at("/ended/player/streamID").asText(), r.toString());
        assertEquals("doctor_7", r.at("/left").asText(), r.toString());

        // events, in order
        assertInOrder(r.at("/doctorEvents/events"), "roomStateUpdate:CONNECTING:0", "roomStateUpdate:CONNECTED:0",
                "publisherStateUpdate:doctor_7_main:PUBLISH_REQUESTING:0", "publisherStateUpdate:doctor_7_main:PUBLISHING:0",
                "roomUserUpdate:ADD:patient_1", "roomStreamUpdate:ADD:patient_1_main",
                "playerStateUpdate:patient_1_main:PLAY_REQUESTING:0", "playerStateUpdate:patient_1_main:PLAYING:0",
                "publisherStateUpdate:doctor_7_main:NO_PUBLISH:0", "playerStateUpdate:patient_1_main:NO_PLAY:0",
                "roomStateUpdate:DISCONNECTED:0");
        assertInOrder(r.at("/patientEvents/events"), "roomStateUpdate:CONNECTING:0", "roomStateUpdate:CONNECTED:0",
                "roomOnlineUserCountUpdate:2", "roomUserUpdate:ADD:doctor_7", "roomStreamUpdate:ADD:doctor_7_main",
                "publisherStateUpdate:patient_1_main:PUBLISH_REQUESTING:0",
                "playerStateUpdate:doctor_7_main:PLAY_REQUESTING:0", "playerStateUpdate:doctor_7_main:PLAYING:0",
                "roomStateUpdate:CONNECTING:0", "roomStateUpdate:CONNECTED:0", "IMRecvBroadcastMessage",
                "roomStreamUpdate:DELETE:doctor_7_main", "playerStateUpdate:doctor_7_main:NO_PLAY:0",
                "roomUserUpdate:DELETE:doctor_7");
        assertTrue(r.at("/patientEvents/playQuality").asInt() >= 2, "playQualityUpdate every 3 s: " + r);
        assertTrue(r.at("/doctorEvents/publishQuality").asInt() >= 1, "publishQualityUpdate: " + r);
        System.out.println("SDK call: patient's first frame " + r.at("/patient/firstFrameMs").asInt() + " ms, late joiner's "
                + r.at("/nurse/firstFrameMs").asInt() + " ms, signaling resumed in " + r.at("/resume/resumedInMs").asInt() + " ms");
    }

    /** The expected events appear in this order (others may come between them). */
    private static void assertInOrder(JsonNode events, String... expected) {
        List<String> seen = new ArrayList<>();
        events.forEach(e -> seen.add(e.asText()));
        int at = 0;
        for (String want : expected) {
            int found = seen.subList(at, seen.size()).indexOf(want);
            assertTrue(found >= 0, "expected '" + want + "' after position " + at + " in " + seen);
            at += found + 1;
        }
    }
}
