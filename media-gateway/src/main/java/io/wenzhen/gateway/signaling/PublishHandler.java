package io.wenzhen.gateway.signaling;

import java.time.Instant;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;
import io.wenzhen.events.room.RoomCommand;
import io.wenzhen.events.room.RoomError;
import io.wenzhen.events.room.RoomIds;
import io.wenzhen.gateway.edge.EdgeAccess;
import io.wenzhen.gateway.edge.EdgePublication;
import io.wenzhen.gateway.edge.StreamKeys;
import io.wenzhen.gateway.errors.GatewayError;
import io.wenzhen.gateway.errors.SignalingException;
import io.wenzhen.gateway.messages.ClientMessage;
import io.wenzhen.gateway.messages.ServerMessages;
import io.wenzhen.gateway.relay.CallMover;
import io.wenzhen.gateway.rooms.LostPublications;
import io.wenzhen.gateway.rooms.RoomCommands;
import io.wenzhen.gateway.session.Connection;
import io.wenzhen.gateway.session.Session;
import io.wenzhen.gateway.session.SessionRegistry;
import io.wenzhen.gateway.webrtc.Sfu;
import io.wenzhen.token04.Token04Verifier;
import io.wenzhen.token04.TokenError;
import io.wenzhen.token04.TokenException;

/**
 * {@code publish}: the token must allow the streamID; the SFU answers the offer and holds the
 * publication aside until room-service confirms the stream is this session's (a streamID another
 * session holds is refused with 10209, its publication untouched). With {@code transport: "rtmp"} the
 * mini-program edge will feed it, and the reply carries the pusher's address.
 */
@ApplicationScoped
public class PublishHandler implements RequestHandler {

    @Inject
    SessionRegistry sessions;

    @Inject
    Sfu sfu;

    @Inject
    MediaAdmission media;

    @Inject
    RoomCommands commands;

    @Inject
    RoomRequests rooms;

    @Inject
    EdgeAccess edge;

    @Inject
    LostPublications lost;

    @Inject
    CallMover mover;

    @Override
    public String type() {
        return "publish";
    }

    @Override
    public Uni<ObjectNode> handle(Connection connection, ClientMessage message) {
        Session session = sessions.loggedIn(connection.id());
        String streamId = message.text("streamID", 512);
        String extraInfo = message.optionalText("extraInfo", 1024);
        if (!RoomIds.validStreamId(streamId)) {
            throw RoomRequests.refusal(RoomError.STREAM_ID_INVALID);
        }
        Token04Verifier.VerifiedToken token = session.token();
        if (token.expire() <= Instant.now().getEpochSecond()) {
            throw new TokenException(TokenError.TOKEN_EXPIRED);
        }
        token.authorizePublish(session.roomId(), streamId);
        String offer = message.optionalText("sdp", MediaRequests.MAX_SDP);
        String transport = MediaRequests.transport(message, offer, Set.of("rtmp"));
        if (transport != null && session.published().contains(streamId)
                && sfu.source(session.roomKey(), streamId) instanceof Sfu.Source existing
                && existing.feed() instanceof EdgePublication) {
            // the pusher asks again (its key lapsed before it connected): a fresh key, the same publication
            ObjectNode reply = ServerMessages.ok(message.id());
            ObjectNode data = reply.putObject("data").put("streamID", streamId);
            MediaRequests.edgeAddress(edge, data, session, streamId, StreamKeys.Action.PUBLISH,
                    session.edgeUrls().rtmp(session.appId(), streamId));
            return Uni.createFrom().item(reply);
        }
        if (!session.published().contains(streamId)) {
            media.admitPublish(session);
        }
        // the media side first: an offer the SFU cannot answer fails before the room hears of the stream. It is
        // held aside, not forwarded, until room-service confirms the stream is this session's.
        Sfu.Owner owner = new Sfu.Owner(session.id(), session.userId());
        Sfu.Publication publication = offer != null ? MediaRequests.sfu(() -> sfu.prepare(session.roomKey(), streamId, offer, owner))
                : transport != null ? MediaRequests.sfu(() -> sfu.prepareEdge(session.roomKey(), streamId, new EdgePublication(), owner))
                : null;
        // while it waits, a loss of the session's earlier publication of the stream is left to this one to replace
        session.publishing().add(streamId);
        return commands.send(rooms.command(session, RoomCommand.Kind.PUBLISH, streamId, extraInfo, null))
                .onFailure().invoke(() -> {
                    discard(publication);
                    lost.publishFailed(session, streamId);
                })
                .map(result -> {
                    if (!Boolean.TRUE.equals(result.ok())) {
                        discard(publication);
                        lost.publishFailed(session, streamId);
                    }
                    RoomRequests.failIfRefused(result);
                    // the session's stream from here on, with media or without (caps, stats): a loss of its connection
                    // after admission finds it so
                    session.published().add(streamId);
                    lost.admitting(session, streamId);
                    if (publication != null) {
                        try {
                            sfu.admit(publication);
                            mover.published(session.roomKey(), streamId);
                        } catch (Sfu.StreamTakenException e) {
                            // another session of ours got the streamID here between our check and room-service's
                            // answer: the room must not keep a stream of this session with no media behind it
                            session.published().remove(streamId);
                            commands.tell(rooms.command(session, RoomCommand.Kind.UNPUBLISH, streamId, null, null));
                            throw RoomRequests.refusal(RoomError.STREAM_ID_IN_USE);
                        } catch (Sfu.PublicationLostException e) {
                            lost.end(session, streamId); // its connection ended before admission: the room hears it is gone
                            throw new SignalingException(GatewayError.MEDIA_CONNECTION_LOST);
                        }
                    }
                    ObjectNode reply = ServerMessages.ok(message.id());
                    ObjectNode data = reply.putObject("data").put("streamID", streamId);
                    if (publication != null && publication.answer() != null) {
                        data.put("sdp", publication.answer());
                    }
                    if (transport != null) {
                        MediaRequests.edgeAddress(edge, data, session, streamId, StreamKeys.Action.PUBLISH,
                                session.edgeUrls().rtmp(session.appId(), streamId));
                    }
                    return reply;
                });
    }

    private void discard(Sfu.Publication publication) {
        if (publication != null) {
            sfu.discard(publication);
        }
    }
}
