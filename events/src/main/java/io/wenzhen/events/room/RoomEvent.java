package io.wenzhen.events.room;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The data of every event room-service puts on {@code room-events} (key {@code appId/roomId}); each
 * type fills the fields its schema in docs/events/ names. State events carry {@code seq}: 1, 2, 3 …
 * within one consultation (one life of the room), so a consumer drops repeats and sees gaps.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RoomEvent(long appId, String roomId, String consultationId, Long seq, Member user, String sessionId,
        String gatewayId, String reason, Integer code, Stream stream, Message message, Integer memberCount,
        String commandId, String command, Boolean ok, String error, String errorMessage, Snapshot snapshot, String home) {

    public static final String ROOM_CREATED = "wenzhen.room.room-created.v1";
    public static final String ROOM_CLOSED = "wenzhen.room.room-closed.v1";
    public static final String USER_JOINED = "wenzhen.room.user-joined.v1";
    public static final String USER_LEFT = "wenzhen.room.user-left.v1";
    public static final String USER_KICKED = "wenzhen.room.user-kicked.v1";
    public static final String STREAM_ADDED = "wenzhen.room.stream-added.v1";
    public static final String STREAM_REMOVED = "wenzhen.room.stream-removed.v1";
    public static final String BROADCAST_MESSAGE = "wenzhen.room.broadcast-message.v1";
    public static final String COMMAND_RESULT = "wenzhen.room.command-result.v1";


    public record Member(String userId, String userName) {
    }

    public record Stream(String streamId, String userId, String userName, String extraInfo) {
    }

    public record Message(long messageId, String fromUserId, String fromUserName, String message, long sendTime) {
    }

    /** The room as it stands after a successful login, for the new member's first roomUserUpdate/roomStreamUpdate. */
    public record Snapshot(List<Member> users, List<Stream> streams, long seq) {
    }

    public static RoomEvent state(long appId, String roomId, String consultationId, long seq) {
        return new RoomEvent(appId, roomId, consultationId, seq, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null);
    }

    public RoomEvent withUser(Member member, String session, String gateway) {
        return new RoomEvent(appId, roomId, consultationId, seq, member, session, gateway, reason, code, stream, message,
                memberCount, commandId, command, ok, error, errorMessage, snapshot, home);
    }

    public RoomEvent withReason(String why, Integer errorCode) {
        return new RoomEvent(appId, roomId, consultationId, seq, user, sessionId, gatewayId, why, errorCode, stream,
                message, memberCount, commandId, command, ok, error, errorMessage, snapshot, home);
    }

    public RoomEvent withStream(Stream value) {
        return new RoomEvent(appId, roomId, consultationId, seq, user, sessionId, gatewayId, reason, code, value, message,
                memberCount, commandId, command, ok, error, errorMessage, snapshot, home);
    }

    public RoomEvent withMessage(Message value) {
        return new RoomEvent(appId, roomId, consultationId, seq, user, sessionId, gatewayId, reason, code, stream, value,
                memberCount, commandId, command, ok, error, errorMessage, snapshot, home);
    }

    public RoomEvent withMemberCount(int count) {
        return new RoomEvent(appId, roomId, consultationId, seq, user, sessionId, gatewayId, reason, code, stream, message,
                count, commandId, command, ok, error, errorMessage, snapshot, home);
    }

    /** The same event naming the gateway that is the room's media home (a login refused with ROOM_ELSEWHERE). */
    public RoomEvent withHome(String gateway) {
        return new RoomEvent(appId, roomId, consultationId, seq, user, sessionId, gatewayId, reason, code, stream, message,
                memberCount, commandId, command, ok, error, errorMessage, snapshot, gateway);
    }

    /** A command's answer; no seq (it changes nothing by itself). */
    public static RoomEvent result(RoomCommand command, String consultationId, RoomError failure, String detail,
            Snapshot snapshot) {
        return new RoomEvent(command.appId(), command.roomId(), consultationId, null, null, command.sessionId(),
                command.gatewayId(), null, failure == null ? null : failure.code(), null, null, null, command.commandId(),
                command.kind().name(), failure == null, failure == null ? null : failure.name(),
                failure == null ? null : detail, snapshot, null);
    }
}
