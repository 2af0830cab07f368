package io.wenzhen.gateway.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class TurnServersTest {

    static final long EXPIRY = 1_796_688_000L;
    private final Clock clock = Clock.fixed(Instant.ofEpochSecond(EXPIRY - 12 * 3600), ZoneOffset.UTC);
    private final List<String> urls = List.of("turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:443?transport=tcp");

    @Test
    void aSessionsCredentialIsCoturnsRestApiHmacOverItsExpiryAndSessionId() {
        TurnServers turn = new TurnServers(urls, Optional.of("north-wing-secret"), Duration.ofHours(12), clock);
        TurnServers.IceServer server = turn.forSession("4f1c2a9e-session").getFirst();
        assertEquals(urls, server.urls());
        assertEquals(EXPIRY + ":4f1c2a9e-session", server.username());
        // computed apart from this code: base64(HMAC-SHA1("north-wing-secret", username)), as coturn checks it
        assertEquals("QL7a05EsQLKusvYBiGB5xd25X6o=", server.credential());
    }

    @Test
    void noUrlsHandsOutNothingAndAMisconfigurationStopsTheStart() {
        assertTrue(new TurnServers(List.of(), Optional.empty(), Duration.ofHours(12), clock).forSession("s").isEmpty());
        assertThrows(IllegalArgumentException.class, () -> new TurnServers(urls, Optional.empty(), Duration.ofHours(12), clock));
        assertThrows(IllegalArgumentException.class, () -> new TurnServers(urls, Optional.of(" "), Duration.ofHours(12), clock));
        assertThrows(IllegalArgumentException.class, () -> new TurnServers(urls, Optional.of("north-wing-secret\n"), Duration.ofHours(12), clock),
                "coturn would check with the newline: every credential would fail");
        assertThrows(IllegalArgumentException.class,
                () -> new TurnServers(List.of("stun:stun.example.org"), Optional.of("s"), Duration.ofHours(12), clock));
        assertThrows(IllegalArgumentException.class, () -> new TurnServers(urls, Optional.of("s"), Duration.ZERO, clock));
    }
}
