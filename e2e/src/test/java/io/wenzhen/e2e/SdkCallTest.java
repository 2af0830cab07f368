package io.wenzhen.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
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
        // graded by MOS (docs/quality.md): no loss on loopback, but the encoder is still ramping its bitrate up
        assertTrue(r.at("/patientQuality/play/quality").asInt() <= 3, "a loopback call grades fair or better: " + r);
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
        // a publishing connection lost under the SDK: the gateway ends the publication and says why, the room hears it
        assertEquals("patient_1_main", r.at("/lost/streamID").asText(), r.toString());
        assertEquals(10324, r.at("/lost/errorCode").asInt(), "MEDIA_CONNECTION_LOST: " + r);
        assertEquals("patient_1_main", r.at("/lostSeen").asText(), r.toString());
        assertEquals("doctor_7_main", r.at("/ended/stream").asText(), r.toString());
        assertEquals("doctor_7_main", r.at("/ended/player/streamID").asText(), r.toString());
        assertEquals("doctor_7", r.at("/left").asText(), r.toString());

        // events, in order
        assertInOrder(r.at("/doctorEvents/events"), "roomStateUpdate:CONNECTING:0", "roomStateUpdate:CONNECTED:0",
                "publisherStateUpdate:doctor_7_main:PUBLISH_REQUESTING:0", "publisherStateUpdate:doctor_7_main:PUBLISHING:0",
                "roomUserUpdate:ADD:patient_1", "roomStreamUpdate:ADD:patient_1_main",
                "playerStateUpdate:patient_1_main:PLAY_REQUESTING:0", "playerStateUpdate:patient_1_main:PLAYING:0",
                "roomStreamUpdate:DELETE:patient_1_main", "playerStateUpdate:patient_1_main:NO_PLAY:0",
                "publisherStateUpdate:doctor_7_main:NO_PUBLISH:0", "roomStateUpdate:DISCONNECTED:0");
        assertInOrder(r.at("/patientEvents/events"), "roomStateUpdate:CONNECTING:0", "roomStateUpdate:CONNECTED:0",
                "roomOnlineUserCountUpdate:2", "roomUserUpdate:ADD:doctor_7", "roomStreamUpdate:ADD:doctor_7_main",
                "publisherStateUpdate:patient_1_main:PUBLISH_REQUESTING:0",
                "playerStateUpdate:doctor_7_main:PLAY_REQUESTING:0", "playerStateUpdate:doctor_7_main:PLAYING:0",
                "roomStateUpdate:CONNECTING:0", "roomStateUpdate:CONNECTED:0", "IMRecvBroadcastMessage",
                "publisherStateUpdate:patient_1_main:NO_PUBLISH:10324", "roomStreamUpdate:DELETE:doctor_7_main", "playerStateUpdate:doctor_7_main:NO_PLAY:0",
                "roomUserUpdate:DELETE:doctor_7");
        assertTrue(r.at("/patientEvents/playQuality").asInt() >= 2, "playQualityUpdate every 3 s: " + r);
        assertTrue(r.at("/doctorEvents/publishQuality").asInt() >= 1, "publishQualityUpdate: " + r);
        System.out.println("SDK call: patient's first frame " + r.at("/patient/firstFrameMs").asInt() + " ms, late joiner's "
                + r.at("/nurse/firstFrameMs").asInt() + " ms, signaling resumed in " + r.at("/resume/resumedInMs").asInt()
                + " ms, a closed publishing connection ended by the gateway in " + r.at("/lost/ms").asInt() + " ms");

        // the gateway's own view of the doctor's stream went to quality-samples, as its schema says
        List<JsonNode> serverSamples = GatewayEventsTest.read(suite, "quality-samples", app.appId() + "/doctor_7_main", 8).stream()
                .filter(e -> e.path("type").asText().equals("wenzhen.quality.server-sample.v1")).toList();
        assertTrue(!serverSamples.isEmpty(), "server samples of the doctor's stream");
        for (JsonNode sample : serverSamples) {
            GatewayEventsTest.assertValid(sample);
        }
        assertQualityReport(suite, app, room);
    }

    /** Once everyone has left, quality-service reports on the consultation, with figures a loopback call should have. */
    private static void assertQualityReport(Suite suite, Suite.App app, String room) throws Exception {
        JsonNode list = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            var response = Suite.get(suite.quality("/api/v1/quality/reports?appId=" + app.appId() + "&roomId=" + room), suite.adminToken);
            assertEquals(200, response.statusCode(), response.body());
            list = Suite.JSON.readTree(response.body());
            if (list.size() > 0) {
                break;
            }
            Thread.sleep(500);
        }
        assertTrue(list != null && list.size() == 1, "one report for the consultation: " + list);
        var response = Suite.get(suite.quality("/api/v1/quality/reports/" + list.get(0).path("consultationId").asText()),
                suite.adminToken);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode report = Suite.JSON.readTree(response.body());
        assertTrue(report.path("durationSeconds").asLong() >= 5, report.toString());
        assertTrue(report.path("participants").size() >= 3, "doctor, patient and nurse: " + report);
        JsonNode doctorStream = null;
        for (JsonNode stream : report.path("streams")) {
            if (stream.path("streamId").asText().equals("doctor_7_main")) {
                doctorStream = stream;
            }
        }
        assertTrue(doctorStream != null, report.toString());
        assertEquals("doctor_7", doctorStream.path("publisherUserId").asText());
        boolean publisherSeen = false;
        boolean patientSeen = false;
        for (JsonNode participant : doctorStream.path("participants")) {
            assertTrue(participant.path("samples").asLong() > 0 && participant.path("windows").asLong() > 0, participant.toString());
            boolean publisher = participant.path("side").asText().equals("publish") && participant.path("userId").asText().equals("doctor_7");
            boolean patient = participant.path("side").asText().equals("play") && participant.path("userId").asText().equals("patient_1");
            if (publisher || patient) { // the nurse played only briefly: her figures may be a single first sample
                JsonNode averages = participant.path("averages");
                assertTrue(averages.path("videoKbps").asDouble() > 50, "video flowed: " + participant);
                assertTrue(averages.path("audioKbps").asDouble() > 5, "audio flowed: " + participant);
                assertTrue(averages.path("mos").asDouble() >= 1 && averages.path("mos").asDouble() <= 4.5, participant.toString());
            }
            publisherSeen |= publisher;
            patientSeen |= patient;
        }
        assertTrue(publisherSeen && patientSeen, "the doctor's uplink and the patient's downlink: " + doctorStream);
        System.out.println("SDK call quality report: " + report.path("durationSeconds").asLong() + " s, worst grade "
                + report.path("worstGrade").asInt() + ", poor share " + report.path("poorShare").asDouble() + ", doctor's stream: "
                + doctorStream.path("participants"));
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
