package io.wenzhen.token04;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a token's payload allows, in ZEGO's privilege format:
 * {@code {"room_id":"r1","privilege":{"1":1,"2":0},"stream_id_list":["s1"]}} — key 1 is "log into the
 * room", key 2 is "publish", 1 allows and 0 denies.
 *
 * <p>Semantics (docs/token.md): an empty payload is ZEGO's "basic" token and allows both; a payload
 * that leaves a privilege out denies it; an empty {@code room_id} allows any room; an empty or null
 * {@code stream_id_list} allows any streamID.
 */
public record RoomPrivileges(String roomId, boolean loginRoom, boolean publishStream, List<String> streamIds) {

    /** The basic token's privileges: any room, any stream. */
    public static final RoomPrivileges UNRESTRICTED = new RoomPrivileges("", true, true, List.of());

    private static final ObjectMapper JSON = new ObjectMapper();

    public RoomPrivileges {
        roomId = roomId == null ? "" : roomId;
        streamIds = streamIds == null ? List.of() : List.copyOf(streamIds);
    }

    public boolean allowsRoom(String room) {
        return roomId.isEmpty() || roomId.equals(room);
    }

    public boolean allowsStream(String streamId) {
        return streamIds.isEmpty() || streamIds.contains(streamId);
    }

    /** Parses a token payload; throws {@link TokenException} (TOKEN_PAYLOAD_INVALID) when it is not the format above. */
    public static RoomPrivileges parse(String payload) {
        if (payload == null || payload.isEmpty()) {
            return UNRESTRICTED;
        }
        JsonNode root;
        try {
            root = JSON.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new TokenException(TokenError.TOKEN_PAYLOAD_INVALID, "payload is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new TokenException(TokenError.TOKEN_PAYLOAD_INVALID, "payload is not a JSON object");
        }
        JsonNode room = root.path("room_id");
        if (!room.isMissingNode() && !room.isNull() && !room.isTextual()) {
            throw new TokenException(TokenError.TOKEN_PAYLOAD_INVALID, "room_id is not a string");
        }
        JsonNode privilege = root.path("privilege");
        if (!privilege.isMissingNode() && !privilege.isNull() && !privilege.isObject()) {
            throw new TokenException(TokenError.TOKEN_PAYLOAD_INVALID, "privilege is not an object");
        }
        JsonNode streams = root.path("stream_id_list");
        List<String> streamIds = List.of();
        if (!streams.isMissingNode() && !streams.isNull()) {
            if (!streams.isArray()) {
                throw new TokenException(TokenError.TOKEN_PAYLOAD_INVALID, "stream_id_list is not an array");
            }
            ArrayList<String> ids = new ArrayList<>();
            for (JsonNode id : streams) {
                if (!id.isTextual()) {
                    throw new TokenException(TokenError.TOKEN_PAYLOAD_INVALID, "stream_id_list holds a non-string");
                }
                ids.add(id.asText());
            }
            streamIds = ids;
        }
        return new RoomPrivileges(room.isTextual() ? room.asText() : "", granted(privilege, "1"),
                granted(privilege, "2"), streamIds);
    }

    private static boolean granted(JsonNode privilege, String key) {
        JsonNode value = privilege.path(key);
        if (value.isMissingNode() || value.isNull()) {
            return false;
        }
        if (!value.isIntegralNumber()) {
            throw new TokenException(TokenError.TOKEN_PAYLOAD_INVALID, "privilege " + key + " is not 0 or 1");
        }
        return value.asInt() == 1;
    }

    /** This object as a token payload, in the exact shape ZEGO's assistants write. */
    public String toPayload() {
        ObjectNode root = JSON.createObjectNode();
        root.put("room_id", roomId);
        ObjectNode privilege = root.putObject("privilege");
        privilege.put("1", loginRoom ? 1 : 0);
        privilege.put("2", publishStream ? 1 : 0);
        if (streamIds.isEmpty()) {
            root.putNull("stream_id_list");
        } else {
            ArrayNode list = root.putArray("stream_id_list");
            streamIds.forEach(list::add);
        }
        return root.toString();
    }
}
