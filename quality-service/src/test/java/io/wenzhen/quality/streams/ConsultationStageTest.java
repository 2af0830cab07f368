package io.wenzhen.quality.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.wenzhen.events.Topics;
import io.wenzhen.events.WenzhenEvents;
import io.wenzhen.events.room.RoomEvent;
import io.wenzhen.quality.config.QualityConfig;
import io.wenzhen.quality.events.QualityReport;
import io.wenzhen.quality.events.WindowSummary;
import io.wenzhen.testing.EventSchemas;
import io.wenzhen.testing.QualityFeed;

/**
 * The consultation stage's paths through the whole topology, on Kafka Streams' own test driver (its
 * real processors and stores, a wall clock the test moves): a report after the last windows and the
 * grace, the most a report waits, a room opened again within the grace, a consultation whose close
 * never came (the room opened again, or silence past the expiry), and windows of a room no one opened.
 * QualityPipelineTest and QualityFailoverTest run the same topology on a real broker.
 */
class ConsultationStageTest {

    static final long APP = 4711;
    static final String ROOM = "stage-room";
    static final String KEY = APP + "/" + ROOM;
    static final Duration IDLE = Duration.ofSeconds(10);
    static final Duration GRACE = Duration.ofSeconds(20);
    static final Duration MAX_WAIT = Duration.ofSeconds(60);
    static final Duration EXPIRY = Duration.ofHours(1);
    static final Duration TICK = Duration.ofSeconds(2);

    final Instant t0 = Instant.parse("2026-12-01T09:00:00Z");
    SimpleMeterRegistry metrics;
    TopologyTestDriver driver;
    QualityFeed feed;
    TestOutputTopic<String, byte[]> reports;
    long seq;
    long elapsed;

