package io.wenzhen.room.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.cloudevents.CloudEvent;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.wenzhen.events.AppUpdated;
import io.wenzhen.events.Topics;
import io.wenzhen.events.WenzhenEvents;
import io.wenzhen.events.room.RoomCommand;
import io.wenzhen.events.room.RoomError;
import io.wenzhen.events.room.RoomEvent;
import io.wenzhen.events.room.RoomKeys;
import io.wenzhen.testing.RealInfrastructure;
import io.wenzhen.testing.RealInfrastructureResource;

/** The rules of rooms, through room-commands and room-events on the real broker and database. */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
class RoomRulesTest {

    final RoomDriver rooms = new RoomDriver();

    static String room() {
        return "consult-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void firstLoginOpensTheRoomAndOthersSeeEachOther() {
        String room = room();
        RoomEvent first = rooms.login(room, "doctor_7", "s1");
        RoomEvent second = rooms.login(room, "patient_1", "s2");

        assertTrue(first.ok());
        assertEquals(List.of("doctor_7"), first.snapshot().users().stream().map(RoomEvent.Member::userId).toList());
        assertEquals(List.of("doctor_7", "patient_1"), second.snapshot().users().stream().map(RoomEvent.Member::userId).toList());
        assertEquals(List.of(RoomEvent.ROOM_CREATED, RoomEvent.USER_JOINED, RoomEvent.USER_JOINED), rooms.types(room));
        List<CloudEvent> events = rooms.stateEvents(room);
        assertEquals(List.of(1L, 2L, 3L), events.stream().map(e -> RoomDriver.data(e).seq()).toList());
        assertEquals(2, RoomDriver.data(events.get(2)).memberCount());
        assertEquals(first.consultationId(), second.consultationId());
    }

    @Test
    void aSecondLoginOfTheSameUserKicksTheFirstSession() {
        String room = room();
        String other = room();
        rooms.login(room, "doctor_7", "s1");
        rooms.login(room, "patient_1", "s2");
        rooms.publish(room, "patient_1", "s2", "patient_1_main");

        assertTrue(rooms.login(room, "patient_1", "s3").ok(), "same room, new session");
        List<CloudEvent> events = rooms.stateEvents(room);
        RoomEvent kicked = RoomDriver.data(events.get(events.size() - 2));
        assertEquals(RoomEvent.USER_KICKED, events.get(events.size() - 2).getType());
        assertEquals("s2", kicked.sessionId());
        assertEquals(RoomError.KICKED_DUPLICATE_LOGIN.code(), kicked.code());
        assertEquals(RoomEvent.STREAM_REMOVED, events.get(events.size() - 3).getType(), "the old session's stream ends");
        assertEquals("s3", RoomDriver.data(events.get(events.size() - 1)).sessionId());

        assertTrue(rooms.login(other, "doctor_7", "s4").ok(), "another room of the same app");
        // the kick is on the first room's partition, the login's result on the other's: wait for it
        RoomDriver.EVENTS.await(r -> r.key().equals(RoomKeys.key(rooms.appId, room))
                && RoomDriver.type(r).equals(RoomEvent.USER_KICKED) && "s1".equals(RoomDriver.data(r).sessionId()), 1,
                Duration.ofSeconds(10));
        List<String> types = rooms.types(room);
        assertEquals(RoomEvent.USER_KICKED, types.get(types.size() - 1), "the doctor is kicked from the first room");
        assertEquals(2, rooms.stateEvents(other).size(), "created + joined in the other room");
    }

