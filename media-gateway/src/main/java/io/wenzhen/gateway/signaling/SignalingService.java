package io.wenzhen.gateway.signaling;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.wenzhen.events.room.RoomCommand;
import io.wenzhen.events.room.RoomEvent;
import io.wenzhen.events.room.RoomIds;
import io.wenzhen.gateway.apps.AppDirectory;
import io.wenzhen.gateway.config.GatewayConfig;
import io.wenzhen.gateway.quality.ClientSamples;
import io.wenzhen.gateway.rooms.GatewayIdentity;
import io.wenzhen.gateway.rooms.RoomCommands;
import io.wenzhen.gateway.rooms.RoomView;
import io.wenzhen.gateway.rooms.RoomViews;
import io.wenzhen.gateway.rooms.SessionEnder;
import io.wenzhen.gateway.session.Session;
import io.wenzhen.gateway.session.SessionRegistry;
import io.wenzhen.token04.TokenException;
import io.wenzhen.token04.Token04Verifier;

/**
 * The signaling protocol (docs/protocol.md): one handler per client message type. Every request gets
 * exactly one reply with its id; refusals carry a documented code and leave the connection and
 * everyone else untouched.
 */
@ApplicationScoped
public class SignalingService {

    private static final Logger LOG = Logger.getLogger(SignalingService.class);
    static final int MAX_TOKEN_CHARS = 4096;
    static final Duration APP_PATIENCE = Duration.ofSeconds(3);

    /** What the gateway knows of a connection before and after login. */
    static final class Connection {
        final WebSocketConnection socket;
        final RateLimiter limiter;
        final String origin;
        volatile long lastSeen = System.nanoTime();
        volatile boolean loggingIn;

        Connection(WebSocketConnection socket, RateLimiter limiter, String origin) {
            this.socket = socket;
            this.limiter = limiter;
            this.origin = origin;
        }
    }

    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
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
    SessionEnder ender;

    @Inject
    GatewayIdentity identity;

    @Inject
    ClientSamples samples;

    @Inject
    io.wenzhen.gateway.webrtc.Sfu sfu;

    @Inject
    io.wenzhen.gateway.edge.EdgeAccess edge;

    static final int MAX_SDP = 32 * 1024;

    private final Counter refused;

    @Inject
    public SignalingService(MeterRegistry metrics) {
        this.refused = metrics.counter("wenzhen.gateway.signaling.refusals");
    }

    public void opened(WebSocketConnection socket) {
        String origin = socket.handshakeRequest().header("Origin");
        connections.put(socket.id(), new Connection(socket,
                new RateLimiter(config.rateLimitPerSecond(), config.rateLimitBurst(), System.nanoTime()), origin));
        reply(socket, ServerMessages.hello(config.idleTimeout().toMillis() / 3));
    }

    public Uni<Void> received(WebSocketConnection socket, String text) {
        Connection connection = connections.get(socket.id());
        if (connection == null) {
            return Uni.createFrom().voidItem();
        }
        connection.lastSeen = System.nanoTime();
        if (text.length() > config.maxMessageBytes()) {
            return refuse(socket, null, new SignalingException(GatewayError.MESSAGE_TOO_LARGE));
        }
        if (!connection.limiter.tryAcquire(System.nanoTime())) {
            return refuse(socket, null, new SignalingException(GatewayError.RATE_LIMITED));
        }
        ClientMessage message;
        try {
            message = ClientMessage.parse(text);
        } catch (SignalingException e) {
            return refuse(socket, null, e);
        }
        Uni<ObjectNode> handled;
        try {
            handled = switch (message.type()) {
                case "login" -> login(connection, message);
                case "logout" -> logout(socket, message);
                case "publish" -> publish(socket, message);
                case "unpublish" -> unpublish(socket, message);
                case "play" -> play(socket, message);
                case "stopPlay" -> stopPlay(socket, message);
                case "broadcast" -> broadcast(socket, message);
                case "stats" -> stats(socket, message);
                case "renewToken" -> renewToken(socket, message);
                case "heartbeat" -> Uni.createFrom().item(ServerMessages.ok(message.id()).put("serverTime",
                        System.currentTimeMillis()));
                case "resume" -> resume(socket, message);
                default -> throw new SignalingException(GatewayError.UNKNOWN_MESSAGE_TYPE, "unknown type " + message.type());
            };
        } catch (RuntimeException e) {
            return refuse(socket, message.id(), e);
        }
        return handled.onItem().invoke(reply -> reply(socket, reply))
                .onFailure().recoverWithUni(e -> refuse(socket, message.id(), e).replaceWith((ObjectNode) null))
                .replaceWithVoid();
    }

