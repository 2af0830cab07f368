package io.wenzhen.gateway.signaling;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.wenzhen.events.room.RoomCommand;
import io.wenzhen.events.room.RoomError;
import io.wenzhen.events.room.RoomEvent;
import io.wenzhen.events.room.RoomIds;
import io.wenzhen.events.room.RoomKeys;
import io.wenzhen.gateway.apps.AppDirectory;
import io.wenzhen.gateway.config.GatewayConfig;
import io.wenzhen.gateway.edge.EdgeAccess;
import io.wenzhen.gateway.errors.GatewayError;
import io.wenzhen.gateway.errors.SignalingException;
import io.wenzhen.gateway.messages.ClientMessage;
import io.wenzhen.gateway.messages.ServerMessages;
import io.wenzhen.gateway.peers.GatewayDirectory;
import io.wenzhen.gateway.peers.HandoverTickets;
import io.wenzhen.gateway.relay.CallMover;
import io.wenzhen.gateway.relay.SignalingRelay;
import io.wenzhen.gateway.rooms.RoomCommands;
import io.wenzhen.gateway.rooms.RoomView;
import io.wenzhen.gateway.rooms.RoomViews;
import io.wenzhen.gateway.session.Connection;
import io.wenzhen.gateway.session.GatewayDrain;
import io.wenzhen.gateway.session.Session;
import io.wenzhen.gateway.session.SessionRegistry;
import io.wenzhen.gateway.turn.TurnServers;
import io.wenzhen.token04.Token04Verifier;

/**
 * {@code login}: the app must exist, be active and allow the page's origin; the token must verify
 * with one of the app's secrets and allow the room; room-service admits the member. One room per
 * connection.
 */
@ApplicationScoped
public class LoginHandler implements RequestHandler {

    private static final Logger LOG = Logger.getLogger(LoginHandler.class);
    /** Longest token taken (a Token04 with a room and stream list is well under it). */
    static final int MAX_TOKEN_CHARS = 4096;
    static final int MAX_TICKET_CHARS = 1024;
    /** How long a login waits for an app auth-service has not told this gateway of yet. */
    static final Duration APP_PATIENCE = Duration.ofSeconds(3);
    /** Two heartbeat intervals: a home silent this long and unreachable is taken for lost. */
    static final Duration SILENT_HOME = Duration.ofSeconds(10);
    private final Token04Verifier verifier = new Token04Verifier();

    @Inject
    GatewayConfig config;

    @Inject
    AppDirectory apps;

    @Inject
    SessionRegistry sessions;

    @Inject
    RoomViews views;

    @Inject
    RoomCommands commands;

    @Inject
    RoomRequests rooms;

    @Inject
    MediaAdmission media;

    @Inject
    EdgeAccess edge;

    @Inject
    GatewayDrain drain;

    @Inject
    SignalingRelay relay;

    @Inject
    GatewayDirectory peers;

    @Inject
    HandoverTickets tickets;

    @Inject
    CallMover mover;

    @Inject
    TurnServers turn;

    @Override
    public String type() {
        return "login";
    }

