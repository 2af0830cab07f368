package io.wenzhen.quality.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.wenzhen.events.WenzhenEvents;
import io.wenzhen.events.quality.ClientSample;
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
        Sample sample = SampleReader.read(event(ClientSample.TYPE, Map.of("appId", 7, "roomId", "r", "userId", "patient_1",
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
            Map<String, Object> missing = new HashMap<>(valid);
            missing.remove(field);
            assertThrows(IllegalArgumentException.class, () -> SampleReader.read(event(ClientSample.TYPE, missing)), field);
        }
        Map<String, Object> badSide = new HashMap<>(valid);
        badSide.put("direction", "sideways");
        assertThrows(IllegalArgumentException.class, () -> SampleReader.read(event(ClientSample.TYPE, badSide)));
        Map<String, Object> badTime = new HashMap<>(valid);
        badTime.put("receivedAt", "yesterday");
        assertThrows(IllegalArgumentException.class, () -> SampleReader.read(event(ClientSample.TYPE, badTime)));
        Map<String, Object> badApp = new HashMap<>(valid);
        badApp.put("appId", -1);
        assertThrows(IllegalArgumentException.class, () -> SampleReader.read(event(ClientSample.TYPE, badApp)));
    }

    @Test
    void impossibleFiguresReadAsUnknown() {
        Map<String, Object> stats = Map.of("video", Map.of("videoBitrate", -5, "videoPacketsLostRate", 7, "frameWidth", 1_000_000),
                "audio", Map.of("audioBitrate", "loud"));
        Sample sample = SampleReader.read(event(ClientSample.TYPE, Map.of("appId", 7, "roomId", "r", "userId", "u",
                "streamId", "s", "direction", "publish", "stats", stats, "receivedAt", "2026-11-25T10:00:00Z")));
        assertTrue(Double.isNaN(sample.videoKbps()));
        assertTrue(Double.isNaN(sample.audioKbps()));
        assertEquals(1.0, sample.videoLoss(), "a loss fraction is at most 1");
        assertEquals(0, sample.width(), "an impossible size is unknown");
    }

    private static final String CLIENT_DATA = "{\"appId\":7,\"roomId\":\"诊室\",\"userId\":\"u\",\"streamId\":\"s\",\"direction\":\"play\","
            + "\"receivedAt\":\"2026-11-25T10:00:00.250Z\",\"stats\":{\"video\":{\"videoBitrate\":800,\"frameWidth\":640},"
            + "\"audio\":{\"audioJitter\":0.02},\"currentRoundTripTime\":40}}";

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theDataMayComeBeforeItsType() {
        Sample sample = SampleReader.read(json("{\"data\":" + CLIENT_DATA + ",\"specversion\":\"1.0\",\"id\":\"a\",\"source\":\"/gw\","
                + "\"type\":\"" + ClientSample.TYPE + "\"}"));
        assertEquals("诊室", sample.roomId());
        assertEquals(800, sample.videoKbps());
        assertEquals(20, sample.jitterMs(), 1e-9);
        assertEquals(Instant.parse("2026-11-25T10:00:00.250Z").toEpochMilli(), sample.atMillis());
    }

    @Test
    void whatAClientAddsToItsStatsIsSkipped() {
        String data = "{\"appId\":7.0,\"extra\":{\"video\":{\"videoBitrate\":1}},\"roomId\":\"r\",\"userId\":\"u\",\"streamId\":\"s\","
                + "\"direction\":\"publish\",\"receivedAt\":\"2026-11-25T10:00:00Z\",\"stats\":{\"codecs\":[{\"video\":{}}],"
                + "\"video\":{\"videoBitrate\":\"fast\",\"videoFPS\":[30],\"nested\":{\"deep\":[1,[2,{\"x\":3}]]},\"videoFPS\":24},"
                + "\"audio\":7,\"currentRoundTripTime\":null}}";
        Sample sample = SampleReader.read(json(envelope(ClientSample.TYPE, data)));
        assertEquals(7, sample.appId(), "a whole number written as 7.0");
        assertTrue(Double.isNaN(sample.videoKbps()), "a figure that is not a number is unknown");
        assertEquals(24, sample.fps(), "the later of a name given twice");
        assertTrue(Double.isNaN(sample.audioKbps()), "audio that is not an object");
        assertTrue(Double.isNaN(sample.rttMs()));
    }

    @Test
    void aServerSampleWithoutAudioJitterTakesTheVideos() {
        String data = "{\"appId\":7,\"roomId\":\"r\",\"userId\":\"u\",\"streamId\":\"s\",\"side\":\"play\",\"measuredAt\":\"2026-11-25T10:00:00Z\","
                + "\"rttMs\":12,\"video\":{\"kbps\":500,\"jitterMs\":9,\"fps\":25,\"freezes\":2,\"freezeMs\":300},\"audio\":{\"kbps\":30,\"fps\":99}}";
        Sample sample = SampleReader.read(json(envelope(ServerSample.TYPE, data)));
        assertEquals(9, sample.jitterMs());
        assertEquals(25, sample.fps(), "an fps under audio is not the video's");
        assertEquals(30, sample.audioKbps());
        assertEquals(12, sample.rttMs());
        assertEquals(0, sample.width());
        assertEquals(2, sample.freezes());
    }

    @Test
    void theEnvelopeIsCheckedAsEveryEventsIs() {
        String type = ClientSample.TYPE;
        for (String bad : new String[] {"", "null", "\"text\"", "{\"specversion\":\"0.3\",\"id\":\"a\",\"source\":\"/s\",\"type\":\"" + type + "\",\"data\":" + CLIENT_DATA + "}",
            "{\"specversion\":\"1.0\",\"source\":\"/s\",\"type\":\"" + type + "\",\"data\":" + CLIENT_DATA + "}",
            "{\"specversion\":\"1.0\",\"id\":\"a\",\"source\":{\"x\":1},\"type\":\"" + type + "\",\"data\":" + CLIENT_DATA + "}",
            "{\"specversion\":\"1.0\",\"id\":\"a\",\"source\":\"/s\",\"type\":\"" + type + "\"}",
            "{\"specversion\":\"1.0\",\"id\":\"a\",\"source\":\"/s\",\"type\":\"" + type + "\",\"data\":\"text\"}",
            "{\"specversion\":\"1.0\",\"id\":\"a\",\"source\":\"/s\",\"type\":\"" + type + "\",\"data\":[1]}",
            "{\"specversion\":\"1.0\",\"id\":\"a\",\"source\":\"/s\",\"type\":\"" + type + "\",\"time\":\"yesterday\",\"data\":" + CLIENT_DATA + "}",
            "{\"specversion\":\"1.0\",\"id\":\"a\",\"source\":\"/s\",\"type\":\"wenzhen.room.room-created.v1\",\"data\":" + CLIENT_DATA + "}",
            envelope(type, CLIENT_DATA.replace("\"appId\":7", "\"appId\":\"7\"")),
            envelope(type, CLIENT_DATA.replace("\"appId\":7", "\"appId\":99999999999999999999999")),
            envelope(type, CLIENT_DATA.replace("\"appId\":7", "\"appId\":4294967296")),
            envelope(type, CLIENT_DATA.replace("2026-11-25T10:00:00.250Z", "2026-11-31T10:00:00Z")),
            envelope(type, CLIENT_DATA.replace("\"roomId\":\"诊室\"", "\"roomId\":\"" + "r".repeat(257) + "\"")),
            envelope(type, CLIENT_DATA) + "{", envelope(type, CLIENT_DATA).substring(0, 60)}) {
            assertThrows(IllegalArgumentException.class, () -> SampleReader.read(json(bad)), bad);
        }
        assertEquals(7, SampleReader.read(json(envelope(type, CLIENT_DATA).replace("\"time\":\"2026-11-25T10:00:01Z\"", "\"time\":null"))).appId());
    }

    @Test
    void anyChangeToAnEventReadsOrIsRefusedNeverAnotherFailure() {
        byte[] valid = json(envelope(ClientSample.TYPE, CLIENT_DATA));
        SplittableRandom random = new SplittableRandom(5);
        byte[] alphabet = json("{}[]\":,.-+eE0123456789 tfnu\\\u00e8");
        int read = 0;
        for (int i = 0; i < 10_000; i++) {
            byte[] changed = valid.clone();
            for (int n = 1 + random.nextInt(3); n > 0; n--) {
                changed[random.nextInt(changed.length)] = random.nextBoolean() ? alphabet[random.nextInt(alphabet.length)]
                        : (byte) random.nextInt(256);
            }
            try {
                SampleReader.read(changed);
                read++;
            } catch (IllegalArgumentException refused) {
                // a clear refusal is what bad input gets
            }
        }
        assertTrue(read > 0 && read < 10_000, "some changes still read, most do not: " + read);
    }

    private static String envelope(String type, String data) {
        return "{\"specversion\":\"1.0\",\"id\":\"a\",\"source\":\"/gw\",\"type\":\"" + type + "\",\"time\":\"2026-11-25T10:00:01Z\",\"data\":"
                + data + "}";
    }
}