    @Test
    void refusesLoginsTheTokenOrTheRulesDoNotAllow() {
        String room = room();
        RoomCommand login = rooms.command(RoomCommand.Kind.LOGIN, room, "patient_1", "s1");
        RoomEvent mismatch = rooms.send(new RoomCommand(login.commandId(), login.kind(), login.appId(), room, "s1", "gw",
                "patient_1", "p", null, null, null, null, RoomDriver.grant("patient_2")));
        assertEquals(RoomError.USER_ID_MISMATCH.name(), mismatch.error());
        assertEquals(10205, mismatch.code());

        RoomEvent denied = rooms.send(new RoomCommand(UUID.randomUUID().toString(), RoomCommand.Kind.LOGIN, rooms.appId,
                room, "s1", "gw", "patient_1", "p", null, null, null, null,
                new RoomCommand.Grant("patient_1", true, false, "another-room", List.of())));
        assertEquals(RoomError.LOGIN_DENIED.name(), denied.error());

        RoomEvent badId = rooms.login(room, "has space", "s1");
        assertEquals(RoomError.USER_ID_INVALID.name(), badId.error());
        assertTrue(rooms.types(room).isEmpty(), "a refusal changes nothing");
    }

    @Test
    void enforcesTheMemberLimitOfALoginWhoseTokenIsForTheRoom() {
        String room = room();
        RoomCommand first = rooms.command(RoomCommand.Kind.LOGIN, room, "u1", "s1");
        rooms.send(new RoomCommand(first.commandId(), first.kind(), first.appId(), room, "s1", first.gatewayId(), "u1", "u1", 2, null,
                null, null, new RoomCommand.Grant("u1", true, true, room, List.of())));
        assertTrue(rooms.login(room, "u2", "s2").ok());
        RoomEvent full = rooms.login(room, "u3", "s3");
        assertFalse(full.ok());
        assertEquals(RoomError.ROOM_MEMBER_LIMIT.code(), full.code());
    }

    /** Squatting: the first to arrive with a basic token (any room) asks for a room of one; the doctor still gets in. */
    @Test
    void aBasicTokenCannotShapeTheRoom() {
        String room = room();
        RoomCommand first = rooms.command(RoomCommand.Kind.LOGIN, room, "squatter", "s1");
        assertTrue(rooms.send(new RoomCommand(first.commandId(), first.kind(), first.appId(), room, "s1", first.gatewayId(), "squatter",
                "squatter", 1, null, null, null, first.grant())).ok());
        assertTrue(rooms.login(room, "doctor_7", "s2").ok(), "maxMemberCount from a basic token is ignored");
        assertTrue(rooms.login(room, "patient_1", "s3").ok());

        String small = room();
        RoomCommand host = rooms.command(RoomCommand.Kind.LOGIN, small, "host", "s4");
        rooms.send(new RoomCommand(host.commandId(), host.kind(), host.appId(), small, "s4", host.gatewayId(), "host", "host", 1, null,
                null, null, new RoomCommand.Grant("host", true, true, small, List.of())));
        assertTrue(rooms.login(small, "guest", "s5").ok(), "no room is made smaller than two");
        assertEquals(RoomError.ROOM_MEMBER_LIMIT.code(), rooms.login(small, "third", "s6").code());
    }

