package io.wenzhen.gateway.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import io.wenzhen.protocols.MalformedPacketException;

class StreamKeysTest {

    final StreamKeys keys = new StreamKeys("a shared secret", Duration.ofSeconds(60));
    final Instant now = Instant.parse("2026-11-25T12:00:00Z");

    @Test
    void aKeyNamesItsSessionStreamAndDirection() {
        StreamKeys.Issued issued = keys.issue(StreamKeys.Action.PUBLISH, 1234567, "room-1", "patient_1_main", "session-9", now);
        assertEquals(now.getEpochSecond() + 60, issued.expiresAt());
        assertTrue(issued.key().matches("[A-Za-z0-9_.-]+"), "safe in a URL as it is: " + issued.key());
        StreamKeys.Claims claims = keys.verify(issued.key());
        assertEquals(StreamKeys.Action.PUBLISH, claims.action());
        assertEquals(1234567, claims.appId());
        assertEquals("room-1", claims.roomId());
        assertEquals("patient_1_main", claims.streamId());
        assertEquals("session-9", claims.sessionId());
        assertFalse(claims.expired(now.plusSeconds(59)));
        assertTrue(claims.expired(now.plusSeconds(60)));
        // another gateway with the same secret accepts it; one with another secret does not
        assertEquals(claims, new StreamKeys("a shared secret", Duration.ofSeconds(5)).verify(issued.key()));
        assertThrows(MalformedPacketException.class, () -> new StreamKeys(null, Duration.ofSeconds(60)).verify(issued.key()));
    }

    @Test
    void aKeyBentToAnotherStreamOrForgedIsRefused() {
        String key = keys.issue(StreamKeys.Action.PLAY, 1, "r", "doctor_main", "s", now).key();
        String payload = new String(Base64.getUrlDecoder().decode(key.substring(0, key.indexOf('.'))), StandardCharsets.UTF_8);
        String bent = Base64.getUrlEncoder().withoutPadding().encodeToString(payload.replace("doctor_main", "other_main")
                .getBytes(StandardCharsets.UTF_8)) + key.substring(key.indexOf('.'));
        assertThrows(MalformedPacketException.class, () -> keys.verify(bent));
        assertThrows(MalformedPacketException.class, () -> keys.verify(key.substring(0, key.length() - 2) + "AA"));
        assertThrows(MalformedPacketException.class, () -> keys.verify("no-dot"));
        assertThrows(MalformedPacketException.class, () -> keys.verify("a.b.c"));
        assertThrows(MalformedPacketException.class, () -> keys.verify("!!!.???"));
        assertThrows(MalformedPacketException.class, () -> keys.verify(""));
        assertThrows(MalformedPacketException.class, () -> keys.verify(null));
        assertThrows(MalformedPacketException.class, () -> keys.verify("a".repeat(5000) + ".b"));
    }
}
