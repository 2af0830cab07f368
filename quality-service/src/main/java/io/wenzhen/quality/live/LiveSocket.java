package io.wenzhen.quality.live;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.wenzhen.events.AppScope;

/**
 * {@code /api/v1/quality/live}: the dashboard's live feed. A browser cannot put a bearer token on a
 * WebSocket, so the first message must be {@code {"type":"auth","token":"<JWT>"}} with role hospital-it
 * or admin; the answer is a snapshot (rooms, recent alerts), then every status and alert as it comes.
 * Anything else first, or nothing within 10 s, closes the connection with 4401 (docs/errors.md, 10503);
 * so does the token's expiry.
 */
@WebSocket(path = "/api/v1/quality/live")
public class LiveSocket {

    private static final Logger LOG = Logger.getLogger(LiveSocket.class);
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    static final Set<String> ROLES = Set.of("hospital-it", "admin");

    @Inject
    LiveView live;

    @Inject
    JWTParser jwt;

    /** How long a new connection has to authenticate. */
    static final Duration AUTH_TIMEOUT = Duration.ofSeconds(10);

    /** Authenticated connections, with how to stop listening for them. */
    private final Map<String, Runnable> subscribed = new ConcurrentHashMap<>();
    /** Closes connections that never authenticate, and feeds whose token has expired. */
    private final ScheduledExecutorService closer = Executors
            .newSingleThreadScheduledExecutor(task -> Thread.ofPlatform().daemon().name("live-feed-closer").unstarted(task));

    @OnOpen
    void opened(WebSocketConnection connection) {
        closer.schedule(() -> {
            if (!subscribed.containsKey(connection.id())) {
                refuse(connection);
            }
        }, AUTH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @OnTextMessage
    void message(WebSocketConnection connection, String text) {
        if (subscribed.containsKey(connection.id())) {
            return; // nothing else is expected from a dashboard
        }
        String token;
        try {
            JsonNode message = JSON.readTree(text);
            token = "auth".equals(message.path("type").asText()) ? message.path("token").asText(null) : null;
        } catch (IOException e) {
            token = null;
        }
        JsonWebToken parsed = token == null ? null : allowed(token);
        if (parsed == null) {
            refuse(connection);
            return;
        }
        // one hospital's dashboard sees its own apps only (the token's appIds; an admin's sees all)
        AppScope scope = AppScope.of(parsed.getGroups(), parsed.getClaim(AppScope.CLAIM));
        Runnable stop = live.listen(update -> {
            if (scope.allows(update.appId())) {
                send(connection, Map.of("type", update.type(), "data", update.data()));
            }
        });
        if (subscribed.putIfAbsent(connection.id(), stop) != null) {
            stop.run(); // a second auth message raced the first
            return;
        }
        if (!connection.isOpen()) {
            closed(connection); // it closed while we subscribed
            return;
        }
        send(connection, Map.of("type", "snapshot", "rooms", live.rooms().stream().filter(r -> scope.allows(r.appId())).toList(),
                "alerts", live.recentAlerts().stream().filter(a -> scope.allows(a.appId())).toList()));
        // the feed lasts as long as the token: then the dashboard must authenticate again
        long left = parsed.getExpirationTime() * 1000 - System.currentTimeMillis();
        closer.schedule(() -> refuse(connection), Math.max(0, left), TimeUnit.MILLISECONDS);
    }

    private void refuse(WebSocketConnection connection) {
        if (connection.isOpen()) {
            connection.close(new CloseReason(4401, "10503 LIVE_AUTH_REQUIRED")).subscribe().with(x -> {
            }, e -> {
            });
        }
    }

    @OnClose
    void closed(WebSocketConnection connection) {
        Runnable stop = subscribed.remove(connection.id());
        if (stop != null) {
            stop.run();
        }
    }

    /** The token when it is valid (signature, issuer, expiry) and has one of the roles, else null. */
    private JsonWebToken allowed(String token) {
        try {
            JsonWebToken parsed = jwt.parse(token);
            return parsed.getGroups().stream().anyMatch(ROLES::contains) ? parsed : null;
        } catch (ParseException e) {
            LOG.debugf("live feed: token refused (%s)", e.getMessage());
            return null;
        }
    }

    @PreDestroy
    void stop() {
        closer.shutdownNow();
    }

    private static void send(WebSocketConnection connection, Object message) {
        if (!connection.isOpen()) {
            return;
        }
        try {
            connection.sendText(JSON.writeValueAsString(message)).subscribe().with(x -> {
            }, e -> {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
