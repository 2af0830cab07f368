package io.wenzhen.token04;

/**
 * The sealed JSON of a Token04: {@code {app_id, user_id, nonce, ctime, expire, payload}}, times in
 * Unix seconds; {@code payload} is itself JSON text (see {@link RoomPrivileges}) or empty.
 */
public record Token04Claims(long appId, String userId, long nonce, long ctime, long expire, String payload) {

    public Token04Claims {
        if (userId == null) {
            throw new IllegalArgumentException("userId is required");
        }
        if (payload == null) {
            payload = "";
        }
    }
}
