package io.wenzhen.quality.live;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * {@code /api/v1/quality/live}: the dashboard's live feed. A browser cannot put a bearer token on a
 * WebSocket, so the first message must be {@code {"type":"auth","token":"<JWT>"}} with role hospital-it
 * or admin; the answer is a snapshot (rooms, recent alerts), then every status and alert as it comes.
 * Anything else first closes the connection with 4401 (docs/errors.md, 10503).
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

    /** Authenticated connections, with how to stop listening for them. */
    private final Map<String, Runnable> subscribed = new ConcurrentHashMap<>();

    @OnTextMessage
    void message(WebSocketConnection connection, String text) {
        if (subscribed.containsKey(connection.id())) {
            return; // nothing else is expected from a dashboard
        }
        String token;
        try {
            JsonNode message = JSON.readTree(text);
            token = "auth".equals(message.path("type").asText()) ? message.path("token").asText(null) : null;
        } catch (java.io.IOException e) {
            token = null;
        }
        if (token == null || !allowed(token)) {
            connection.close(new CloseReason(4401, "10503 LIVE_AUTH_REQUIRED")).subscribe().with(x -> {
            }, e -> {
            });
            return;
        }
        send(connection, Map.of("type", "snapshot", "rooms", live.rooms(), "alerts", live.recentAlerts()));
        subscribed.put(connection.id(), live.listen(update -> send(connection, Map.of("type", update.type(), "data", update.data()))));
    }

    @OnClose
    void closed(WebSocketConnection connection) {
        Runnable stop = subscribed.remove(connection.id());
        if (stop != null) {
            stop.run();
        }
    }

    private boolean allowed(String token) {
        try {
            JsonWebToken parsed = jwt.parse(token);
            return parsed.getGroups().stream().anyMatch(ROLES::contains);
        } catch (ParseException e) {
            LOG.debugf("live feed: token refused (%s)", e.getMessage());
            return false;
        }
    }

    private static void send(WebSocketConnection connection, Object message) {
        if (!connection.isOpen()) {
            return;
        }
        try {
            connection.sendText(JSON.writeValueAsString(message)).subscribe().with(x -> {
            }, e -> {
            });
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
