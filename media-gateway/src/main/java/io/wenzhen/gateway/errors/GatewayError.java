package io.wenzhen.gateway.errors;

/**
 * Errors of the signaling protocol itself (docs/protocol.md, docs/errors.md). Token and room refusals
 * keep their own codes (101xx, 102xx); app refusals use auth-service's (10004, 10005).
 */
public enum GatewayError {
    PROTOCOL_MALFORMED(10301, "the message is not a JSON object with the fields its type needs"),
    UNKNOWN_MESSAGE_TYPE(10302, "unknown message type"),
    MESSAGE_TOO_LARGE(10303, "the message is larger than the gateway accepts"),
    RATE_LIMITED(10304, "too many messages; slow down"),
    NOT_LOGGED_IN(10305, "log into a room first"),
    ALREADY_LOGGED_IN(10306, "this connection is already logged into a room; log out first"),
    RESUME_FAILED(10307, "the session cannot be resumed; log in again"),
    TIMEOUT(10308, "room-service did not answer in time; try again"),
    ORIGIN_NOT_ALLOWED(10310, "this web origin is not allowed for the app"),
    STREAM_NOT_IN_ROOM(10311, "no such stream in your room"),
    SDP_INVALID(10312, "the SDP offer cannot be answered (no fingerprint, no mid, or nothing the SFU can forward)"),
    TRANSPORT_UNSUPPORTED(10314, "transport is rtmp (publish) or flv/rtmp (play), and replaces sdp"),
    CODEC_NOT_PLAYABLE(10315, "FLV and RTMP players need H.264 video; this stream is published in another codec"),
    STREAM_KEY_INVALID(10316, "the stream key is invalid, expired, or its publication or playback has ended"),
    MEDIA_UNSUPPORTED(10317, "RTMP publishing takes H.264 video and AAC audio"),
    PUBLISHER_CONNECTED(10318, "another RTMP connection is already publishing this stream"),
    SESSION_MEDIA_LIMIT(10319, "this session already publishes or plays as many streams as a session may"),
    APP_MEDIA_LIMIT(10320, "the app already has as many streams on this gateway as it may"),
    GATEWAY_BUSY(10321, "the gateway is at its memory budget and takes no new sessions or streams; try again shortly"),
    TOO_MANY_CONNECTIONS(10322, "too many connections from this address, or to this gateway"),
    LOGIN_DEADLINE(10323, "no login within the deadline after connecting"),
    MEDIA_CONNECTION_LOST(10324, "the stream's media connection ended (closed by its peer, or silent for 15 s), and its publication with it; publish again"),
    GATEWAY_DRAINING(10325, "this gateway is stopping and takes no new rooms; connect again to reach another one (the SDKs do)"),
    RELAY_REFUSED(10326, "the connection carries gateway relay credentials that do not verify"),
    RELAY_MISDIRECTED(10327, "a gateway relay meant for another gateway, which no longer has this address"),
    HANDOVER_REFUSED(10328, "the handover ticket does not verify, has expired, or is for another room or user; log in without it"),
    APP_NOT_FOUND(10004, "unknown AppID"),
    APP_DISABLED(10005, "the app is disabled");

    private final int code;
    private final String message;

    GatewayError(int code, String message) {
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
