package io.wenzhen.room.service;

import java.util.function.UnaryOperator;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.wenzhen.events.Topics;
import io.wenzhen.events.WenzhenEvents;
import io.wenzhen.events.room.RoomCommand;
import io.wenzhen.events.room.RoomError;
import io.wenzhen.events.room.RoomEvent;
import io.wenzhen.events.room.RoomKeys;
import io.wenzhen.outbox.OutboxEvent;
import io.wenzhen.room.model.Room;

/**
 * Writes room events into the outbox of the current transaction. State events take the room's next
 * sequence number (the room row is locked by the caller), and an id built from it, so a re-sent event
 * is recognisably the same one.
 */
@ApplicationScoped
public class RoomEventWriter {

    static final String SOURCE = "/room-service";

    /** A state event: {@code data} is completed with the room's identity and next seq. */
    public Uni<Void> emit(Room room, String type, UnaryOperator<RoomEvent> data) {
        long seq = room.nextSeq();
        RoomEvent event = data.apply(RoomEvent.state(room.appId, room.id, room.consultationId.toString(), seq));
        return write(room.consultationId + ":" + seq, type, RoomKeys.key(room.appId, room.id), event);
    }

    /** A command's answer, with the command's id as the event id. */
    public Uni<Void> result(RoomCommand command, Room room, RoomError failure, String detail, RoomEvent.Snapshot snapshot) {
        RoomEvent event = RoomEvent.result(command, room == null ? null : room.consultationId.toString(), failure,
                detail == null && failure != null ? failure.message() : detail, snapshot);
        return write("result:" + command.commandId(), RoomEvent.COMMAND_RESULT, command.key(), event);
    }

    /** A login's answer when the room's media lives on another gateway: refused with ROOM_ELSEWHERE, naming the home. */
    public Uni<Void> elsewhere(RoomCommand command, String home) {
        RoomEvent event = RoomEvent.result(command, null, RoomError.ROOM_ELSEWHERE, RoomError.ROOM_ELSEWHERE.message(), null)
                .withHome(home);
        return write("result:" + command.commandId(), RoomEvent.COMMAND_RESULT, command.key(), event);
    }

    /** A move's answer: the room's new home. */
    public Uni<Void> moved(RoomCommand command, Room room, String home) {
        RoomEvent event = RoomEvent.result(command, room.consultationId.toString(), null, null, null).withHome(home);
        return write("result:" + command.commandId(), RoomEvent.COMMAND_RESULT, command.key(), event);
    }

    private static Uni<Void> write(String id, String type, String key, RoomEvent event) {
        byte[] payload = WenzhenEvents.serialize(WenzhenEvents.create(id, type, SOURCE, key, event));
        return OutboxEvent.append(Topics.ROOM_EVENTS, key, payload).replaceWithVoid();
    }
}
