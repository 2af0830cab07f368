package io.wenzhen.events.room;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A request for a room, sent by a gateway on {@code room-commands} (key {@code appId/roomId}) as a
 * CloudEvent of type {@value #TYPE}; room-service answers with a {@code command-result} event on
 * {@code room-events} carrying the same {@code commandId}. Schema: docs/events/wenzhen.room.command.v1.schema.json.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RoomCommand(String commandId, Kind kind, long appId, String roomId, String sessionId, String gatewayId,
        String userId, String userName, Integer maxMemberCount, String streamId, String extraInfo, String message,
        Grant grant, String unreachableHome, String handoverSession) {

    public static final String TYPE = "wenzhen.room.command.v1";

    /** The canonical constructor is the one JSON is read with (the shorter one below is for senders). */
    @JsonCreator
    public RoomCommand {
    }

    /** A command as every kind but a login after a failed relay or a handover is sent. */
    public RoomCommand(String commandId, Kind kind, long appId, String roomId, String sessionId, String gatewayId,
            String userId, String userName, Integer maxMemberCount, String streamId, String extraInfo, String message,
            Grant grant) {
        this(commandId, kind, appId, roomId, sessionId, gatewayId, userId, userName, maxMemberCount, streamId, extraInfo,
                message, grant, null, null);
    }

    /**
     * The same login, sent again by a gateway that could not reach the room's media home it was told of:
     * room-service then moves the room (a new home, the old home's members removed) instead of naming it again.
     */
    public RoomCommand withUnreachableHome(String commandIdAgain, String home) {
        return new RoomCommand(commandIdAgain, kind, appId, roomId, sessionId, gatewayId, userId, userName, maxMemberCount,
                streamId, extraInfo, message, grant, home, handoverSession);
    }

    /**
     * A login that continues the user's session {@code previousSession} of this room on the asking gateway,
     * while that session still runs on the gateway the room is moving away from (a drain): the member and
     * its streams pass to the new session, and the room hears of no leave or join.
     */
    public RoomCommand withHandover(String previousSession) {
        return new RoomCommand(commandId, kind, appId, roomId, sessionId, gatewayId, userId, userName, maxMemberCount,
                streamId, extraInfo, message, grant, unreachableHome, previousSession);
    }

    public enum Kind {
        /** Join the room (creating it when absent); needs userId, userName, sessionId, grant. */
        LOGIN,
        /** Leave the room; the session's streams end with it. */
        LOGOUT,
        /** The gateway gave up on a dropped connection after its grace period: a logout with reason session-expired. */
        SESSION_EXPIRED,
        /** The gateway ended the session because its token expired. */
        TOKEN_EXPIRED,
        /** Start a stream: streamId, extraInfo, grant. */
        PUBLISH,
        UNPUBLISH,
        /** A room text message: message. */
        BROADCAST,
        /**
         * The asking gateway is draining and moves the room's calls: room-service gives the room another home
         * (named in the result's home) and keeps its members, who then log in there by handover.
         */
        MOVE
    }

    /**
     * What the gateway read from the user's verified token, so room-service enforces the same rules:
     * the token's userID, whether it grants login and publish, its room and its streamID list (empty: any).
     */
    public record Grant(String tokenUserId, boolean loginRoom, boolean publishStream, String roomId,
            List<String> streamIds) {

        public boolean allowsRoom(String room) {
            return roomId == null || roomId.isEmpty() || roomId.equals(room);
        }

        public boolean allowsStream(String stream) {
            return streamIds == null || streamIds.isEmpty() || streamIds.contains(stream);
        }
    }

    /** The Kafka key: a room's commands share a partition, so one room-service replica handles them in order. */
    public String key() {
        return RoomKeys.key(appId, roomId);
    }
}
