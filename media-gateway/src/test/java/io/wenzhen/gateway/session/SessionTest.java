package io.wenzhen.gateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class SessionTest {

    static Session session(int buffer) {
        return new Session("s", "t", 1, "r", "u", "U", true, null, null, buffer);
    }

    @Test
    void numbersEventsAndResumesFromWhereTheClientWas() {
        Session session = session(4);
        for (int i = 0; i < 3; i++) {
            session.send(new ObjectMapper().createObjectNode().put("type", "e"));
        }
        session.detach(Instant.now());
        assertEquals(3, session.lastSeq());
        assertTrue(session.canResume(0));
        assertTrue(session.canResume(3));
        assertFalse(session.canResume(4), "the client cannot have seen more than was sent");
        assertFalse(session.canResume(-1));
    }

    @Test
    void refusesAResumeWhenTheBufferOverflowedPastWhatTheClientSaw() {
        Session session = session(2);
        for (int i = 0; i < 5; i++) {
            session.send(new ObjectMapper().createObjectNode().put("type", "e"));
        }
        assertFalse(session.canResume(1), "events 2 and 3 are gone");
        assertTrue(session.canResume(3), "4 and 5 are kept");
        session.close();
        assertFalse(session.canResume(5));
    }

    @Test
    void aDetachedSessionExpiresAfterItsDeadline() {
        Session session = session(2);
        Instant dropped = Instant.parse("2026-11-25T08:00:00Z");
        session.detach(dropped);
        assertFalse(session.isDetachedSince(dropped));
        assertTrue(session.isDetachedSince(dropped.plusSeconds(1)));
        assertEquals(Session.State.DETACHED, session.state());
    }
}
