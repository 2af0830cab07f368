package io.wenzhen.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Several clients against the real gateway, room-service, auth-service, Kafka and PostgreSQL, speaking
 * the signaling protocol the SDK speaks.
 */
class SignalingTest {

    final Suite suite = Suite.get();
    Suite.App app;
    String room;

    @BeforeEach
    void app() throws Exception {
        app = suite.createApp("signaling " + UUID.randomUUID());
        room = "consult-" + UUID.randomUUID().toString().substring(0, 8);
    }

    SignalingClient loggedIn(String userId, boolean userUpdate) throws Exception {
        SignalingClient client = SignalingClient.connect(suite.gatewayWs());
        JsonNode reply = client.login(app.appId(), room, suite.token(app, userId), userId, userUpdate);
        assertTrue(reply.get("ok").asBoolean(), reply.toString());
        return client;
    }

    @Test
    void twoUsersSeeEachOtherComeAndGo() throws Exception {
        try (SignalingClient doctor = loggedIn("doctor_7", true)) {
            SignalingClient patient = SignalingClient.connect(suite.gatewayWs());
            JsonNode reply = patient.login(app.appId(), room, suite.token(app, "patient_1"), "patient_1", true);

            assertEquals("doctor_7", reply.at("/data/userList/0/userID").asText());
            assertEquals(2, reply.at("/data/onlineCount").asInt());
            JsonNode added = doctor.awaitEvent("roomUserUpdate", Map.of("/updateType", "ADD"));
            assertEquals("patient_1", added.at("/userList/0/userID").asText());
            assertEquals("name of patient_1", added.at("/userList/0/userName").asText());
            doctor.awaitEvent("roomOnlineUserCountUpdate", Map.of("/count", "2"));

            assertTrue(patient.request(patient.message("logout")).get("ok").asBoolean());
            JsonNode deleted = doctor.awaitEvent("roomUserUpdate", Map.of("/updateType", "DELETE"));
            assertEquals("patient_1", deleted.at("/userList/0/userID").asText());
            doctor.awaitEvent("roomOnlineUserCountUpdate", Map.of("/count", "1"));
            patient.close();
        }
    }

    @Test
    void streamsAppearToOthersAndCanBePlayedFromTheRoomOnly() throws Exception {
        try (SignalingClient doctor = loggedIn("doctor_7", false); SignalingClient patient = loggedIn("patient_1", false)) {
            assertTrue(doctor.publish("doctor_7_main").get("ok").asBoolean());
            JsonNode added = patient.awaitEvent("roomStreamUpdate", Map.of("/updateType", "ADD"));
            assertEquals("doctor_7_main", added.at("/streamList/0/streamID").asText());
            assertEquals("doctor_7", added.at("/streamList/0/user/userID").asText());
            assertEquals("camera=front", added.at("/streamList/0/extraInfo").asText());
            assertTrue(doctor.events("roomStreamUpdate").isEmpty(), "a publisher is not told of its own stream");

            assertTrue(patient.request(patient.message("play").put("streamID", "doctor_7_main")).get("ok").asBoolean());
            assertEquals(10311, patient.request(patient.message("play").put("streamID", "nope")).get("code").asInt());

            try (SignalingClient late = loggedIn("nurse_2", false)) {
                // a late joiner learns the room's streams from the login reply
                JsonNode again = SignalingClient.connect(suite.gatewayWs()).login(app.appId(), room + "-x",
                        suite.token(app, "x1"), "x1", false);
                assertTrue(again.get("ok").asBoolean());
                assertTrue(late.request(late.message("play").put("streamID", "doctor_7_main")).get("ok").asBoolean());
            }

            assertTrue(doctor.request(doctor.message("unpublish").put("streamID", "doctor_7_main")).get("ok").asBoolean());
            patient.awaitEvent("roomStreamUpdate", Map.of("/updateType", "DELETE", "/streamList/0/streamID", "doctor_7_main"));
        }
    }

