package io.wenzhen.quality.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.wenzhen.quality.analytics.AlertTracker;
import io.wenzhen.quality.analytics.ParticipantWindow;
import io.wenzhen.quality.analytics.Sample;

class ParticipantStateSerdeTest {

    @Test
    void aParticipantSurvivesTheChangelogWithItsWindowAndAlerts() {
        ParticipantState state = new ParticipantState();
        state.appId = 7;
        state.roomId = "r";
        state.streamId = "cam";
        state.publisherUserId = "doctor_7";
        state.dirty = true;
        state.window = new ParticipantWindow("patient_1", Sample.Side.PLAY);
        for (int i = 0; i < 6; i++) {
            Sample.Source source = i % 2 == 0 ? Sample.Source.CLIENT : Sample.Source.SERVER;
            state.window.add(new Sample(7, "r", "cam", "patient_1", Sample.Side.PLAY, source, 1_000_000 + 3000L * i, 900, 32, 30, 640, 480,
                    0.25, 0.25, 5, 40, i, 100.0 * i), 10_000, 15_000, 42);
        }
        AlertTracker tracker = new AlertTracker();
        tracker.breachSince = 1_000_000;
        tracker.raisedAt = 1_010_000;
        tracker.worst = 0.25;
        state.window.alerts.put("packet-loss", tracker);

        byte[] bytes = ParticipantStateSerde.write(state);
        ParticipantState read = ParticipantStateSerde.read(bytes);
        assertTrue(bytes.length < 700, "compact: " + bytes.length + " bytes");
        assertEquals("doctor_7", read.publisherUserId);
        assertEquals(state.window.samples.size(), read.window.samples.size());
        assertEquals(state.window.samples.get(3).atMillis(), read.window.samples.get(3).atMillis());
        assertEquals(Sample.Source.SERVER, read.window.samples.get(1).source());
        assertEquals("patient_1", read.window.samples.get(0).userId());
        assertEquals(state.window.current(15_000).mos(), read.window.current(15_000).mos(), 1e-4);
        assertEquals(state.window.samplesTotal, read.window.samplesTotal);
        assertEquals(1_010_000, read.window.alerts.get("packet-loss").raisedAt);
        assertEquals(42, read.window.lastArrivalWall);
        assertNull(new ParticipantStateSerde().deserializer().deserialize("t", null));
        byte[] future = bytes.clone();
        future[0] = 9;
        assertThrows(IllegalStateException.class, () -> ParticipantStateSerde.read(future), "an unknown version is refused");
    }
}
