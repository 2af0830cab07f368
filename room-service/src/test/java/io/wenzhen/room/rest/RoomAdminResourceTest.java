package io.wenzhen.room.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.wenzhen.events.room.RoomError;
import io.wenzhen.events.room.RoomEvent;
import io.wenzhen.room.messaging.RoomDriverAccess;
import io.wenzhen.testing.RealInfrastructureResource;
import io.wenzhen.testing.TestJwts;

/** The admin API against rooms made through real commands; changes show up as real events. */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
class RoomAdminResourceTest {

    final RoomDriverAccess rooms = new RoomDriverAccess();
    final String admin = TestJwts.withRoles("admin");
    final String hospitalIt = TestJwts.hospitalIt(rooms.appId());

    String room() {
        return "r-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void listsRoomsAndTheirUsersAndStreams() {
        String room = room();
        rooms.login(room, "doctor_7", "s1");
        rooms.login(room, "patient_1", "s2");
        rooms.publish(room, "doctor_7", "s1", "d7");

        given().auth().oauth2(hospitalIt).get("/api/v1/apps/" + rooms.appId() + "/rooms").then().statusCode(200)
                .body("find { it.roomId == '" + room + "' }.memberCount", equalTo(2))
                .body("find { it.roomId == '" + room + "' }.streamCount", equalTo(1));
        given().auth().oauth2(admin).get("/api/v1/apps/" + rooms.appId() + "/rooms/" + room).then().statusCode(200)
                .body("users", hasSize(2)).body("streams[0].id", equalTo("d7"));
        given().auth().oauth2(admin).get("/api/v1/apps/" + rooms.appId() + "/rooms/nope").then().statusCode(404)
                .body("code", equalTo(RoomError.ROOM_NOT_FOUND.code()));
    }

    /** Tenancy: one hospital's IT token reads its own app's rooms and records, never another's. */
    @Test
    void hospitalItReadsOnlyTheAppsItsTokenNames() {
        String room = room();
        rooms.login(room, "doctor_7", "s1");
        String otherHospital = TestJwts.hospitalIt(rooms.appId() + 1);
        given().auth().oauth2(otherHospital).get("/api/v1/apps/" + rooms.appId() + "/rooms").then().statusCode(403)
                .body("code", equalTo(RoomError.APP_NOT_IN_SCOPE.code()));
        given().auth().oauth2(otherHospital).get("/api/v1/apps/" + rooms.appId() + "/rooms/" + room).then().statusCode(403);
        given().auth().oauth2(otherHospital).get("/api/v1/apps/" + rooms.appId() + "/consultations").then().statusCode(403);
        String consultation = given().auth().oauth2(hospitalIt).get("/api/v1/apps/" + rooms.appId() + "/consultations")
                .then().statusCode(200).extract().path("[0].id");
        given().auth().oauth2(hospitalIt).get("/api/v1/consultations/" + consultation).then().statusCode(200);
        given().auth().oauth2(otherHospital).get("/api/v1/consultations/" + consultation).then().statusCode(404)
                .body("code", equalTo(RoomError.CONSULTATION_NOT_FOUND.code()));
        given().auth().oauth2(TestJwts.withRoles("hospital-it")).get("/api/v1/apps/" + rooms.appId() + "/rooms").then()
                .statusCode(403); // a token naming no app reads none
    }

    @Test
    void kicksAUserWhoThenGetsTheAdminCode() {
        String room = room();
        rooms.login(room, "doctor_7", "s1");
        rooms.login(room, "patient_1", "s2");

        given().auth().oauth2(admin).post("/api/v1/apps/" + rooms.appId() + "/rooms/" + room + "/users/patient_1/kick")
                .then().statusCode(204);
        RoomEvent kicked = rooms.await(room, RoomEvent.USER_KICKED, 1);
        assertEquals("patient_1", kicked.user().userId());
        assertEquals(RoomError.KICKED_BY_ADMIN.code(), kicked.code());

        given().auth().oauth2(admin).post("/api/v1/apps/" + rooms.appId() + "/rooms/" + room + "/users/patient_1/kick")
                .then().statusCode(404).body("error", equalTo("NOT_IN_ROOM"));
        given().auth().oauth2(hospitalIt).post("/api/v1/apps/" + rooms.appId() + "/rooms/" + room + "/users/doctor_7/kick")
                .then().statusCode(403);
        given().post("/api/v1/apps/" + rooms.appId() + "/rooms/" + room + "/users/doctor_7/kick").then().statusCode(401);
    }

    @Test
    void messagesThenClosesARoomAndTheRecordTellsTheStory() {
        String room = room();
        RoomEvent first = rooms.login(room, "doctor_7", "s1");
        rooms.login(room, "patient_1", "s2");
        rooms.publish(room, "patient_1", "s2", "p1");

        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("message", "会诊将在5分钟后结束"))
                .post("/api/v1/apps/" + rooms.appId() + "/rooms/" + room + "/messages").then().statusCode(200);
        RoomEvent.Message posted = rooms.await(room, RoomEvent.BROADCAST_MESSAGE, 1).message();
        assertEquals("会诊将在5分钟后结束", posted.message());
        assertEquals("@system", posted.fromUserId());
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("message", "x".repeat(1025)))
                .post("/api/v1/apps/" + rooms.appId() + "/rooms/" + room + "/messages").then().statusCode(400)
                .body("code", equalTo(RoomError.MESSAGE_TOO_LONG.code()));

        given().auth().oauth2(admin).post("/api/v1/apps/" + rooms.appId() + "/rooms/" + room + "/close").then().statusCode(204);
        assertEquals("closed-by-admin", rooms.await(room, RoomEvent.ROOM_CLOSED, 1).reason());
        List<String> types = rooms.types(room);
        assertEquals(List.of(RoomEvent.USER_KICKED, RoomEvent.STREAM_REMOVED, RoomEvent.USER_KICKED, RoomEvent.ROOM_CLOSED),
                types.subList(types.size() - 4, types.size()));

        String consultation = first.consultationId();
        given().auth().oauth2(hospitalIt).get("/api/v1/consultations/" + consultation).then().statusCode(200)
                .body("consultation.endReason", equalTo("closed-by-admin"))
                .body("participants", hasSize(2))
                .body("participants.find { it.userId == 'patient_1' }.leftReason", equalTo("room-closed"))
                .body("streams[0].streamId", equalTo("p1"))
                .body("streams[0].endReason", equalTo("room-closed"));
        given().auth().oauth2(hospitalIt).get("/api/v1/apps/" + rooms.appId() + "/consultations?roomId=" + room)
                .then().statusCode(200).body("[0].id", equalTo(consultation));
        given().auth().oauth2(admin).get("/api/v1/consultations/" + UUID.randomUUID()).then().statusCode(404);
        given().auth().oauth2(TestJwts.withRoles("service")).get("/api/v1/consultations/" + consultation).then().statusCode(403);
    }
}