    @Test
    void streamIdRulesAndPublishPrivileges() throws Exception {
        try (SignalingClient doctor = loggedIn("doctor_7", false); SignalingClient patient = loggedIn("patient_1", false)) {
            assertEquals(10208, doctor.publish("no spaces allowed").get("code").asInt());
            assertEquals(10208, doctor.publish("x".repeat(257)).get("code").asInt());
            assertTrue(doctor.publish("shared_id").get("ok").asBoolean());
            JsonNode second = patient.publish("shared_id");
            assertEquals(10209, second.get("code").asInt());
            assertEquals("STREAM_ID_IN_USE", second.get("error").asText());

            SignalingClient viewer = SignalingClient.connect(suite.gatewayWs());
            String loginOnly = suite.token(app, Map.of("userId", "viewer_3", "roomId", room,
                    "privileges", Map.of("loginRoom", true, "publishStream", false)));
            assertTrue(viewer.login(app.appId(), room, loginOnly, "viewer_3", false).get("ok").asBoolean());
            assertEquals(10112, viewer.publish("viewer_stream").get("code").asInt());
            viewer.close();
        }
    }

    @Test
    void aSecondLoginOfTheSameUserKicksTheFirst() throws Exception {
        try (SignalingClient first = loggedIn("doctor_7", true); SignalingClient other = loggedIn("patient_1", true)) {
            SignalingClient second = SignalingClient.connect(suite.gatewayWs());
            assertTrue(second.login(app.appId(), room, suite.token(app, "doctor_7"), "doctor_7", true).get("ok").asBoolean());

            JsonNode kicked = first.awaitEvent("kicked", Map.of());
            assertEquals(10206, kicked.get("code").asInt());
            assertEquals("KICKED_DUPLICATE_LOGIN", kicked.get("error").asText());
            assertEquals(10305, first.request(first.message("publish").put("streamID", "s")).get("code").asInt(),
                    "the kicked connection is no longer logged in");
            second.close();
        }
    }

    @Test
    void aDroppedClientResumesAndGetsWhatItMissed() throws Exception {
        try (SignalingClient doctor = loggedIn("doctor_7", true)) {
            SignalingClient patient = SignalingClient.connect(suite.gatewayWs());
            JsonNode login = patient.login(app.appId(), room, suite.token(app, "patient_1"), "patient_1", true);
            long seenSoFar = patient.lastSeq();
            patient.drop();

            assertTrue(doctor.request(doctor.message("broadcast").put("message", "您还在吗？")).get("ok").asBoolean());
            Thread.sleep(500);
            assertTrue(doctor.events("roomUserUpdate").stream().noneMatch(e -> "DELETE".equals(e.path("updateType").asText())),
                    "a drop is not a logout");

            SignalingClient back = SignalingClient.connect(suite.gatewayWs());
            JsonNode resumed = back.request(back.message("resume").put("sessionId", login.at("/data/sessionId").asText())
                    .put("resumeToken", login.at("/data/resumeToken").asText()).put("lastSeq", seenSoFar));
            assertTrue(resumed.get("ok").asBoolean(), resumed.toString());
            JsonNode missed = back.awaitEvent("IMRecvBroadcastMessage", Map.of());
            assertEquals("您还在吗？", missed.at("/messageList/0/message").asText());
            assertEquals("doctor_7", missed.at("/messageList/0/fromUser/userID").asText());
            assertTrue(back.request(back.message("heartbeat")).get("ok").asBoolean());
            assertTrue(doctor.events("IMRecvBroadcastMessage").isEmpty(), "the sender does not get its own message");

            JsonNode wrong = SignalingClient.connect(suite.gatewayWs()).request(back.message("resume")
                    .put("sessionId", login.at("/data/sessionId").asText()).put("resumeToken", "forged").put("lastSeq", 0));
            assertEquals(10307, wrong.get("code").asInt());
            back.close();
        }
    }

