package io.wenzhen.events.room;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** The syntax of IDs, as ZEGO defines them: checked by the gateway (early) and room-service (authoritative). */
public final class RoomIds {

    private static final Pattern ID_CHARS = Pattern.compile("[0-9A-Za-z~!@#$%^&*()_+=\\-`;',.<>/\\\\]+");
    private static final Pattern STREAM_CHARS = Pattern.compile("[0-9A-Za-z_-]+");

    private RoomIds() {
    }

    public static boolean validUserId(String id) {
        return id != null && id.length() <= 64 && ID_CHARS.matcher(id).matches();
    }

    public static boolean validRoomId(String id) {
        return id != null && id.length() <= 128 && ID_CHARS.matcher(id).matches();
    }

    /** At most 256 bytes of {@code [0-9A-Za-z_-]} (ASCII only, so bytes = characters). */
    public static boolean validStreamId(String id) {
        return id != null && id.getBytes(StandardCharsets.UTF_8).length <= 256 && STREAM_CHARS.matcher(id).matches();
    }

    public static boolean fitsBytes(String text, int maxBytes) {
        return text == null || text.getBytes(StandardCharsets.UTF_8).length <= maxBytes;
    }
}