    /** The connection closed: an active session waits for a resume until the grace period ends. */
    public void closed(WebSocketConnection socket) {
        connections.remove(socket.id());
        Session session = sessions.byConnection(socket.id());
        sessions.unbind(socket.id());
        if (session != null && session.connection() == socket) {
            session.detach(Instant.now());
        }
    }

    private Uni<ObjectNode> login(Connection connection, ClientMessage message) {
        WebSocketConnection socket = connection.socket;
        if (sessions.byConnection(socket.id()) != null || connection.loggingIn) {
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
        int maxMemberCount = options.path("maxMemberCount").asInt(0);
        if (!RoomIds.validRoomId(roomId)) {
            throw new SignalingException(io.wenzhen.events.room.RoomError.ROOM_ID_INVALID.code(), "ROOM_ID_INVALID",
                    io.wenzhen.events.room.RoomError.ROOM_ID_INVALID.message());
        }
        if (!RoomIds.validUserId(userId)) {
            throw new SignalingException(io.wenzhen.events.room.RoomError.USER_ID_INVALID.code(), "USER_ID_INVALID",
                    io.wenzhen.events.room.RoomError.USER_ID_INVALID.message());
        }
        if (userName.length() > 256) {
            throw new SignalingException(GatewayError.PROTOCOL_MALFORMED, "userName is longer than 256");
        }
        connection.loggingIn = true;
        return apps.find(appId, APP_PATIENCE).chain(app -> {
            if (app == null) {
                throw new SignalingException(GatewayError.APP_NOT_FOUND);
            }
            if (!app.active()) {
                throw new SignalingException(GatewayError.APP_DISABLED);
            }
            if (!app.allowsOrigin(connection.origin)) {
                throw new SignalingException(GatewayError.ORIGIN_NOT_ALLOWED);
            }
            Token04Verifier.VerifiedToken verified = verifier.verify(token, appId,
                    app.verificationSecrets(Instant.now()), userId);
            verified.authorizeLogin(roomId);
            String sessionId = UUID.randomUUID().toString();
            RoomCommand command = new RoomCommand(UUID.randomUUID().toString(), RoomCommand.Kind.LOGIN, appId, roomId,
                    sessionId, identity.id(), userId, userName, maxMemberCount, null, null, null, grant(verified));
            return commands.send(command).map(result -> {
                failIfRefused(result);
                Session session = new Session(sessionId, UUID.randomUUID().toString(), appId, roomId, userId, userName,
                        userUpdate, verified, socket, config.resumeBuffer());
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
                return reply;
            });
        }).eventually(() -> connection.loggingIn = false);
    }

    private Uni<ObjectNode> logout(WebSocketConnection socket, ClientMessage message) {
        Session session = session(socket);
        ender.forget(session);
        return commands.send(command(session, RoomCommand.Kind.LOGOUT, null, null, null))
                .map(result -> ServerMessages.ok(message.id()));
    }

    private Uni<ObjectNode> publish(WebSocketConnection socket, ClientMessage message) {
        Session session = session(socket);
        String streamId = message.text("streamID", 512);
        String extraInfo = message.optionalText("extraInfo", 1024);
        if (!RoomIds.validStreamId(streamId)) {
            throw new SignalingException(io.wenzhen.events.room.RoomError.STREAM_ID_INVALID.code(), "STREAM_ID_INVALID",
                    io.wenzhen.events.room.RoomError.STREAM_ID_INVALID.message());
        }
        Token04Verifier.VerifiedToken token = session.token();
        if (token.expire() <= Instant.now().getEpochSecond()) {
            throw new TokenException(io.wenzhen.token04.TokenError.TOKEN_EXPIRED);
        }
        token.authorizePublish(session.roomId(), streamId);
        String offer = message.optionalText("sdp", MAX_SDP);
        String transport = transport(message, offer, java.util.Set.of("rtmp"));
        if (transport != null && session.published().contains(streamId)
                && sfu.source(session.roomKey(), streamId) instanceof io.wenzhen.gateway.webrtc.Sfu.Source existing
                && existing.feed() instanceof io.wenzhen.gateway.edge.EdgePublication) {
            // the pusher asks again (its key lapsed before it connected): a fresh key, the same publication
            ObjectNode reply = ServerMessages.ok(message.id());
            ObjectNode data = reply.putObject("data").put("streamID", streamId);
            edgeAddress(data, session, streamId, io.wenzhen.gateway.edge.StreamKeys.Action.PUBLISH,
                    session.edgeUrls().rtmp(session.appId(), streamId));
            return Uni.createFrom().item(reply);
        }
        // the media side first: an offer the SFU cannot answer fails before the room hears of the stream
        String answer = offer == null ? null : answer(() -> sfu.publish(session.roomKey(), streamId, offer));
        if (transport != null) {
            sfu.publishEdge(session.roomKey(), streamId, new io.wenzhen.gateway.edge.EdgePublication());
        }
        boolean media = answer != null || transport != null;
        return commands.send(command(session, RoomCommand.Kind.PUBLISH, streamId, extraInfo, null))
                .onFailure().invoke(() -> stopPublishing(session, streamId, media))
                .map(result -> {
                    if (!Boolean.TRUE.equals(result.ok())) {
                        stopPublishing(session, streamId, media);
                    }
                    failIfRefused(result);
                    if (media) {
                        session.published().add(streamId);
                    }
                    ObjectNode reply = ServerMessages.ok(message.id());
                    ObjectNode data = reply.putObject("data").put("streamID", streamId);
                    if (answer != null) {
                        data.put("sdp", answer);
                    }
                    if (transport != null) {
                        edgeAddress(data, session, streamId, io.wenzhen.gateway.edge.StreamKeys.Action.PUBLISH,
                                session.edgeUrls().rtmp(session.appId(), streamId));
                    }
                    return reply;
                });
    }

    private void stopPublishing(Session session, String streamId, boolean media) {
        if (media) {
            sfu.stopPublishing(session.roomKey(), streamId);
        }
    }

    /**
     * The mini-program edge's {@code transport} of a publish or play: null when there is none (WebRTC:
     * an {@code sdp}, or nothing); TRANSPORT_UNSUPPORTED for an unknown one, or one next to an sdp.
     */
    private static String transport(ClientMessage message, String offer, java.util.Set<String> allowed) {
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
    private void edgeAddress(ObjectNode data, Session session, String streamId, io.wenzhen.gateway.edge.StreamKeys.Action action,
            String url) {
        io.wenzhen.gateway.edge.StreamKeys.Issued key = edge.issue(action, session, streamId);
        data.put("url", io.wenzhen.gateway.edge.EdgeUrls.withKey(url, key.key())).put("keyExpireTime", key.expiresAt());
    }

    /** The SFU's answer, or SDP_INVALID / STREAM_NOT_ON_THIS_GATEWAY for an offer it cannot take. */
    private static String answer(java.util.function.Supplier<String> sfuCall) {
        try {
            return sfuCall.get();
        } catch (io.wenzhen.protocols.MalformedPacketException e) {
            throw new SignalingException(GatewayError.SDP_INVALID, "SDP: " + e.getMessage());
        } catch (IllegalStateException e) {
            throw new SignalingException(GatewayError.STREAM_NOT_ON_THIS_GATEWAY);
        }
    }

    private Uni<ObjectNode> unpublish(WebSocketConnection socket, ClientMessage message) {
        Session session = session(socket);
        String streamId = message.text("streamID", 512);
        return commands.send(command(session, RoomCommand.Kind.UNPUBLISH, streamId, null, null)).map(result -> {
            failIfRefused(result);
            if (session.published().remove(streamId)) {
                sfu.stopPublishing(session.roomKey(), streamId);
            }
            return ServerMessages.ok(message.id());
        });
    }

    /** Only a stream of the player's own room; the media itself is the SFU's. */
    private Uni<ObjectNode> play(WebSocketConnection socket, ClientMessage message) {
        Session session = session(socket);
        String streamId = message.text("streamID", 512);
        RoomView view = views.find(session.roomKey());
        RoomEvent.Stream stream = view == null ? null : view.stream(streamId);
        if (stream == null) {
            throw new SignalingException(GatewayError.STREAM_NOT_IN_ROOM);
        }
        String offer = message.optionalText("sdp", MAX_SDP);
        String transport = transport(message, offer, java.util.Set.of("flv", "rtmp"));
        ObjectNode reply = ServerMessages.ok(message.id());
        ObjectNode data = reply.putObject("data").put("streamID", streamId).put("userID", stream.userId());
        if (offer != null) {
            data.put("sdp", answer(() -> sfu.play(session.roomKey(), streamId, offer, session.id())));
            session.played().add(streamId);
        } else if (transport != null) {
            io.wenzhen.gateway.webrtc.Sfu.Source source = sfu.source(session.roomKey(), streamId);
            if (source == null) {
                throw new SignalingException(GatewayError.STREAM_NOT_ON_THIS_GATEWAY);
            }
            try {
                edge.checkPlayable(source); // VP8: transcoded by a bridge, or refused where configured so
            } catch (io.wenzhen.gateway.edge.EdgeRefusal e) {
                throw new SignalingException(e.error());
            }
            session.played().add(streamId);
            io.wenzhen.gateway.edge.EdgeUrls urls = session.edgeUrls();
            edgeAddress(data, session, streamId, io.wenzhen.gateway.edge.StreamKeys.Action.PLAY,
                    transport.equals("flv") ? urls.flv(session.appId(), streamId) : urls.rtmp(session.appId(), streamId));
        }
        return Uni.createFrom().item(reply);
    }

    private Uni<ObjectNode> stopPlay(WebSocketConnection socket, ClientMessage message) {
        Session session = session(socket);
        String streamId = message.text("streamID", 512);
        if (session.played().remove(streamId)) {
            sfu.stopPlaying(session.roomKey(), streamId, session.id());
        }
        return Uni.createFrom().item(ServerMessages.ok(message.id()));
    }

    private Uni<ObjectNode> broadcast(WebSocketConnection socket, ClientMessage message) {
        Session session = session(socket);
        String text = message.text("message", 1024);
        return commands.send(command(session, RoomCommand.Kind.BROADCAST, null, null, text)).map(result -> {
            failIfRefused(result);
            return ServerMessages.ok(message.id());
        });
    }

    private Uni<ObjectNode> stats(WebSocketConnection socket, ClientMessage message) {
        Session session = session(socket);
        String streamId = message.text("streamID", 512);
        String direction = message.text("direction", 16);
        if (!direction.equals("publish") && !direction.equals("play")) {
            throw new SignalingException(GatewayError.PROTOCOL_MALFORMED, "direction is publish or play");
        }
        return samples.send(session, streamId, direction, message.object("stats"))
                .map(ignored -> ServerMessages.ok(message.id()));
    }

    private Uni<ObjectNode> renewToken(WebSocketConnection socket, ClientMessage message) {
        Session session = session(socket);
        String token = message.text("token", MAX_TOKEN_CHARS + 1);
        return apps.find(session.appId(), Duration.ZERO).map(app -> {
            if (app == null || !app.active()) {
                throw new SignalingException(GatewayError.APP_DISABLED);
            }
            Token04Verifier.VerifiedToken fresh = verifier.verify(token, session.appId(),
                    app.verificationSecrets(Instant.now()), session.userId());
            fresh.authorizeLogin(session.roomId());
            session.renew(fresh);
            ObjectNode reply = ServerMessages.ok(message.id());
            reply.putObject("data").put("tokenExpireTime", fresh.expire());
            return reply;
        });
    }

    private Uni<ObjectNode> resume(WebSocketConnection socket, ClientMessage message) {
        if (sessions.byConnection(socket.id()) != null) {
            throw new SignalingException(GatewayError.ALREADY_LOGGED_IN);
        }
        String sessionId = message.text("sessionId", 64);
        String resumeToken = message.text("resumeToken", 64);
        long lastSeq = message.number("lastSeq");
        Session session = sessions.byId(sessionId);
        if (session == null || !java.security.MessageDigest.isEqual(session.resumeToken().getBytes(),
                resumeToken.getBytes())) {
            throw new SignalingException(GatewayError.RESUME_FAILED);
        }
        if (!session.canResume(lastSeq)) {
            throw new SignalingException(GatewayError.RESUME_FAILED, "too much was missed; log in again");
        }
        // answer first, then replay: the client learns it is resumed before the missed events arrive
        ObjectNode reply = ServerMessages.ok(message.id());
        reply.putObject("data").put("sessionId", sessionId).put("roomID", session.roomId()).put("lastSeq", session.lastSeq());
        reply(socket, reply);
        WebSocketConnection previous = session.connection();
        session.resume(socket, lastSeq);
        sessions.bind(socket.id(), session);
        if (previous != null && previous != socket) {
            // the old connection is half-open (the client already moved on): retire it
            sessions.unbind(previous.id());
            previous.close().subscribe().with(ok -> { }, failure -> { });
        }
        return Uni.createFrom().nullItem();
    }

    private Session session(WebSocketConnection socket) {
        Session session = sessions.byConnection(socket.id());
        if (session == null) {
            throw new SignalingException(GatewayError.NOT_LOGGED_IN);
        }
        return session;
    }

    private RoomCommand command(Session session, RoomCommand.Kind kind, String streamId, String extraInfo, String text) {
        return new RoomCommand(UUID.randomUUID().toString(), kind, session.appId(), session.roomId(), session.id(),
                identity.id(), session.userId(), null, null, streamId, extraInfo, text, grant(session.token()));
    }

    static RoomCommand.Grant grant(Token04Verifier.VerifiedToken token) {
        return new RoomCommand.Grant(token.userId(), token.privileges().loginRoom(), token.privileges().publishStream(),
                token.privileges().roomId(), token.privileges().streamIds());
    }

    private static void failIfRefused(RoomEvent result) {
        if (!Boolean.TRUE.equals(result.ok())) {
            throw new SignalingException(result.code(), result.error(), result.errorMessage());
        }
    }

    private Uni<Void> refuse(WebSocketConnection socket, String id, Throwable failure) {
        refused.increment();
        ObjectNode reply;
        if (failure instanceof SignalingException e) {
            reply = ServerMessages.error(id, e.code(), e.error(), e.getMessage());
        } else if (failure instanceof TokenException e) {
            reply = ServerMessages.error(id, e.error().code(), e.error().name(), e.error().message());
        } else {
            LOG.warnf("request %s failed: %s", id, failure.toString());
            reply = ServerMessages.error(id, GatewayError.TIMEOUT.code(), GatewayError.TIMEOUT.name(),
                    "the request could not be completed; try again");
        }
        reply(socket, reply);
        return Uni.createFrom().voidItem();
    }

    private static void reply(WebSocketConnection socket, ObjectNode message) {
        if (message != null && socket.isOpen()) {
            socket.sendText(message.toString()).subscribe().with(ok -> { }, failure -> { });
        }
    }

    /** Connections silent past the idle timeout are closed (their sessions then wait for a resume). */
    public void closeIdleConnections() {
        long nowNanos = System.nanoTime();
        long limit = config.idleTimeout().toNanos();
        for (Connection connection : connections.values()) {
            if (nowNanos - connection.lastSeen > limit && connection.socket.isOpen()) {
                connection.socket.close().subscribe().with(ok -> { }, failure -> { });
            }
        }
    }

    public int connections() {
        return connections.size();
    }
}