    @BeforeEach
    void start() {
        metrics = new SimpleMeterRegistry();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "consultation-stage-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(new QualityTopology().topology(config(), metrics), props, t0);
        Map<String, TestInputTopic<String, byte[]>> inputs = Map.of(
                Topics.ROOM_EVENTS, driver.createInputTopic(Topics.ROOM_EVENTS, new StringSerializer(), new ByteArraySerializer()),
                Topics.QUALITY_SAMPLES, driver.createInputTopic(Topics.QUALITY_SAMPLES, new StringSerializer(), new ByteArraySerializer()),
                Topics.QUALITY_WINDOWS, driver.createInputTopic(Topics.QUALITY_WINDOWS, new StringSerializer(), new ByteArraySerializer()));
        // record time: the driver's wall clock, as a broker would stamp them
        feed = new QualityFeed((topic, key, value) -> inputs.get(topic).pipeInput(key, value, now()));
        reports = driver.createOutputTopic(Topics.QUALITY_REPORTS, new StringDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void aClosedRoomsReportWaitsForTheGraceAndEveryLastWindowAndCountsEverySample() {
        String consultation = open(t0);
        talk(ROOM, 20, 0); // 60 s of samples, wall clock with them
        leaveAndClose(consultation, now());
        Instant closedAt = now();

        advance(Duration.ofSeconds(12)); // the participants' last windows are out, the grace is not over
        assertTrue(reports.isEmpty(), "no report within the grace");
        advance(GRACE);
        QualityReport report = onlyReport();
        assertEquals(consultation, report.consultationId());
        assertEquals(QualityReport.ROOM_CLOSED, report.ending());
        assertTrue(report.complete());
        assertEquals(closedAt, report.endedAt());
        assertEquals(Duration.between(t0, closedAt).toSeconds(), report.durationSeconds());
        assertEquals(40, samples(report, "doctor_7", "publish"), "client and gateway samples of 20 rounds, each once");
        assertEquals(40, samples(report, "patient_1", "play"));
        assertEquals(2, report.participants().size());
        assertEquals(0, count("wenzhen.quality.reports.incomplete"));

        advance(GRACE.plus(TICK));
        assertNull(consultations().get(KEY), "the reported consultation is forgotten a grace period later");
        assertEquals(0, participantFigures().approximateNumEntries());
    }

    @Test
    void aReportWaitsForTheLastWindowsAtMostTheMaximumWait() {
        String consultation = open(t0);
        talk(ROOM, 5, 0);
        leaveAndClose(consultation, now());
        // the patient's player goes on reporting (a gateway's session not ended yet): its last window never comes
        for (int i = 0; i < 25; i++) {
            feed.clientSample(APP, ROOM, "doctor_cam", "patient_1", "play", now(), 800, 0, 30);
            advance(Duration.ofSeconds(3));
            if (i < 18) {
                assertTrue(reports.isEmpty(), "still waiting " + (i + 1) * 3 + " s after the close");
            }
        }
        QualityReport report = onlyReport();
        assertFalse(report.complete(), "sent without the player's last window");
        assertEquals(QualityReport.ROOM_CLOSED, report.ending());
        assertEquals(1, count("wenzhen.quality.reports.incomplete"));
    }

    @Test
    void aRoomOpenedAgainWithinTheGraceSendsTheFirstReportAtOnceAndKeepsTheFiguresApart() {
        String first = open(t0);
        talk(ROOM, 5, 0);
        leaveAndClose(first, now());
        advance(IDLE.plus(TICK)); // the participants' last windows are in, the grace (20 s) is not over
        assertTrue(reports.isEmpty());
        String second = open(now());
        QualityReport report = onlyReport();
        assertEquals(first, report.consultationId(), "the first report, before its grace ran out");
        assertEquals(10, samples(report, "doctor_7", "publish"));

        talk(ROOM, 4, 0);
        // a repeat of the first consultation's close, come late, neither ends the second nor reports the first again
        feed.roomEvent(RoomEvent.ROOM_CLOSED, APP, ROOM, first, 1, null, null, null, t0.plusSeconds(20));
        assertTrue(reports.isEmpty());
        assertEquals(second, consultations().get(KEY).consultationId);
        leaveAndClose(second, now());
        advance(IDLE.plus(GRACE).plus(TICK));
        QualityReport next = onlyReport();
        assertEquals(second, next.consultationId());
        assertEquals(8, samples(next, "doctor_7", "publish"), "none of the first consultation's samples");
    }

    @Test
    void aConsultationWhoseCloseNeverCameIsReportedUnclosedWhenItsRoomOpensAgain() {
        String lost = open(t0);
        talk(ROOM, 5, 0);
        advance(IDLE.plus(TICK)); // everyone's last window; room-closed lost
        Instant lastNews = lastWindowEnd();
        String next = open(now());
        QualityReport report = onlyReport();
        assertEquals(lost, report.consultationId());
        assertEquals(QualityReport.UNCLOSED, report.ending());
        assertTrue(report.complete(), "every participant had sent its last window");
        assertEquals(lastNews, report.endedAt(), "ended with its last news");
        assertEquals(10, samples(report, "doctor_7", "publish"));
        assertEquals(1, count("wenzhen.quality.reports.unclosed"));
        assertEquals(next, consultations().get(KEY).consultationId);
    }

    @Test
    void aConsultationSilentPastTheExpiryIsReportedUnclosedAndForgotten() {
        String silent = open(t0);
        talk(ROOM, 5, 0);
        advance(IDLE.plus(TICK));
        Instant lastNews = lastWindowEnd();

        advance(EXPIRY.minusMinutes(2));
        assertTrue(reports.isEmpty(), "not before the expiry");
        advance(Duration.ofMinutes(3));
        QualityReport report = onlyReport();
        assertEquals(silent, report.consultationId());
        assertEquals(QualityReport.UNCLOSED, report.ending());
        assertEquals(lastNews, report.endedAt());
        advance(GRACE.plus(TICK));
        assertNull(consultations().get(KEY), "its state is gone");
        assertEquals(0, participantFigures().approximateNumEntries());
    }

    @Test
    void windowsOfARoomNoOneOpenedAreForgottenWithoutAReport() {
        talk("never-opened", 5, 0);
        advance(IDLE.plus(TICK));
        assertTrue(participantFigures().approximateNumEntries() > 0);
        advance(Duration.ofMillis(ConsultationProcessor.ORPHAN_MILLIS).plus(TICK));
        assertEquals(0, consultations().approximateNumEntries());
        assertEquals(0, participantFigures().approximateNumEntries());
        assertTrue(reports.isEmpty());
    }

    @Test
    void malformedAndUnknownEventsCostOnlyThemselves() {
        String consultation = open(t0);
        feed.raw(Topics.ROOM_EVENTS, KEY, "{not json");
        feed.raw(Topics.QUALITY_WINDOWS, KEY, new String(WenzhenEvents.write("w-1", WindowSummary.TYPE, "/quality-service", KEY,
                Map.of("appId", APP)), StandardCharsets.UTF_8)); // a window without its fields
        feed.raw(Topics.QUALITY_SAMPLES, APP + "/doctor_cam", "[]");
        talk(ROOM, 3, 0);
        leaveAndClose(consultation, now());
        advance(IDLE.plus(GRACE).plus(TICK));
        assertEquals(6, samples(onlyReport(), "doctor_7", "publish"));
        assertEquals(2, count("wenzhen.quality.events.rejected"));
        assertEquals(1, count("wenzhen.quality.samples.rejected"));
    }

    // --- the consultation's making

    private String open(Instant at) {
        String consultation = "c-" + (++seq) + "-" + at.toEpochMilli();
        feed.roomEvent(RoomEvent.ROOM_CREATED, APP, ROOM, consultation, ++seq, null, null, null, at);
        feed.roomEvent(RoomEvent.USER_JOINED, APP, ROOM, consultation, ++seq, "doctor_7", "s-doctor-" + consultation, null, at);
        feed.roomEvent(RoomEvent.USER_JOINED, APP, ROOM, consultation, ++seq, "patient_1", "s-patient-" + consultation, null, at);
        feed.roomEvent(RoomEvent.STREAM_ADDED, APP, ROOM, consultation, ++seq, "doctor_7", null, "doctor_cam", at);
        return consultation;
    }

    /** {@code rounds} rounds 3 s apart: the doctor's uplink and the patient's downlink, each from the client and the gateway. */
    private void talk(String room, int rounds, double loss) {
        for (int i = 0; i < rounds; i++) {
            advance(Duration.ofSeconds(3));
            Instant at = now();
            feed.clientSample(APP, room, "doctor_cam", "doctor_7", "publish", at, 800, loss, 30);
            feed.serverSample(APP, room, "doctor_cam", "doctor_7", "publish", at, 800, loss);
            feed.clientSample(APP, room, "doctor_cam", "patient_1", "play", at, 800, loss, 30);
            feed.serverSample(APP, room, "doctor_cam", "patient_1", "play", at, 800, loss);
        }
    }

    private void leaveAndClose(String consultation, Instant at) {
        feed.roomEvent(RoomEvent.STREAM_REMOVED, APP, ROOM, consultation, ++seq, "doctor_7", null, "doctor_cam", at);
        feed.roomEvent(RoomEvent.USER_LEFT, APP, ROOM, consultation, ++seq, "patient_1", "s-patient-" + consultation, null, at);
        feed.roomEvent(RoomEvent.USER_LEFT, APP, ROOM, consultation, ++seq, "doctor_7", "s-doctor-" + consultation, null, at);
        feed.roomEvent(RoomEvent.ROOM_CLOSED, APP, ROOM, consultation, ++seq, null, null, null, at);
    }

    // --- reading what came out

    private QualityReport onlyReport() {
        List<byte[]> values = new ArrayList<>(reports.readValuesToList());
        assertEquals(1, values.size(), "one report");
        EventSchemas.assertValid(values.get(0));
        return WenzhenEvents.envelope(values.get(0)).data(QualityReport.class);
    }

    private static long samples(QualityReport report, String userId, String side) {
        return report.streams().stream().flatMap(s -> s.participants().stream())
                .filter(p -> p.userId().equals(userId) && p.side().equals(side)).mapToLong(QualityReport.ParticipantReport::samples)
                .sum();
    }

    /** The end of the latest window the consultation stage was sent (its last news). */
    private Instant lastWindowEnd() {
        return Instant.ofEpochMilli(consultations().get(KEY).lastAt);
    }

    private KeyValueStore<String, ConsultationState> consultations() {
        return driver.getKeyValueStore(ConsultationProcessor.STORE);
    }

    private KeyValueStore<String, ParticipantAccumulator> participantFigures() {
        return driver.getKeyValueStore(ConsultationProcessor.PARTICIPANTS);
    }

    private double count(String name) {
        return metrics.counter(name).count();
    }

    // --- time: event time follows the driver's wall clock, as in a live call

    /** The driver's wall clock: when the test's events happen and reach the topology. */
    private Instant now() {
        return t0.plusMillis(elapsed);
    }

    private void advance(Duration by) {
        // in tick-sized steps, as a running replica's punctuations come
        for (long left = by.toMillis(); left > 0; left -= TICK.toMillis()) {
            long step = Math.min(left, TICK.toMillis());
            elapsed += step;
            driver.advanceWallClockTime(Duration.ofMillis(step));
        }
    }

    /** quality-service's own configuration mapping (its defaults, its rule checks), with the test's timing. */
    private static QualityConfig config() {
        return new SmallRyeConfigBuilder().withMapping(QualityConfig.class).withDefaultValues(Map.of(
                "wenzhen.quality.idle", IDLE.toString(),
                "wenzhen.quality.report-grace", GRACE.toString(),
                "wenzhen.quality.report-max-wait", MAX_WAIT.toString(),
                "wenzhen.quality.consultation-expiry", EXPIRY.toString(),
                "wenzhen.quality.tick", TICK.toString(),
                "wenzhen.quality.alerts.packet-loss.metric", "loss",
                "wenzhen.quality.alerts.packet-loss.above", "0.1"))
                .build().getConfigMapping(QualityConfig.class);
    }
}
