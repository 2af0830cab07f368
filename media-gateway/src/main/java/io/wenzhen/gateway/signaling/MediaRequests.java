package io.wenzhen.gateway.signaling;

import java.util.Set;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.wenzhen.events.room.RoomError;
import io.wenzhen.gateway.edge.EdgeAccess;
import io.wenzhen.gateway.edge.StreamKeys;
import io.wenzhen.gateway.errors.GatewayError;
import io.wenzhen.gateway.errors.SignalingException;
import io.wenzhen.gateway.messages.ClientMessage;
import io.wenzhen.gateway.messages.EdgeUrls;
import io.wenzhen.gateway.session.Session;
import io.wenzhen.gateway.webrtc.Sfu;
import io.wenzhen.protocols.MalformedPacketException;

/** What the publish and play handlers share: the SFU's refusals as codes, the edge's transports and addresses. */
final class MediaRequests {

    /** Largest SDP offer taken. */
    static final int MAX_SDP = 32 * 1024;

    private MediaRequests() {
    }

    /**
     * The mini-program edge's {@code transport} of a publish or play: null when there is none (WebRTC:
     * an {@code sdp}, or nothing); TRANSPORT_UNSUPPORTED for an unknown one, or one next to an sdp.
     */
    static String transport(ClientMessage message, String offer, Set<String> allowed) {
        String transport = message.optionalText("transport", 16);
        if (transport == null) {
            return null;
        }
        if (!allowed.contains(transport) || offer != null) {
            throw new SignalingException(GatewayError.TRANSPORT_UNSUPPORTED);
        }
        return transport;
    }

    /** {@code url} (with this client's key) and {@code keyExpireTime} of an RTMP or FLV address. */
    static void edgeAddress(EdgeAccess edge, ObjectNode data, Session session, String streamId, StreamKeys.Action action, String url) {
        StreamKeys.Issued key = edge.issue(action, session, streamId);
        data.put("url", EdgeUrls.withKey(url, key.key(), edge.gatewayId())).put("keyExpireTime", key.expiresAt());
    }

    /**
     * What the SFU made of an offer, or the refusal a client understands: SDP_INVALID for an offer it
     * cannot answer, STREAM_NOT_IN_ROOM for a stream that ended meanwhile, STREAM_ID_IN_USE for another session's streamID.
     */
    static <T> T sfu(Supplier<T> sfuCall) {
        try {
            return sfuCall.get();
        } catch (MalformedPacketException e) {
            throw new SignalingException(GatewayError.SDP_INVALID, "SDP: " + e.getMessage());
        } catch (Sfu.StreamTakenException e) {
            throw RoomRequests.refusal(RoomError.STREAM_ID_IN_USE);
        } catch (IllegalStateException e) {
            throw new SignalingException(GatewayError.STREAM_NOT_IN_ROOM, "the stream ended meanwhile");
        }
    }
}
