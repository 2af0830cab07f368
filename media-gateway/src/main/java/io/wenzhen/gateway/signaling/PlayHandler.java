package io.wenzhen.gateway.signaling;

import java.time.Duration;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;
import io.wenzhen.events.room.RoomEvent;
import io.wenzhen.gateway.edge.EdgeAccess;
import io.wenzhen.gateway.edge.EdgeRefusal;
import io.wenzhen.gateway.edge.StreamKeys;
import io.wenzhen.gateway.errors.GatewayError;
import io.wenzhen.gateway.errors.SignalingException;
import io.wenzhen.gateway.messages.ClientMessage;
import io.wenzhen.gateway.messages.EdgeUrls;
import io.wenzhen.gateway.messages.ServerMessages;
import io.wenzhen.gateway.relay.CallMover;
import io.wenzhen.gateway.relay.MediaPipes;
import io.wenzhen.gateway.rooms.RoomView;
import io.wenzhen.gateway.rooms.RoomViews;
import io.wenzhen.gateway.session.Connection;
import io.wenzhen.gateway.session.Session;
import io.wenzhen.gateway.session.SessionRegistry;
import io.wenzhen.gateway.webrtc.Sfu;

/**
 * {@code play}: only a stream of the player's own room; the SFU answers the offer, or with
 * {@code transport: "flv"}/{@code "rtmp"} the reply carries the live-player's address.
 */
@ApplicationScoped
public class PlayHandler implements RequestHandler {

    private static final Logger LOG = Logger.getLogger(PlayHandler.class);

    /** How long a play waits for a stream the room knows of to be in the SFU (its publish's confirmation on its way). */
    static final Duration ADMISSION_PATIENCE = Duration.ofSeconds(3);
    static final Duration ADMISSION_POLL = Duration.ofMillis(50);

    @Inject
    SessionRegistry sessions;

    @Inject
    RoomViews views;

    @Inject
    Sfu sfu;

    @Inject
    MediaAdmission media;

    @Inject
    EdgeAccess edge;

    @Inject
    CallMover mover;

    @Inject
    MediaPipes pipes;

    @Override
    public String type() {
        return "play";
    }

    @Override
    public Uni<ObjectNode> handle(Connection connection, ClientMessage message) {
        Session session = sessions.loggedIn(connection.id());
        String streamId = message.text("streamID", 512);
        RoomView view = views.find(session.roomKey());
        RoomEvent.Stream stream = view == null ? null : view.stream(streamId);
        if (stream == null) {
            throw new SignalingException(GatewayError.STREAM_NOT_IN_ROOM);
        }
        String offer = message.optionalText("sdp", MediaRequests.MAX_SDP);
        String transport = MediaRequests.transport(message, offer, Set.of("flv", "rtmp"));
        if (offer == null && transport == null) {
            return Uni.createFrom().item(answer(session, message, stream, streamId, null, null));
        }
        if (sfu.source(session.roomKey(), streamId) != null) {
            return Uni.createFrom().item(() -> admitted(connection, session, message, streamId, offer, transport));
        }
        // the room heard of the stream (its stream-added event) a moment before its publisher's gateway put it in
        // the SFU (the publish's confirmation comes back by another way): a player that asks at once waits for it.
        // In a room moving from here to another gateway, a stream published there is piped here meanwhile.
        String home = mover.movingTo(session.roomKey());
        if (home != null) {
            pipes.pull(session.roomKey(), streamId, home).subscribe().with(piped -> { }, failure -> LOG.infof(
                    "room %s: stream %s could not be piped here from gateway %s: %s", session.roomKey(), streamId, home,
                    failure.getMessage()));
        }
        return published(session.roomKey(), streamId, System.nanoTime() + ADMISSION_PATIENCE.toNanos())
                .map(ignored -> admitted(connection, session, message, streamId, offer, transport));
    }

    /**
     * The media part of a play, checked as it is about to happen: the session still this connection's and the
     * stream still in its room (both may have ended while the play waited), then the session's and app's caps.
     */
    private ObjectNode admitted(Connection connection, Session session, ClientMessage message, String streamId, String offer,
            String transport) {
        if (sessions.loggedIn(connection.id()) != session) {
            throw new SignalingException(GatewayError.NOT_LOGGED_IN);
        }
        RoomView view = views.find(session.roomKey());
        RoomEvent.Stream stream = view == null ? null : view.stream(streamId);
        if (stream == null) {
            throw new SignalingException(GatewayError.STREAM_NOT_IN_ROOM);
        }
        if (!session.played().contains(streamId)) {
            media.admitPlay(session);
        }
        return answer(session, message, stream, streamId, offer, transport);
    }

    private Uni<Void> published(String roomKey, String streamId, long deadlineNanos) {
        if (sfu.source(roomKey, streamId) != null || System.nanoTime() > deadlineNanos) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().voidItem().onItem().delayIt().by(ADMISSION_POLL).chain(() -> published(roomKey, streamId, deadlineNanos));
    }

    private ObjectNode answer(Session session, ClientMessage message, RoomEvent.Stream stream, String streamId, String offer,
            String transport) {
        ObjectNode reply = ServerMessages.ok(message.id());
        ObjectNode data = reply.putObject("data").put("streamID", streamId).put("userID", stream.userId());
        if (offer != null) {
            data.put("sdp", MediaRequests.sfu(() -> sfu.play(session.roomKey(), streamId, offer, session.id())));
            session.played().add(streamId);
        } else if (transport != null) {
            Sfu.Source source = sfu.source(session.roomKey(), streamId);
            if (source == null) {
                throw new SignalingException(GatewayError.STREAM_NOT_IN_ROOM, "the stream ended meanwhile");
            }
            try {
                edge.checkPlayable(source); // VP8: transcoded by a bridge, or refused where configured so
            } catch (EdgeRefusal e) {
                throw new SignalingException(e.error());
            }
            session.played().add(streamId);
            EdgeUrls urls = session.edgeUrls();
            MediaRequests.edgeAddress(edge, data, session, streamId, StreamKeys.Action.PLAY,
                    transport.equals("flv") ? urls.flv(session.appId(), streamId) : urls.rtmp(session.appId(), streamId));
        }
        return reply;
    }
}
