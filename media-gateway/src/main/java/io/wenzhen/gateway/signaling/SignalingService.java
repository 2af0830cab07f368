package io.wenzhen.gateway.signaling;

import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.wenzhen.events.room.RoomCommand;
import io.wenzhen.events.room.RoomError;
import io.wenzhen.events.room.RoomEvent;
import io.wenzhen.events.room.RoomIds;
import io.wenzhen.gateway.apps.AppDirectory;
import io.wenzhen.gateway.config.GatewayConfig;
import io.wenzhen.gateway.edge.EdgeAccess;
import io.wenzhen.gateway.edge.EdgePublication;
import io.wenzhen.gateway.edge.EdgeRefusal;
import io.wenzhen.gateway.edge.EdgeUrls;
import io.wenzhen.gateway.edge.StreamKeys;
import io.wenzhen.gateway.limits.BoundedSender;
import io.wenzhen.gateway.limits.ConnectionCounter;
import io.wenzhen.gateway.quality.ClientSamples;
import io.wenzhen.gateway.rooms.GatewayIdentity;
import io.wenzhen.gateway.rooms.RoomCommands;
import io.wenzhen.gateway.rooms.RoomView;
import io.wenzhen.gateway.rooms.RoomViews;
import io.wenzhen.gateway.rooms.SessionEnder;
import io.wenzhen.gateway.session.Session;
import io.wenzhen.gateway.session.SessionRegistry;
import io.wenzhen.gateway.webrtc.Sfu;
import io.wenzhen.protocols.MalformedPacketException;
import io.wenzhen.token04.Token04Verifier;
import io.wenzhen.token04.TokenError;
import io.wenzhen.token04.TokenException;

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
        final String address;
        volatile long lastSeen = System.nanoTime();
        /** Since when the connection has had no session (its opening, or its logout); see {@link #closeIdleConnections}. */
        volatile long withoutSessionSince = System.nanoTime();
        /** Whether the last sweep found a session on this connection: when it goes, the login deadline starts again. */
        volatile boolean hadSession;
        volatile boolean loggingIn;

        Connection(WebSocketConnection socket, RateLimiter limiter, String origin, String address) {
            this.socket = socket;
            this.limiter = limiter;
            this.origin = origin;
            this.address = address;
        }
    }

    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private ConnectionCounter counter;
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
    Sfu sfu;

    @Inject
    MediaAdmission media;

    @Inject
    EdgeAccess edge;

    static final int MAX_SDP = 32 * 1024;

    private final Counter refused;

    @Inject
    public SignalingService(MeterRegistry metrics) {
        this.refused = metrics.counter("wenzhen.gateway.signaling.refusals");
    }

    @PostConstruct
    void limits() {
        counter = new ConnectionCounter(config.wsMaxConnections(), config.wsMaxConnectionsPerAddress());
    }

    /**
     * A new connection: refused (TOO_MANY_CONNECTIONS, then closed) past the gateway's total or its
     * address's share, so one host's idle sockets cannot lock everyone else out.
     */
    public void opened(WebSocketConnection socket) {
        String origin = socket.handshakeRequest().header("Origin");
        String address = ConnectionCounter.host(socket.handshakeRequest().remoteAddress());
        if (!counter.tryOpen(address)) {
            refused.increment();
            reply(socket, ServerMessages.error(null, GatewayError.TOO_MANY_CONNECTIONS.code(),
                    GatewayError.TOO_MANY_CONNECTIONS.name(), GatewayError.TOO_MANY_CONNECTIONS.message()));
            socket.close(new CloseReason(CloseReason.NORMAL.getCode(), GatewayError.TOO_MANY_CONNECTIONS.name()))
                    .subscribe().with(ok -> { }, failure -> { });
            return;
        }
        connections.put(socket.id(), new Connection(socket,
                new RateLimiter(config.rateLimitPerSecond(), config.rateLimitBurst(), System.nanoTime()), origin, address));
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
                case "logout" -> logout(connection, message);
                case "publish" -> publish(socket, message);
                case "unpublish" -> unpublish(socket, message);
                case "play" -> play(socket, message);
                case "stopPlay" -> stopPlay(socket, message);
                case "broadcast" -> broadcast(socket, message);
                case "stats" -> stats(socket, message);
                case "renewToken" -> renewToken(socket, message);
                // answered before login too, but only a login (or resume) keeps an unauthenticated connection open
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
        Connection connection = connections.remove(socket.id());
        if (connection != null) {
            counter.closed(connection.address);
        }
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
            throw new SignalingException(RoomError.ROOM_ID_INVALID.code(), "ROOM_ID_INVALID",
                    RoomError.ROOM_ID_INVALID.message());
        }
        if (!RoomIds.validUserId(userId)) {
            throw new SignalingException(RoomError.USER_ID_INVALID.code(), "USER_ID_INVALID",
                    RoomError.USER_ID_INVALID.message());
        }
        if (userName.length() > 256) {
            throw new SignalingException(GatewayError.PROTOCOL_MALFORMED, "userName is longer than 256");
        }
        media.admitLogin(appId);
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
                return reply;
            });
        }).eventually(() -> connection.loggingIn = false);
    }

    private Uni<ObjectNode> logout(Connection connection, ClientMessage message) {
        Session session = session(connection.socket);
        connection.withoutSessionSince = System.nanoTime();
        ender.forget(session);
        return commands.send(command(session, RoomCommand.Kind.LOGOUT, null, null, null))
                .map(result -> ServerMessages.ok(message.id()));
    }

    private Uni<ObjectNode> publish(WebSocketConnection socket, ClientMessage message) {
        Session session = session(socket);
        String streamId = message.text("streamID", 512);
        String extraInfo = message.optionalText("extraInfo", 1024);
        if (!RoomIds.validStreamId(streamId)) {
            throw new SignalingException(RoomError.STREAM_ID_INVALID.code(), "STREAM_ID_INVALID",
                    RoomError.STREAM_ID_INVALID.message());
        }
        Token04Verifier.VerifiedToken token = session.token();
        if (token.expire() <= Instant.now().getEpochSecond()) {
            throw new TokenException(TokenError.TOKEN_EXPIRED);
        }
        token.authorizePublish(session.roomId(), streamId);
        String offer = message.optionalText("sdp", MAX_SDP);
        String transport = transport(message, offer, Set.of("rtmp"));
        if (transport != null && session.published().contains(streamId)
                && sfu.source(session.roomKey(), streamId) instanceof Sfu.Source existing
                && existing.feed() instanceof EdgePublication) {
            // the pusher asks again (its key lapsed before it connected): a fresh key, the same publication
            ObjectNode reply = ServerMessages.ok(message.id());
            ObjectNode data = reply.putObject("data").put("streamID", streamId);
            edgeAddress(data, session, streamId, StreamKeys.Action.PUBLISH,
                    session.edgeUrls().rtmp(session.appId(), streamId));
            return Uni.createFrom().item(reply);
        }
        if (!session.published().contains(streamId)) {
            media.admitPublish(session);
        }
        // the media side first: an offer the SFU cannot answer fails before the room hears of the stream. It is
        // held aside, not forwarded, until room-service confirms the stream is this session's.
        Sfu.Owner owner = new Sfu.Owner(session.id(), session.userId());
        Sfu.Publication publication = offer != null ? sfu(() -> sfu.prepare(session.roomKey(), streamId, offer, owner))
                : transport != null ? sfu(() -> sfu.prepareEdge(session.roomKey(), streamId, new EdgePublication(), owner))
                : null;
        return commands.send(command(session, RoomCommand.Kind.PUBLISH, streamId, extraInfo, null))
                .onFailure().invoke(() -> discard(publication))
                .map(result -> {
                    if (!Boolean.TRUE.equals(result.ok())) {
                        discard(publication);
                    }
                    failIfRefused(result);
                    if (publication != null) {
                        try {
                            sfu.admit(publication);
                        } catch (Sfu.StreamTakenException e) {
                            // another session of ours got the streamID here between our check and room-service's
                            // answer: the room must not keep a stream of this session with no media behind it
                            commands.tell(command(session, RoomCommand.Kind.UNPUBLISH, streamId, null, null));
                            throw refusal(RoomError.STREAM_ID_IN_USE);
                        }
                    }
                    session.published().add(streamId); // with media or without: the session's stream (caps, stats)
                    ObjectNode reply = ServerMessages.ok(message.id());
                    ObjectNode data = reply.putObject("data").put("streamID", streamId);
                    if (publication != null && publication.answer() != null) {
                        data.put("sdp", publication.answer());
                    }
                    if (transport != null) {
                        edgeAddress(data, session, streamId, StreamKeys.Action.PUBLISH,
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

    /**
     * The mini-program edge's {@code transport} of a publish or play: null when there is none (WebRTC:
     * an {@code sdp}, or nothing); TRANSPORT_UNSUPPORTED for an unknown one, or one next to an sdp.
     */
    private static String transport(ClientMessage message, String offer, Set<String> allowed) {
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
    private void edgeAddress(ObjectNode data, Session session, String streamId, StreamKeys.Action action,
            String url) {
        StreamKeys.Issued key = edge.issue(action, session, streamId);
        data.put("url", EdgeUrls.withKey(url, key.key())).put("keyExpireTime", key.expiresAt());
    }

    /**
     * What the SFU made of an offer, or the refusal a client understands: SDP_INVALID for an offer it
     * cannot answer, STREAM_NOT_ON_THIS_GATEWAY, STREAM_ID_IN_USE for another session's streamID.
     */
    private static <T> T sfu(Supplier<T> sfuCall) {
        try {
            return sfuCall.get();
        } catch (MalformedPacketException e) {
            throw new SignalingException(GatewayError.SDP_INVALID, "SDP: " + e.getMessage());
        } catch (Sfu.StreamTakenException e) {
            throw refusal(RoomError.STREAM_ID_IN_USE);
        } catch (IllegalStateException e) {
            throw new SignalingException(GatewayError.STREAM_NOT_ON_THIS_GATEWAY);
        }
    }

    private static SignalingException refusal(RoomError error) {
        return new SignalingException(error.code(), error.name(), error.message());
    }

    private Uni<ObjectNode> unpublish(WebSocketConnection socket, ClientMessage message) {
        Session session = session(socket);
        String streamId = message.text("streamID", 512);
        return commands.send(command(session, RoomCommand.Kind.UNPUBLISH, streamId, null, null)).map(result -> {
            failIfRefused(result);
            if (session.published().remove(streamId)) {
                sfu.stopPublishing(session.roomKey(), streamId, session.id());
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
        String transport = transport(message, offer, Set.of("flv", "rtmp"));
        if ((offer != null || transport != null) && !session.played().contains(streamId)) {
            media.admitPlay(session);
        }
        ObjectNode reply = ServerMessages.ok(message.id());
        ObjectNode data = reply.putObject("data").put("streamID", streamId).put("userID", stream.userId());
        if (offer != null) {
            data.put("sdp", sfu(() -> sfu.play(session.roomKey(), streamId, offer, session.id())));
            session.played().add(streamId);
        } else if (transport != null) {
            Sfu.Source source = sfu.source(session.roomKey(), streamId);
            if (source == null) {
                throw new SignalingException(GatewayError.STREAM_NOT_ON_THIS_GATEWAY);
            }
            try {
                edge.checkPlayable(source); // VP8: transcoded by a bridge, or refused where configured so
            } catch (EdgeRefusal e) {
                throw new SignalingException(e.error());
            }
            session.played().add(streamId);
            EdgeUrls urls = session.edgeUrls();
            edgeAddress(data, session, streamId, StreamKeys.Action.PLAY,
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
        // a sample speaks for the session's own streams only: none of another user's figures can be forged
        if (!(direction.equals("publish") ? session.published() : session.played()).contains(streamId)) {
            throw refusal(RoomError.STREAM_NOT_FOUND);
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
            session.renew(fresh, token);
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
        if (session == null || !MessageDigest.isEqual(session.resumeToken().getBytes(),
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
            BoundedSender.send(socket, message.toString());
        }
    }

    /**
     * Connections silent past the idle timeout are closed (their sessions then wait for a resume), and
     * so are connections without a session past the login deadline (LOGIN_DEADLINE): heartbeats alone
     * keep no stranger's socket open.
     */
    public void closeIdleConnections() {
        long nowNanos = System.nanoTime();
        long limit = config.idleTimeout().toNanos();
        long loginDeadline = config.loginDeadline().toNanos();
        for (Connection connection : connections.values()) {
            if (!connection.socket.isOpen()) {
                continue;
            }
            boolean hasSession = sessions.byConnection(connection.socket.id()) != null;
            if (connection.hadSession && !hasSession) {
                connection.withoutSessionSince = nowNanos; // kicked, revoked, expired: a whole deadline to log in again
            }
            connection.hadSession = hasSession;
            if (nowNanos - connection.lastSeen > limit) {
                connection.socket.close().subscribe().with(ok -> { }, failure -> { });
            } else if (!connection.loggingIn && !hasSession && nowNanos - connection.withoutSessionSince > loginDeadline) {
                reply(connection.socket, ServerMessages.error(null, GatewayError.LOGIN_DEADLINE.code(),
                        GatewayError.LOGIN_DEADLINE.name(), GatewayError.LOGIN_DEADLINE.message()));
                connection.socket.close(new CloseReason(CloseReason.NORMAL.getCode(), GatewayError.LOGIN_DEADLINE.name()))
                        .subscribe().with(ok -> { }, failure -> { });
            }
        }
    }

    public int connections() {
        return connections.size();
    }
}