    @Test
    void aClientThatDoesNotComeBackLeavesAfterTheGracePeriod() throws Exception {
        try (SignalingClient doctor = loggedIn("doctor_7", true)) {
            SignalingClient patient = loggedIn("patient_1", true);
            patient.publish("patient_cam");
            doctor.awaitEvent("roomStreamUpdate", Map.of("/updateType", "ADD"));
            long dropped = System.nanoTime();
            patient.drop();

            doctor.awaitEvent("roomStreamUpdate", Map.of("/updateType", "DELETE", "/streamList/0/streamID", "patient_cam"));
            doctor.awaitEvent("roomUserUpdate", Map.of("/updateType", "DELETE", "/userList/0/userID", "patient_1"));
            Duration waited = Duration.ofNanos(System.nanoTime() - dropped);
            assertTrue(waited.compareTo(Suite.RESUME_GRACE) >= 0, "not before the grace period: " + waited);
        }
    }

    @Test
    void anAdminKickReachesTheClient() throws Exception {
        try (SignalingClient doctor = loggedIn("doctor_7", true); SignalingClient patient = loggedIn("patient_1", true)) {
            Suite.post(suite.room("/api/v1/apps/" + app.appId() + "/rooms/" + room + "/users/patient_1/kick"),
                    suite.adminToken, null);
            JsonNode kicked = patient.awaitEvent("kicked", Map.of());
            assertEquals(10207, kicked.get("code").asInt());
            doctor.awaitEvent("roomUserUpdate", Map.of("/updateType", "DELETE", "/userList/0/userID", "patient_1"));
        }
    }

    @Test
    void badInputGetsADocumentedErrorAndTheConnectionLives() throws Exception {
        try (SignalingClient client = SignalingClient.connect(suite.gatewayWs())) {
            client.sendRaw("{not json");
            assertEquals(10301, client.await(m -> m.path("code").asInt() == 10301, Duration.ofSeconds(5)).get("code").asInt());
            assertEquals(10302, client.request(client.message("teleport")).get("code").asInt());
            assertEquals(10305, client.request(client.message("publish").put("streamID", "s1")).get("code").asInt());
            // refused before it is parsed, so the reply cannot name the request: id null
            client.sendRaw(client.message("broadcast").put("message", "x".repeat(70_000)).toString());
            assertTrue(client.await(m -> m.path("code").asInt() == 10303, Duration.ofSeconds(5)).get("id").isNull());
            assertEquals(10301, client.request(client.message("login").put("roomId", room)).get("code").asInt());
            assertEquals(10101, client.login(app.appId(), room, "04%%not-base64%%", "u1", false).get("code").asInt());
            assertEquals(10109, client.login(app.appId(), room, suite.token(app, "someone_else"), "u1", false)
                    .get("code").asInt());
            assertEquals(10004, client.login(123, room, suite.token(app, "u1"), "u1", false).get("code").asInt());
            assertEquals(10203, client.login(app.appId(), room, suite.token(app, "u1"), "bad user", false).get("code").asInt());
            assertTrue(client.request(client.message("heartbeat")).get("ok").asBoolean(), "still connected");

            for (int i = 0; i < 80; i++) {
                client.sendRaw(client.message("heartbeat").toString());
            }
            client.await(m -> m.path("code").asInt() == 10304, Duration.ofSeconds(5));
        }
    }

    @Test
    void tokenRenewalAndTheWarningBeforeExpiry() throws Exception {
        SignalingClient client = SignalingClient.connect(suite.gatewayWs());
        String shortLived = suite.token(app, Map.of("userId", "doctor_7", "effectiveTimeInSeconds", 33));
        assertTrue(client.login(app.appId(), room, shortLived, "doctor_7", false).get("ok").asBoolean());
        JsonNode warning = client.await(m -> "tokenWillExpire".equals(m.path("type").asText()), Duration.ofSeconds(10));
        assertEquals(room, warning.get("roomID").asText());

        JsonNode renewed = client.request(client.message("renewToken").put("token", suite.token(app, "doctor_7")));
        assertTrue(renewed.get("ok").asBoolean());
        assertTrue(renewed.at("/data/tokenExpireTime").asLong() > warning.get("expireTime").asLong());
        assertEquals(10109, client.request(client.message("renewToken").put("token", suite.token(app, "other")))
                .get("code").asInt());
        assertFalse(client.events("kicked").size() > 0);
        client.close();
    }
}