    @Override
    public Uni<ObjectNode> handle(Connection connection, ClientMessage message) {
        WebSocketConnection socket = connection.socket();
        if (sessions.byConnection(socket.id()) != null || connection.loggingIn()) {
            throw new SignalingException(GatewayError.ALREADY_LOGGED_IN);
        }
        long appId = message.number("appId");
        String roomId = message.text("roomId", 128);
        String token = message.text("token", MAX_TOKEN_CHARS + 1);
        JsonNode user = message.object("user");
        String userId = user.path("userID").asText(user.path("userId").asText(""));
        String userName = user.path("userName").asText(userId);
        JsonNode options = message.object("config");
        boolean userUpdate = options.path("userUpdate").asBoolean(false);
        // a client that takes a move event (a drain moving its room's calls) says so; one moving shows its ticket
        boolean handsOver = message.body().path("features").isArray() && streamOf(message.body().path("features"))
                .anyMatch(feature -> "move".equals(feature.asText()));
        String handoverTicket = message.optionalText("handover", MAX_TICKET_CHARS);
        int maxMemberCount = options.path("maxMemberCount").asInt(0);
        if (!RoomIds.validRoomId(roomId)) {
            throw RoomRequests.refusal(RoomError.ROOM_ID_INVALID);
        }
        if (!RoomIds.validUserId(userId)) {
            throw RoomRequests.refusal(RoomError.USER_ID_INVALID);
        }
        if (userName.length() > 256) {
            throw new SignalingException(GatewayError.PROTOCOL_MALFORMED, "userName is longer than 256");
        }
        if (!drain.admits(RoomKeys.key(appId, roomId))) {
            throw new SignalingException(GatewayError.GATEWAY_DRAINING);
        }
        media.admitLogin(appId);
        connection.loggingIn(true);
        drain.loginStarted();
        // deferred: whatever fails, even at once, ends in eventually() below and releases both marks
        return Uni.createFrom().deferred(() -> apps.find(appId, APP_PATIENCE)).chain(app -> {
            if (app == null) {
                throw new SignalingException(GatewayError.APP_NOT_FOUND);
            }
            if (!app.active()) {
                throw new SignalingException(GatewayError.APP_DISABLED);
            }
            if (!app.allowsOrigin(connection.origin())) {
                throw new SignalingException(GatewayError.ORIGIN_NOT_ALLOWED);
            }
            Token04Verifier.VerifiedToken verified = verifier.verify(token, appId,
                    app.verificationSecrets(Instant.now()), userId);
            verified.authorizeLogin(roomId);
            String sessionId = UUID.randomUUID().toString();
            RoomCommand login = new RoomCommand(UUID.randomUUID().toString(), RoomCommand.Kind.LOGIN, appId, roomId,
                    sessionId, rooms.gatewayId(), userId, userName, maxMemberCount, null, null, null, RoomRequests.grant(verified));
            RoomCommand command = handoverTicket == null ? login : login.withHandover(handedOver(handoverTicket, appId, roomId, userId));
            return commands.send(command).chain(result -> answer(connection, message, command, result, true, verified, token,
                    userUpdate)).invoke(reply -> {
                        Session session = sessions.byConnection(socket.id());
                        if (session != null) {
                            session.handsOver(handsOver);
                            mover.joinedDuringMove(session);
                        }
                    });
        }).eventually(() -> {
            connection.loggingIn(false);
            drain.loginEnded();
        });
    }

    /**
     * The session a handover ticket continues. A ticket for another gateway still makes the login a handover:
     * room-service answers it with the room's home (never evicting the member, as an ordinary login of the same
     * user would), the login is relayed there, and the home checks the ticket itself. One that does not verify at
     * all is refused here.
     */
    private String handedOver(String ticket, long appId, String roomId, String userId) {
        try {
            return tickets.verify(ticket, appId, roomId, userId, rooms.gatewayId(), System.currentTimeMillis() / 1000);
        } catch (HandoverTickets.MeantForAnother e) {
            return e.sessionId();
        } catch (SecurityException e) {
            throw new SignalingException(GatewayError.HANDOVER_REFUSED, e.getMessage());
        }
    }

    private static Stream<JsonNode> streamOf(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }

