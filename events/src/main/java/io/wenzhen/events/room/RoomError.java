package io.wenzhen.events.room;

/**
 * Why room-service refused a command or ended a session; codes documented in docs/errors.md and seen
 * by clients in loginRoom rejections, publisherStateUpdate and roomStateUpdate.
 */
public enum RoomError {
    ROOM_MEMBER_LIMIT(10201, "the room is full"),
    ROOM_LIMIT_REACHED(10202, "the app has as many rooms as it may"),
    USER_ID_INVALID(10203, "a userID is 1 to 64 bytes of letters, digits and ~!@#$%^&*()_+=-`;',.<>/\\"),
    ROOM_ID_INVALID(10204, "a roomID is 1 to 128 bytes of letters, digits and ~!@#$%^&*()_+=-`;',.<>/\\"),
    USER_ID_MISMATCH(10205, "the userID is not the token's"),
    KICKED_DUPLICATE_LOGIN(10206, "the same userID logged in elsewhere"),
    KICKED_BY_ADMIN(10207, "removed by an administrator"),
    STREAM_ID_INVALID(10208, "a streamID is 1 to 256 bytes of letters, digits, '-' and '_'"),
    STREAM_ID_IN_USE(10209, "another publisher is live with this streamID"),
    NOT_IN_ROOM(10210, "the session is not logged into this room"),
    STREAM_NOT_FOUND(10211, "no such stream in the room"),
    PUBLISH_DENIED(10212, "the token does not grant publishing this stream"),
    ROOM_CLOSED(10213, "the room was closed by an administrator"),
    SESSION_EXPIRED(10214, "the connection stayed away longer than the resume grace period"),
    MESSAGE_TOO_LONG(10215, "a broadcast message is at most 1024 bytes"),
    LOGIN_DENIED(10216, "the token does not grant logging into this room"),
    EXTRA_INFO_TOO_LONG(10217, "a stream's extraInfo is at most 1024 bytes"),
    ROOM_NOT_FOUND(10218, "no such room is open"),
    CONSULTATION_NOT_FOUND(10219, "no such consultation"),
    APP_NOT_IN_SCOPE(10220, "the token does not cover this app (its appIds claim)"),
    /**
     * Not a client's error: the room's media lives on another gateway (its home), named in the result's
     * {@code home}; the gateway that asked relays the client's signaling there.
     */
    ROOM_ELSEWHERE(10221, "the room's media is on another gateway"),
    /** Not a client's error: a draining gateway asked to move a room, and no other gateway can take it now. */
    NO_OTHER_GATEWAY(10222, "no other gateway can take the room"),
    TOKEN_EXPIRED(10106, "the token has expired");

    private final int code;
    private final String message;

    RoomError(int code, String message) {
        this.code = code;
        this.message = message;
    }

    public int code() {
        return code;
    }

    public String message() {
        return message;
    }
}