    @Test
    void enforcesTheAppsRoomLimitFromTheAppsTopic() throws Exception {
        RoomDriver limited = new RoomDriver();
        AppUpdated app = new AppUpdated(limited.appId, "limited", "ACTIVE", List.of(), new AppUpdated.Limits(1, 10), 1,
                "created", new AppUpdated.Secrets("v1.AAAA", null, null), Instant.now());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                RealInfrastructure.get().kafkaBootstrap()), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.APPS, Long.toString(limited.appId), WenzhenEvents.serialize(
                    WenzhenEvents.create(AppUpdated.TYPE, "/auth-service", Long.toString(limited.appId), app)))).get();
        }
        Thread.sleep(1500); // the apps topic is read asynchronously
        assertTrue(limited.login(room(), "u1", "s1").ok());
        RoomEvent second = limited.login(room(), "u2", "s2");
        assertEquals(RoomError.ROOM_LIMIT_REACHED.name(), second.error());
    }

    @Test
    void streamIdsAreCheckedAndUniqueWithinTheApp() {
        String room = room();
        rooms.login(room, "doctor_7", "s1");
        rooms.login(room, "patient_1", "s2");

        assertEquals(RoomError.STREAM_ID_INVALID.name(), rooms.publish(room, "doctor_7", "s1", "a".repeat(257)).error());
        assertEquals(RoomError.STREAM_ID_INVALID.name(), rooms.publish(room, "doctor_7", "s1", "bad.id").error());
        assertTrue(rooms.publish(room, "doctor_7", "s1", "a".repeat(256)).ok(), "256 bytes is allowed");
        assertTrue(rooms.publish(room, "doctor_7", "s1", "doctor_7_main").ok());
        assertTrue(rooms.publish(room, "doctor_7", "s1", "doctor_7_main").ok(), "the same publisher again is fine");
        RoomEvent taken = rooms.publish(room, "patient_1", "s2", "doctor_7_main");
        assertEquals(RoomError.STREAM_ID_IN_USE.name(), taken.error());
        assertEquals(10209, taken.code());
        assertEquals(RoomError.NOT_IN_ROOM.name(), rooms.publish(room, "nobody", "s9", "x1").error());

        RoomCommand p = rooms.command(RoomCommand.Kind.PUBLISH, room, "patient_1", "s2");
        RoomEvent noPrivilege = rooms.send(new RoomCommand(p.commandId(), p.kind(), p.appId(), room, "s2", "gw", "patient_1",
                null, null, "p1", null, null, new RoomCommand.Grant("patient_1", true, false, "", List.of())));
        assertEquals(RoomError.PUBLISH_DENIED.name(), noPrivilege.error());
        RoomEvent notListed = rooms.send(new RoomCommand(UUID.randomUUID().toString(), p.kind(), p.appId(), room, "s2", "gw",
                "patient_1", null, null, "p2", null, null, new RoomCommand.Grant("patient_1", true, true, "", List.of("p1"))));
        assertEquals(RoomError.PUBLISH_DENIED.name(), notListed.error());

        RoomEvent added = RoomDriver.data(rooms.stateEvents(room).stream()
                .filter(e -> e.getType().equals(RoomEvent.STREAM_ADDED)).reduce((a, b) -> b).orElseThrow());
        assertEquals("doctor_7_main", added.stream().streamId());
        assertEquals("{\"camera\":\"front\"}", added.stream().extraInfo());
    }

    @Test
    void theLastLogoutClosesTheRoomAndTheRecordKeepsEverything() {
        String room = room();
        rooms.login(room, "doctor_7", "s1");
        rooms.publish(room, "doctor_7", "s1", "d7");
        rooms.login(room, "patient_1", "s2");
        RoomEvent message = rooms.send(new RoomCommand(UUID.randomUUID().toString(), RoomCommand.Kind.BROADCAST, rooms.appId,
                room, "s2", "gw", "patient_1", null, null, null, null, "请问医生，我可以说话了吗", null));
        assertTrue(message.ok());
        assertTrue(rooms.send(rooms.command(RoomCommand.Kind.UNPUBLISH, room, "doctor_7", "s1")).ok() == false,
                "unpublish names the stream");
        assertTrue(rooms.send(rooms.command(RoomCommand.Kind.LOGOUT, room, "patient_1", "s2")).ok());
        assertTrue(rooms.send(rooms.command(RoomCommand.Kind.SESSION_EXPIRED, room, "doctor_7", "s1")).ok());

        assertEquals(List.of(RoomEvent.ROOM_CREATED, RoomEvent.USER_JOINED, RoomEvent.STREAM_ADDED, RoomEvent.USER_JOINED,
                RoomEvent.BROADCAST_MESSAGE, RoomEvent.USER_LEFT, RoomEvent.STREAM_REMOVED, RoomEvent.USER_LEFT,
                RoomEvent.ROOM_CLOSED), rooms.types(room));
        List<CloudEvent> events = rooms.stateEvents(room);
        assertEquals(LongStream.rangeClosed(1, 9).boxed().toList(), events.stream().map(e -> RoomDriver.data(e).seq()).toList());
        assertEquals("请问医生，我可以说话了吗", RoomDriver.data(events.get(4)).message().message());
        RoomEvent expired = RoomDriver.data(events.get(7));
        assertEquals("session-expired", expired.reason());
        assertEquals(RoomError.SESSION_EXPIRED.code(), expired.code());
        assertEquals(0, expired.memberCount());
        assertEquals("session-expired", RoomDriver.data(events.get(6)).reason());

        assertTrue(rooms.login(room, "doctor_7", "s5").ok());
        assertFalse(rooms.login(room, "doctor_7", "s5").consultationId().equals(RoomDriver.data(events.get(0)).consultationId()),
                "a new consultation after the room closed");
    }

    @Test
    void aRedeliveredCommandIsAppliedOnce() {
        String room = room();
        RoomCommand login = rooms.command(RoomCommand.Kind.LOGIN, room, "u1", "s1");
        rooms.send(login);
        rooms.send(login);
        assertEquals(2, rooms.types(room).size(), "created + joined, once");
        assertEquals(1, RoomDriver.EVENTS.await(r -> RoomDriver.type(r).equals(RoomEvent.COMMAND_RESULT)
                && RoomDriver.data(r).commandId().equals(login.commandId()), 1, Duration.ofSeconds(5)).size());
    }

    @Test
    void aBroadcastIsLimitedTo1024Bytes() {
        String room = room();
        rooms.login(room, "u1", "s1");
        RoomEvent tooLong = rooms.send(new RoomCommand(UUID.randomUUID().toString(), RoomCommand.Kind.BROADCAST, rooms.appId,
                room, "s1", "gw", "u1", null, null, null, null, "字".repeat(342), null));
        assertEquals(RoomError.MESSAGE_TOO_LONG.name(), tooLong.error());
        assertNull(tooLong.snapshot());
    }

    /** A room's home (docs/rooms.md): the first gateway to ask keeps it; another is told where it is; a lost home moves. */
    @Test
    void aRoomLivesOnOneGatewayAndMovesOnlyWhenItsHomeIsLost() {
        String room = room();
        assertTrue(rooms.send(at(rooms.command(RoomCommand.Kind.LOGIN, room, "patient_1", "s1"), "gw-a", null)).ok(),
                "no heartbeat read here: the asking gateway keeps the room");
        assertTrue(rooms.publish(room, "patient_1", "s1", "patient_cam").ok());
        RoomEvent elsewhere = rooms.send(at(rooms.command(RoomCommand.Kind.LOGIN, room, "doctor_7", "s2"), "gw-b", null));
        assertFalse(elsewhere.ok());
        assertEquals(RoomError.ROOM_ELSEWHERE.name(), elsewhere.error());
        assertEquals("gw-a", elsewhere.home(), "the home is named");
        assertEquals(1, rooms.types(room).stream().filter(RoomEvent.USER_JOINED::equals).count(),
                "nobody joined through the other gateway");

        // gw-b cannot reach gw-a: the room moves to gw-b, gw-a's member leaves, the consultation goes on
        RoomEvent moved = rooms.send(at(rooms.command(RoomCommand.Kind.LOGIN, room, "doctor_7", "s2"), "gw-b", "gw-a"));
        assertTrue(moved.ok(), moved.toString());
        assertEquals(List.of("doctor_7"), moved.snapshot().users().stream().map(RoomEvent.Member::userId).toList());
        assertEquals(List.of(RoomEvent.ROOM_CREATED, RoomEvent.USER_JOINED, RoomEvent.USER_LEFT, RoomEvent.USER_JOINED),
                rooms.types(room).stream().filter(t -> !t.equals(RoomEvent.STREAM_ADDED) && !t.equals(RoomEvent.STREAM_REMOVED))
                        .toList(), "the same consultation: no room-closed");
        assertTrue(rooms.types(room).contains(RoomEvent.STREAM_REMOVED), "the lost home's streams ended");
        RoomEvent again = rooms.send(at(rooms.command(RoomCommand.Kind.LOGIN, room, "patient_1", "s3"), "gw-a", null));
        assertEquals("gw-b", again.home(), "sticky at its new home, even for the old one");
        // a report naming a gateway that is not the home changes nothing
        RoomEvent stale = rooms.send(at(rooms.command(RoomCommand.Kind.LOGIN, room, "patient_1", "s3"), "gw-c", "gw-a"));
        assertEquals("gw-b", stale.home());
    }

    /**
     * A draining home moves its room (docs/rooms.md): another gateway becomes the home, the members stay, and each
     * member's session hands over to that gateway without anyone hearing of a leave or a join.
     */
    @Test
    void aDrainingHomeMovesItsRoomAndItsMembersHandOverWithoutLeavingOrJoining() throws Exception {
        String room = room();
        String draining = "gw-draining-" + room;
        String taking = "gw-taking-" + room;
        assertTrue(rooms.send(at(rooms.command(RoomCommand.Kind.LOGIN, room, "patient_1", "s1"), draining, null)).ok());
        assertTrue(rooms.publish(room, "patient_1", "s1", "patient_cam").ok());
        assertTrue(rooms.send(at(rooms.command(RoomCommand.Kind.LOGIN, room, "doctor_7", "s2"), draining, null)).ok());
        List<String> before = rooms.types(room);

        RoomEvent moved = null;
        for (int i = 0; i < 40 && (moved == null || !moved.ok()); i++) {
            rooms.heartbeat(taking, List.of());
            moved = rooms.send(move(room, draining));
            if (!moved.ok()) {
                assertEquals(RoomError.NO_OTHER_GATEWAY.name(), moved.error(), "until room-service has read the heartbeat");
                Thread.sleep(250);
            }
        }
        assertTrue(moved.ok(), moved.toString());
        assertEquals(taking, moved.home(), "the only other gateway");
        assertEquals(before, rooms.types(room), "a move is no event: the members stay");
        RoomEvent elsewhere = rooms.send(at(rooms.command(RoomCommand.Kind.LOGIN, room, "nurse_2", "s9"), draining, null));
        assertEquals(taking, elsewhere.home(), "new logins go to the new home, even through the draining one");

        RoomEvent handed = rooms.send(at(rooms.command(RoomCommand.Kind.LOGIN, room, "patient_1", "s3"), taking, null)
                .withHandover("s1"));
        assertTrue(handed.ok(), handed.toString());
        assertEquals(List.of("doctor_7", "patient_1"), handed.snapshot().users().stream().map(RoomEvent.Member::userId).toList(),
                "both members; the one handed over counts as joined on its new gateway now");
        assertEquals(List.of("patient_cam"), handed.snapshot().streams().stream().map(RoomEvent.Stream::streamId).toList());
        // the stream is the new session's now: publishing it there again changes nothing; the old session is no one
        assertTrue(rooms.publish(room, "patient_1", "s3", "patient_cam").ok());
        assertTrue(rooms.send(at(rooms.command(RoomCommand.Kind.LOGOUT, room, "patient_1", "s1"), draining, null)).ok());
        assertEquals(before, rooms.types(room), "no leave, no join, no stream removed or added");

        // a handover that names a session which is not the member's is an ordinary login: the member is replaced
        RoomEvent stale = rooms.send(at(rooms.command(RoomCommand.Kind.LOGIN, room, "doctor_7", "s4"), taking, null)
                .withHandover("s-unknown"));
        assertTrue(stale.ok());
        assertTrue(rooms.types(room).contains(RoomEvent.USER_KICKED), "the duplicate login's kick");
    }

    /** A draining gateway's MOVE of a room: no session, user or grant. */
    private RoomCommand move(String room, String gateway) {
        return new RoomCommand(UUID.randomUUID().toString(), RoomCommand.Kind.MOVE, rooms.appId, room, null, gateway, null, null,
                null, null, null, null, null);
    }

    private RoomCommand at(RoomCommand c, String gateway, String unreachableHome) {
        return new RoomCommand(c.commandId(), c.kind(), c.appId(), c.roomId(), c.sessionId(), gateway, c.userId(), c.userName(),
                c.maxMemberCount(), c.streamId(), c.extraInfo(), c.message(), c.grant(), unreachableHome, null);
    }
}
