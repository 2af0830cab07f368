package io.wenzhen.gateway.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.wenzhen.events.room.RoomEvent;

class RoomViewTest {

    static RoomEvent event(String consultation, long seq) {
        return RoomEvent.state(1, "r", consultation, seq);
    }

    final RoomEvent.Member doctor = new RoomEvent.Member("doctor", "D");
    final RoomEvent.Member patient = new RoomEvent.Member("patient", "P");

    @Test
    void dropsRepeatsAndWhatTheSnapshotAlreadyHeld() {
        RoomView view = new RoomView();
        view.adopt("c1", new RoomEvent.Snapshot(List.of(doctor), List.of(), 2));

        assertFalse(view.apply(RoomEvent.USER_JOINED, event("c1", 2).withUser(doctor, "s1", "g")), "in the snapshot");
        assertTrue(view.apply(RoomEvent.USER_JOINED, event("c1", 3).withUser(patient, "s2", "g")));
        assertFalse(view.apply(RoomEvent.USER_JOINED, event("c1", 3).withUser(patient, "s2", "g")), "a repeat");
        assertEquals(List.of(doctor, patient), view.users());

        RoomEvent.Stream stream = new RoomEvent.Stream("p1", "patient", "P", "");
        assertTrue(view.apply(RoomEvent.STREAM_ADDED, event("c1", 4).withStream(stream)));
        assertEquals(stream, view.stream("p1"));
        assertTrue(view.apply(RoomEvent.STREAM_REMOVED, event("c1", 5).withStream(stream)));
        assertEquals(null, view.stream("p1"));
    }

    @Test
    void aNewConsultationStartsAfresh() {
        RoomView view = new RoomView();
        view.adopt("c1", new RoomEvent.Snapshot(List.of(doctor), List.of(), 7));
        assertFalse(view.apply(RoomEvent.USER_JOINED, event("c2", 2).withUser(patient, "s", "g")),
                "the middle of an unknown consultation");
        assertTrue(view.apply(RoomEvent.ROOM_CREATED, event("c2", 1)));
        assertTrue(view.apply(RoomEvent.USER_JOINED, event("c2", 2).withUser(patient, "s", "g")));
        assertEquals(List.of(patient), view.users());
    }
}
