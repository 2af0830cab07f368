package io.wenzhen.gateway.messages;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.wenzhen.events.room.RoomEvent;
import io.wenzhen.gateway.turn.TurnServers;

/**
 * The messages the gateway sends, in the ZEGO Express vocabulary the SDK hands to the app
 * ({@code roomUserUpdate}, {@code roomStreamUpdate} … with {@code userID}, {@code streamID}).
 */
public final class ServerMessages {

    public static final int PROTOCOL_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ServerMessages() {
    }

    public static ObjectNode hello(long heartbeatMillis) {
        ObjectNode hello = JSON.createObjectNode().put("type", "hello").put("protocol", PROTOCOL_VERSION);
        hello.put("heartbeatInterval", heartbeatMillis);
        return hello;
    }

    public static ObjectNode ok(String id) {
        return JSON.createObjectNode().put("type", "reply").put("id", id).put("ok", true);
    }

    public static ObjectNode error(String id, int code, String error, String message) {
        ObjectNode reply = JSON.createObjectNode().put("type", "reply");
        reply.put("id", id);
        return reply.put("ok", false).put("code", code).put("error", error).put("message", message);
    }

    public static ObjectNode event(String type, String roomId) {
        return JSON.createObjectNode().put("type", type).put("roomID", roomId);
    }

    public static ArrayNode users(List<RoomEvent.Member> users) {
        ArrayNode list = JSON.createArrayNode();
        users.forEach(user -> list.addObject().put("userID", user.userId()).put("userName", user.userName()));
        return list;
    }

    /** ICE servers as RTCPeerConnection's configuration takes them: {urls, username, credential}. */
    public static ArrayNode iceServers(List<TurnServers.IceServer> servers) {
        ArrayNode list = JSON.createArrayNode();
        for (TurnServers.IceServer server : servers) {
            ObjectNode item = list.addObject();
            server.urls().forEach(item.putArray("urls")::add);
            item.put("username", server.username()).put("credential", server.credential());
        }
        return list;
    }

    /** @param urls where this client reaches the mini-program edge (null: no urlsFLV/urlsRTMP) */
    public static ArrayNode streams(List<RoomEvent.Stream> streams, long appId, EdgeUrls urls) {
        ArrayNode list = JSON.createArrayNode();
        for (RoomEvent.Stream stream : streams) {
            ObjectNode item = list.addObject().put("streamID", stream.streamId());
            item.putObject("user").put("userID", stream.userId()).put("userName", stream.userName());
            item.put("extraInfo", stream.extraInfo());
            if (urls != null) {
                // one address each, as ZEGO's stream lists give them (strings); a player asks `play` for its keyed one
                item.put("urlsFLV", urls.flv(appId, stream.streamId()));
                item.put("urlsRTMP", urls.rtmp(appId, stream.streamId()));
            }
        }
        return list;
    }

    public static ObjectNode userUpdate(String roomId, String updateType, List<RoomEvent.Member> users) {
        ObjectNode event = event("roomUserUpdate", roomId).put("updateType", updateType);
        event.set("userList", users(users));
        return event;
    }

    public static ObjectNode streamUpdate(String roomId, String updateType, List<RoomEvent.Stream> streams, long appId,
            EdgeUrls urls) {
        ObjectNode event = event("roomStreamUpdate", roomId).put("updateType", updateType);
        event.set("streamList", streams(streams, appId, urls));
        return event;
    }

    public static ObjectNode onlineCount(String roomId, int count) {
        return event("roomOnlineUserCountUpdate", roomId).put("count", count);
    }

    public static ObjectNode broadcast(String roomId, RoomEvent.Message message) {
        ObjectNode event = event("IMRecvBroadcastMessage", roomId);
        ObjectNode item = event.putArray("messageList").addObject();
        item.putObject("fromUser").put("userID", message.fromUserId()).put("userName", message.fromUserName());
        item.put("message", message.message()).put("sendTime", message.sendTime()).put("messageID", message.messageId());
        return event;
    }

    /** The session is over on the server's side: the SDK turns it into roomStateUpdate DISCONNECTED. */
    public static ObjectNode kicked(String roomId, int code, String error, String message) {
        return event("kicked", roomId).put("code", code).put("error", error).put("message", message);
    }

    /** A publication the gateway ended on its own (its media connection was lost): the SDK says NO_PUBLISH with the code. */
    public static ObjectNode publishEnded(String roomId, String streamId, int code, String error, String message) {
        return event("publishEnded", roomId).put("streamID", streamId).put("code", code).put("error", error).put("message", message);
    }

    public static ObjectNode tokenWillExpire(String roomId, long expireTime) {
        return event("tokenWillExpire", roomId).put("expireTime", expireTime);
    }

    /**
     * The gateway is draining and the room's calls move to {@code gateway}: the SDK logs in there (at {@code url})
     * with the ticket, publishes and plays there, and only then leaves this session (make before break).
     */
    public static ObjectNode move(String roomId, String gateway, String url, String ticket) {
        return event("move", roomId).put("gateway", gateway).put("url", url).put("ticket", ticket);
    }
}
