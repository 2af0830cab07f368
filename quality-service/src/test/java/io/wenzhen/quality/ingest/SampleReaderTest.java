package io.wenzhen.quality.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.wenzhen.events.WenzhenEvents;
import io.wenzhen.events.quality.ServerSample;
import io.wenzhen.quality.analytics.Sample;

class SampleReaderTest {

    static byte[] event(String type, Object data) {
        return WenzhenEvents.serialize(WenzhenEvents.create(type, "/media-gateway/gw", "1/s", data));
    }

    @Test
    void readsAClientReportAsTheSdkSendsIt() {
        Map<String, Object> stats = Map.of("video", Map.of("videoBitrate", 812.5, "videoFPS", 15, "frameWidth", 640, "frameHeight", 480,
                "videoPacketsLostRate", 0.02, "freezeCount", 2, "totalFreezesDuration", 0.75),
                "audio", Map.of("audioBitrate", 31.5, "audioPacketsLostRate", 0, "audioJitter", 0.012), "currentRoundTripTime", 44);
        Sample sample = SampleReader.read(event(SampleReader.CLIENT_TYPE, Map.of("appId", 7, "roomId", "r", "userId", "patient_1",
                "sessionId", "s", "streamId", "doctor_cam", "direction", "play", "stats", stats, "receivedAt", "2026-11-25T10:00:00Z")));
        assertEquals(Sample.Side.PLAY, sample.side());
        assertEquals(Sample.Source.CLIENT, sample.source());
        assertEquals("patient_1", sample.userId());
        assertEquals(Instant.parse("2026-11-25T10:00:00Z").toEpochMilli(), sample.atMillis());
        assertEquals(812.5, sample.videoKbps());
        assertEquals(640, sample.width());
        assertEquals(0.02, sample.videoLoss());
        assertEquals(12, sample.jitterMs(), 1e-9, "seconds in getStats, milliseconds here");
        assertEquals(44, sample.rttMs());
        assertEquals(750, sample.freezeMs(), 1e-9);
        assertEquals("doctor_cam", sample.streamId());
    }

    @Test
    void readsTheGatewaysOwnView() {
        ServerSample data = new ServerSample(7, "r", "doctor_cam", "doctor_7", "publish", "gw", Instant.parse("2026-11-25T10:00:00Z"), 3,
                new ServerSample.Media(270, 900, 0.01, 4.0, 30.0, 1L, 400.0), new ServerSample.Media(150, 32, 0.0, 3.0, null, null, null),
                null, 3, 2, 1);
        Sample sample = SampleReader.read(event(ServerSample.TYPE, data));
        assertEquals(Sample.Source.SERVER, sample.source());
        assertEquals(Sample.Side.PUBLISH, sample.side());
        assertEquals(30, sample.fps());
        assertEquals(3.0, sample.jitterMs(), "the audio's jitter where known");
        assertTrue(Double.isNaN(sample.rttMs()), "a publisher's RTT is not known to the gateway");
        assertEquals(400, sample.freezeMs());
    }

    @Test
    void refusesWhatIsNotASample() {
        Map<String, Object> valid = Map.of("appId", 7, "roomId", "r", "userId", "u", "streamId", "s", "direction", "play",
                "stats", Map.of(), "receivedAt", "2026-11-25T10:00:00Z");
        assertThrows(IllegalArgumentException.class, () -> SampleReader.read("{".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IllegalArgumentException.class, () -> SampleReader.read("[]".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IllegalArgumentException.class, () -> SampleReader.read(event("wenzhen.room.room-created.v1", valid)));
        for (String field : valid.keySet()) {
            if (field.equals("stats")) {
                continue;
            }
            Map<String, Object> missing = new java.util.HashMap<>(valid);
            missing.remove(field);
            assertThrows(IllegalArgumentException.class, () -> SampleReader.read(event(SampleReader.CLIENT_TYPE, missing)), field);
        }
        Map<String, Object> badSide = new java.util.HashMap<>(valid);
        badSide.put("direction", "sideways");
        assertThrows(IllegalArgumentException.class, () -> SampleReader.read(event(SampleReader.CLIENT_TYPE, badSide)));
        Map<String, Object> badTime = new java.util.HashMap<>(valid);
        badTime.put("receivedAt", "yesterday");
        assertThrows(IllegalArgumentException.class, () -> SampleReader.read(event(SampleReader.CLIENT_TYPE, badTime)));
        Map<String, Object> badApp = new java.util.HashMap<>(valid);
        badApp.put("appId", -1);
        assertThrows(IllegalArgumentException.class, () -> SampleReader.read(event(SampleReader.CLIENT_TYPE, badApp)));
    }

    @Test
    void impossibleFiguresReadAsUnknown() {
        Map<String, Object> stats = Map.of("video", Map.of("videoBitrate", -5, "videoPacketsLostRate", 7, "frameWidth", 1_000_000),
                "audio", Map.of("audioBitrate", "loud"));
        Sample sample = SampleReader.read(event(SampleReader.CLIENT_TYPE, Map.of("appId", 7, "roomId", "r", "userId", "u",
                "streamId", "s", "direction", "publish", "stats", stats, "receivedAt", "2026-11-25T10:00:00Z")));
        assertTrue(Double.isNaN(sample.videoKbps()));
        assertTrue(Double.isNaN(sample.audioKbps()));
        assertEquals(1.0, sample.videoLoss(), "a loss fraction is at most 1");
        assertEquals(0, sample.width(), "an impossible size is unknown");
    }
}
