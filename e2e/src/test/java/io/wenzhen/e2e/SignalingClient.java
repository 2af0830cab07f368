package io.wenzhen.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A plain WebSocket client speaking the signaling protocol (docs/protocol.md), as the SDK does:
 * requests with ids and their replies, and the numbered events of its session.
 */
final class SignalingClient implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final List<JsonNode> received = new ArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final WebSocket socket;
    private final StringBuilder partial = new StringBuilder();
    /** How the socket ended ("1000 reason", "error …"), or null while open. */
    volatile String closedWith;

    private SignalingClient(URI uri, Map<String, String> headers) throws Exception {
        WebSocket.Builder builder = HTTP.newWebSocketBuilder();
        headers.forEach(builder::header);
        socket = builder.buildAsync(uri, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    try {
                        JsonNode message = Suite.JSON.readTree(partial.toString());
                        synchronized (received) {
                            received.add(message);
                            received.notifyAll();
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    partial.setLength(0);
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                closedWith = statusCode + " " + reason;
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                closedWith = "error " + error;
            }
        }).get(10, TimeUnit.SECONDS);
    }

    static SignalingClient connect(URI uri) throws Exception {
        SignalingClient client = new SignalingClient(uri, Map.of());
        client.await(m -> "hello".equals(m.path("type").asText()), Duration.ofSeconds(5));
        return client;
    }

    /** Connects with extra handshake headers; no hello awaited (a refused connection gets none). */
    static SignalingClient connectWith(URI uri, Map<String, String> headers) throws Exception {
        return new SignalingClient(uri, headers);
    }

    ObjectNode message(String type) {
        return Suite.JSON.createObjectNode().put("type", type).put("id", "r" + ids.incrementAndGet());
    }

    /** One frame at a time: the JDK's WebSocket refuses a send while the previous one is under way. */
    synchronized void sendRaw(String text) {
        socket.sendText(text, true).join();
    }

    /** Sends a request and returns its reply. */
    JsonNode request(ObjectNode request) {
        sendRaw(request.toString());
        String id = request.get("id").asText();
        return await(m -> "reply".equals(m.path("type").asText()) && id.equals(m.path("id").asText()), Duration.ofSeconds(15));
    }

    JsonNode login(long appId, String roomId, String token, String userId, boolean userUpdate) {
        ObjectNode login = message("login").put("appId", appId).put("roomId", roomId).put("token", token);
        login.putObject("user").put("userID", userId).put("userName", "name of " + userId);
        login.putObject("config").put("userUpdate", userUpdate);
        return request(login);
    }

    JsonNode publish(String streamId) {
        return request(message("publish").put("streamID", streamId).put("extraInfo", "camera=front"));
    }

    /** Waits for a message that matches; messages already received count. */
    JsonNode await(Predicate<JsonNode> filter, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (received) {
            while (true) {
                for (JsonNode message : received) {
                    if (filter.test(message)) {
                        return message;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no matching message within " + timeout + "; received: " + received);
                }
                try {
                    received.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted");
                }
            }
        }
    }

    JsonNode awaitEvent(String type, Map<String, String> fields) {
        return await(m -> type.equals(m.path("type").asText()) && fields.entrySet().stream()
                .allMatch(f -> f.getValue().equals(m.at(f.getKey()).asText())), Duration.ofSeconds(15));
    }

    List<JsonNode> events(String type) {
        synchronized (received) {
            return received.stream().filter(m -> type.equals(m.path("type").asText())).toList();
        }
    }

    long lastSeq() {
        synchronized (received) {
            return received.stream().mapToLong(m -> m.path("seq").asLong(0)).max().orElse(0);
        }
    }

    /** The network goes away: no close handshake, as when a phone loses signal. */
    void drop() {
        socket.abort();
    }

    @Override
    public void close() {
        socket.abort();
    }
}