    /**
     * room-service's answer: joined here, or the room's media lives on another gateway (its home), to which
     * the client's signaling is then relayed, and which answers the login itself. When the home cannot be
     * reached, room-service hears so once ({@code mayReport}) and moves the room: here, or to a third gateway.
     */
    private Uni<ObjectNode> answer(Connection connection, ClientMessage message, RoomCommand command, RoomEvent result,
            boolean mayReport, Token04Verifier.VerifiedToken verified, String token, boolean userUpdate) {
        if (!RoomError.ROOM_ELSEWHERE.name().equals(result.error())) {
            return Uni.createFrom().item(() -> loggedIn(connection, message, command, result, verified, token, userUpdate));
        }
        String home = result.home();
        if (connection.fromRelay()) {
            // the home moved between the relaying gateway's command and ours: no relay onward (no chains, no loops);
            // the client logs in again from the start
            throw new SignalingException(GatewayError.TIMEOUT, "the room moved to another gateway meanwhile; log in again");
        }
        return relay.open(connection, home, message.body().toString(), message.id()).replaceWith((ObjectNode) null)
                .onFailure(SignalingRelay.HomeUnreachable.class).recoverWithUni(e -> {
                    if (!mayReport || !lost(home, (SignalingRelay.HomeUnreachable) e)) {
                        // a home that may still hold its calls is not reported: the client tries again (the SDKs do)
                        return Uni.createFrom().failure(new SignalingException(GatewayError.TIMEOUT,
                                "the room's gateway does not answer; try again"));
                    }
                    LOG.infof("app %d room %s: %s; asking room-service to move the room", command.appId(), command.roomId(),
                            e.getMessage());
                    RoomCommand again = command.withUnreachableHome(UUID.randomUUID().toString(), home);
                    return commands.send(again).chain(moved -> answer(connection, message, again, moved, false, verified, token,
                            userUpdate));
                });
    }

    /**
     * Whether a home the relay could not reach is lost, and room-service should move its rooms: surely gone
     * (refused: nothing listens, or another process has its address), or silent on the heartbeat topic for two
     * heartbeat intervals. A timeout alone is not enough: one busy or partitioned moment must not end a call.
     */
    private boolean lost(String home, SignalingRelay.HomeUnreachable unreachable) {
        if (unreachable.definitive()) {
            return true;
        }
        Instant heard = relay.lastHeard(home);
        return heard == null || heard.isBefore(Instant.now().minus(SILENT_HOME));
    }

    private ObjectNode loggedIn(Connection connection, ClientMessage message, RoomCommand command, RoomEvent result,
            Token04Verifier.VerifiedToken verified, String token, boolean userUpdate) {
        WebSocketConnection socket = connection.socket();
        long appId = command.appId();
        String roomId = command.roomId();
        String sessionId = command.sessionId();
        String userId = command.userId();
        String userName = command.userName();
        RoomRequests.failIfRefused(result);
        Session session = new Session(sessionId, UUID.randomUUID().toString(), appId, roomId, userId, userName,
                userUpdate, verified, socket, config.resumeBuffer());
        session.renew(verified, token);
        session.edgeUrls(edge.urls(socket));
        RoomView view = views.of(session.roomKey());
        view.adopt(result.consultationId(), result.snapshot());
        sessions.add(session, socket.id());
        LOG.debugf("app %d room %s: session %s logged in", appId, roomId, sessionId);
        ObjectNode reply = ServerMessages.ok(message.id());
        ObjectNode data = reply.putObject("data");
        data.put("sessionId", sessionId).put("resumeToken", session.resumeToken()).put("roomID", roomId)
                .put("tokenExpireTime", verified.expire()).put("onlineCount", result.snapshot().users().size());
        if (userUpdate) {
            data.set("userList", ServerMessages.users(result.snapshot().users().stream()
                    .filter(u -> !u.userId().equals(userId)).toList()));
        }
        data.set("streamList", ServerMessages.streams(result.snapshot().streams().stream()
                .filter(s -> !s.userId().equals(userId)).toList(), appId, session.edgeUrls()));
        // which gateway holds the session (a resume through another gateway is relayed here), and where the
        // SDK can reconnect when this one is lost
        data.put("gateway", rooms.gatewayId());
        peers.publicUrls().forEach(data.putArray("gateways")::add);
        // TURN for networks that block UDP: credentials of this session's own (none configured: an empty list)
        data.set("iceServers", ServerMessages.iceServers(turn.forSession(sessionId)));
        return reply;
    }
}
