package io.wenzhen.quality.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import io.wenzhen.quality.analytics.AlertTracker;
import io.wenzhen.quality.analytics.ParticipantWindow;
import io.wenzhen.quality.analytics.Sample;

class ParticipantStateSerdeTest {

    /**
     * {@link #participant()} as version 1 wrote it (DataOutputStream, before samplesTotal and raisedValue
     * were dropped): what a changelog of an earlier release holds.
     */
    private static final String VERSION_1 = "AQAAAAAAAAAHAAFyAANjYW0BAAhkb2N0b3JfNwEACXBhdGllbnRfMQEAAAAAAA+3cAAAAAAAAAACAAAAAAAAAAwAAAAAAAAAKgEAAAAAAA9xIERhAABCAAAAQfAAAAKAAeA+gAAAPoAAAECgAABCIAAAQBAAAAAAAABAeQAAAAAAAAIAAAAAAA982ERhAABCAAAAQfAAAAKAAeA+gAAAPoAAAECgAABCIAAAQBQAAAAAAABAf0AAAAAAAAAGAQAAAAAAD4iQRGEAAEIAAABB8AAAAoAB4D6AAAA+gAAAQKAAAEIgAABAGAAAAAAAAECCwAAAAAAAAgAAAAAAD5RIRGEAAEIAAABB8AAAAoAB4D6AAAA+gAAAQKAAAEIgAABAHAAAAAAAAECF4AAAAAAAAQAAAAAAD6AARGEAAEIAAABB8AAAAoAB4D6AAAA+gAAAQKAAAEIgAABAIAAAAAAAAECJAAAAAAAAAgAAAAAAD6u4RGEAAEIAAABB8AAAAoAB4D6AAAA+gAAAQKAAAEIgAABAIgAAAAAAAECMIAAAAAAAAQAAAAAAD7dwRGEAAEIAAABB8AAAAoAB4D6AAAA+gAAAQKAAAEIgAABAJAAAAAAAAECPQAAAAAAAAgAAAAAAD8MoRGEAAEIAAABB8AAAAoAB4D6AAAA+gAAAQKAAAEIgAABAJgAAAAAAAECRMAAAAAAAAQALcGFja2V0LWxvc3MAAAAAAA9CQAAAAAAAD2lQ//////////8/0AAAAAAAAD/JmZmZmZma";

    @Test
    void aParticipantSurvivesTheChangelogWithItsWindowAndAlerts() {
        ParticipantState state = participant();
        byte[] bytes = ParticipantStateSerde.write(state);
        assertEquals(ParticipantStateSerde.VERSION, bytes[0]);
        assertTrue(bytes.length < 600, "compact: " + bytes.length + " bytes");
        assertSame(state, ParticipantStateSerde.read(bytes));
        assertNull(new ParticipantStateSerde().deserializer().deserialize("t", null));
        assertNull(new ParticipantStateSerde().serializer().serialize("t", null));
    }

    @Test
    void aChangelogOfVersionOneStillRestores() {
        assertSame(participant(), ParticipantStateSerde.read(Base64.getDecoder().decode(VERSION_1)));
    }

    @Test
    void namesBeyondAsciiKeepTheirLetters() {
        ParticipantState state = participant();
        state.roomId = "诊室-7";
        state.window.userId = "患者_1";
        ParticipantState read = ParticipantStateSerde.read(ParticipantStateSerde.write(state));
        assertEquals("诊室-7", read.roomId);
        assertEquals("患者_1", read.window.userId);
        assertEquals("患者_1", read.window.samples.get(0).userId());
    }

    @Test
    void aStateCutShortOrOfAnUnknownVersionIsRefused() {
        byte[] bytes = ParticipantStateSerde.write(participant());
        byte[] future = bytes.clone();
        future[0] = 9;
        assertThrows(IllegalStateException.class, () -> ParticipantStateSerde.read(future), "an unknown version");
        assertThrows(IllegalStateException.class, () -> ParticipantStateSerde.read(new byte[0]), "nothing");
        for (int length = 1; length < bytes.length; length += 7) {
            byte[] cut = Arrays.copyOf(bytes, length);
            assertThrows(IllegalStateException.class, () -> ParticipantStateSerde.read(cut), "cut at " + cut.length);
        }
        byte[] badSide = bytes.clone();
        // version, appId, "r", "cam", publisher flag and "doctor_7", dirty, "patient_1": then the side
        badSide[1 + 8 + 3 + 5 + 1 + 10 + 1 + 11] = 7;
        assertThrows(IllegalStateException.class, () -> ParticipantStateSerde.read(badSide), "a side that does not exist");
    }

    /** A player 33 s into its stream: samples pruned before its window (the "before" samples set), an open alert. */
    private static ParticipantState participant() {
        ParticipantState state = new ParticipantState();
        state.appId = 7;
        state.roomId = "r";
        state.streamId = "cam";
        state.publisherUserId = "doctor_7";
        state.dirty = true;
        state.window = new ParticipantWindow("patient_1", Sample.Side.PLAY);
        for (int i = 0; i < 12; i++) {
            Sample.Source source = i % 2 == 0 ? Sample.Source.CLIENT : Sample.Source.SERVER;
            state.window.add(new Sample(7, "r", "cam", "patient_1", Sample.Side.PLAY, source, 1_000_000 + 3000L * i, 900, 32, 30, 640, 480,
                    0.25, 0.25, 5, 40, i, 100.0 * i), 10_000, 15_000, 42);
        }
        AlertTracker tracker = new AlertTracker();
        tracker.breachSince = 1_000_000;
        tracker.raisedAt = 1_010_000;
        tracker.worst = 0.25;
        state.window.alerts.put("packet-loss", tracker);
        return state;
    }

    private static void assertSame(ParticipantState expected, ParticipantState read) {
        assertEquals(expected.appId, read.appId);
        assertEquals(expected.roomId, read.roomId);
        assertEquals(expected.streamId, read.streamId);
        assertEquals(expected.publisherUserId, read.publisherUserId);
        assertEquals(expected.dirty, read.dirty);
        ParticipantWindow w = expected.window;
        ParticipantWindow r = read.window;
        assertEquals(w.userId, r.userId);
        assertEquals(w.side, r.side);
        assertEquals(w.bucketStart, r.bucketStart);
        assertEquals(w.bucketSamples, r.bucketSamples);
        assertEquals(w.lastArrivalWall, r.lastArrivalWall);
        assertNotNull(w.clientBefore, "the fixture prunes samples");
        assertEquals(w.clientBefore, r.clientBefore, "figures kept as floats are exact for these values");
        assertEquals(w.serverBefore, r.serverBefore);
        assertEquals(w.samples, r.samples);
        assertEquals(w.current(15_000).mos(), r.current(15_000).mos(), 1e-9);
        assertEquals(w.alerts.keySet(), r.alerts.keySet());
        AlertTracker t = w.alerts.get("packet-loss");
        AlertTracker u = r.alerts.get("packet-loss");
        assertEquals(t.breachSince, u.breachSince);
        assertEquals(t.raisedAt, u.raisedAt);
        assertEquals(t.clearSince, u.clearSince);
        assertEquals(t.worst, u.worst);
    }
}
