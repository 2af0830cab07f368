package io.wenzhen.quality.streams;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.wenzhen.quality.analytics.AlertRule;
import io.wenzhen.quality.analytics.AlertTracker;
import io.wenzhen.quality.analytics.Bucket;
import io.wenzhen.quality.analytics.Grade;
import io.wenzhen.quality.analytics.Metrics;
import io.wenzhen.quality.analytics.ParticipantWindow;
import io.wenzhen.quality.analytics.Sample;
import io.wenzhen.quality.events.Figures;
import io.wenzhen.quality.events.QualityAlert;
import io.wenzhen.quality.events.StreamStatus;
import io.wenzhen.quality.events.WindowSummary;
import io.wenzhen.quality.ingest.SampleReader;

/**
 * Stage one, keyed by stream (appId/streamId, as quality-samples is): each sample updates its
 * participant's sliding window, is checked against the alert rules (raise and recovery go to
 * quality-alerts), and fills the participant's 10 s bucket, whose summary goes to quality-windows for
 * the consultation stage. Every tick (wall clock) the streams that changed send their live status, and
 * participants gone quiet close their last bucket and end their open alerts.
 */
final class StreamQualityProcessor implements Processor<String, byte[], String, byte[]> {

    private static final Logger LOG = Logger.getLogger(StreamQualityProcessor.class);

    static final String STORE = "stream-quality";
    static final String TO_ALERTS = "alerts-out";
    static final String TO_WINDOWS = "windows-out";
    static final String TO_STATUS = "status-out";

    private final Settings settings;
    private final MeterRegistry metrics;
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, StreamState> store;
    /**
     * When this task started here: participants restored from the changelog (the task moved from a
     * replica that stopped) get a whole idle period from now, not from their last sample's arrival
     * elsewhere, so the samples waiting for the task are counted before their last window closes.
     */
    private long startedWall;

    /** The analytics' settings, as the topology was built with them. */
    record Settings(long windowMillis, long bucketMillis, long idleMillis, long tickMillis, List<AlertRule> rules) {
    }

    StreamQualityProcessor(Settings settings, MeterRegistry metrics) {
        this.settings = settings;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
        this.startedWall = context.currentSystemTimeMs();
        context.schedule(java.time.Duration.ofMillis(settings.tickMillis()), PunctuationType.WALL_CLOCK_TIME, this::tick);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        Sample sample;
        try {
            sample = SampleReader.read(record.value());
        } catch (RuntimeException e) {
            // a malformed sample costs nothing but itself
            metrics.counter("wenzhen.quality.samples.rejected").increment();
            LOG.debugf("sample refused: %s", e.getMessage());
            return;
        }
        metrics.counter("wenzhen.quality.samples", "source", sample.source().name().toLowerCase(java.util.Locale.ROOT)).increment();
        String key = sample.streamKey();
        StreamState state = store.get(key);
        if (state == null) {
            state = new StreamState();
            state.appId = sample.appId();
            state.streamId = sample.streamId();
        }
        state.roomId = sample.roomId();
        if (sample.side() == Sample.Side.PUBLISH) {
            state.publisherUserId = sample.userId();
        }
        ParticipantWindow participant = state.participants.computeIfAbsent(StreamState.participantKey(sample.side(), sample.userId()),
                k -> new ParticipantWindow(sample.userId(), sample.side()));
        long wall = context.currentSystemTimeMs();
        for (Bucket bucket : participant.add(sample, settings.bucketMillis(), Math.max(settings.windowMillis(), settings.bucketMillis()),
                wall)) {
            sendWindow(state, participant, bucket, false);
        }
        Metrics current = participant.current(settings.windowMillis());
        for (AlertRule rule : settings.rules()) {
            AlertTracker tracker = participant.alerts.computeIfAbsent(rule.name(), n -> new AlertTracker());
            double value = current.value(rule.metric());
            switch (tracker.update(rule, value, sample.atMillis())) {
                case RAISED -> sendAlert(state, participant, rule, tracker, QualityAlert.RAISED, value, current, sample.atMillis());
                case RECOVERED -> {
                    sendAlert(state, participant, rule, tracker, QualityAlert.RECOVERED, value, current, sample.atMillis());
                    tracker.reset();
                }
                case NONE -> {
                }
            }
            if (!tracker.open() && tracker.breachSince < 0) {
                participant.alerts.remove(rule.name()); // quiet trackers are not kept
            }
        }
        state.dirty = true;
        store.put(key, state);
    }

    /** Live status of what changed; last windows and alert ends of participants gone quiet. */
    private void tick(long wall) {
        List<KeyValue<String, StreamState>> all = new ArrayList<>();
        try (KeyValueIterator<String, StreamState> iterator = store.all()) {
            iterator.forEachRemaining(all::add);
        }
        for (KeyValue<String, StreamState> entry : all) {
            StreamState state = entry.value;
            boolean changed = state.dirty;
            var quiet = state.participants.entrySet().stream()
                    .filter(p -> wall - Math.max(startedWall, p.getValue().lastArrivalWall) > settings.idleMillis())
                    .map(Map.Entry::getKey).toList();
            for (String participantKey : quiet) {
                ParticipantWindow participant = state.participants.remove(participantKey);
                Bucket last = participant.flush(settings.bucketMillis());
                sendWindow(state, participant, last, true);
                Metrics current = participant.current(settings.windowMillis());
                for (AlertRule rule : settings.rules()) {
                    AlertTracker tracker = participant.alerts.get(rule.name());
                    if (tracker != null && tracker.open()) {
                        sendAlert(state, participant, rule, tracker, QualityAlert.ENDED, current.value(rule.metric()), current,
                                participant.latestMillis());
                    }
                }
                changed = true;
            }
            boolean ended = state.participants.isEmpty();
            if (changed) {
                sendStatus(entry.key, state, ended, wall);
            }
            if (ended) {
                store.delete(entry.key);
            } else if (changed) {
                state.dirty = false;
                store.put(entry.key, state);
            }
        }
    }

    /** A closed window to the consultation stage; the last one may be empty (null: nothing since the previous). */
    private void sendWindow(StreamState state, ParticipantWindow participant, Bucket bucket, boolean last) {
        if (bucket == null) {
            long at = Math.max(0, participant.latestMillis());
            bucket = new Bucket(at, at, 0, Metrics.EMPTY);
        }
        Figures figures = Figures.of(bucket.metrics());
        WindowSummary summary = new WindowSummary(state.appId, state.roomId, state.streamId, participant.userId,
                state.publisherUserId, side(participant), Instant.ofEpochMilli(bucket.startMillis()),
                Instant.ofEpochMilli(bucket.endMillis()), bucket.samplesAdded(), last, figures);
        if (!Double.isNaN(bucket.metrics().audioMos())) {
            metrics.summary("wenzhen.quality.window.mos", "media", "audio").record(bucket.metrics().audioMos());
        }
        if (!Double.isNaN(bucket.metrics().videoMos())) {
            metrics.summary("wenzhen.quality.window.mos", "media", "video").record(bucket.metrics().videoMos());
        }
        context.forward(Emitted.record(state.appId + "/" + state.roomId, WindowSummary.TYPE, summary, bucket.endMillis()), TO_WINDOWS);
    }

    private void sendAlert(StreamState state, ParticipantWindow participant, AlertRule rule, AlertTracker tracker, String what,
            double value, Metrics current, long atMillis) {
        String alertId = state.appId + "/" + state.streamId + "/" + side(participant) + ":" + participant.userId + "/" + rule.name()
                + "/" + tracker.raisedAt;
        QualityAlert alert = new QualityAlert(alertId, what, state.appId, state.roomId, state.streamId, participant.userId,
                state.publisherUserId, side(participant), rule.name(), rule.metric(), rule.above() ? "above" : "below",
                rule.threshold(), Figures.known(value, 4), Figures.known(tracker.worst, 4), Instant.ofEpochMilli(tracker.breachSince),
                Instant.ofEpochMilli(tracker.raisedAt), Instant.ofEpochMilli(atMillis), Figures.of(current));
        metrics.counter("wenzhen.quality.alerts", "rule", rule.name(), "state", what).increment();
        context.forward(Emitted.record(alertId + "/" + what, state.appId + "/" + state.roomId, QualityAlert.TYPE, alert, atMillis),
                TO_ALERTS);
    }

    private void sendStatus(String key, StreamState state, boolean ended, long wall) {
        List<StreamStatus.Participant> participants = new ArrayList<>();
        int worst = Grade.UNKNOWN.level();
        for (ParticipantWindow participant : state.participants.values()) {
            Metrics current = participant.current(settings.windowMillis());
            List<String> open = participant.alerts.entrySet().stream().filter(e -> e.getValue().open()).map(Map.Entry::getKey)
                    .sorted().toList();
            participants.add(new StreamStatus.Participant(participant.userId, side(participant), Figures.of(current), open));
            if (current.grade() != Grade.UNKNOWN) {
                worst = worst == Grade.UNKNOWN.level() ? current.grade().level() : Math.max(worst, current.grade().level());
            }
        }
        StreamStatus status = new StreamStatus(state.appId, state.roomId, state.streamId, state.publisherUserId,
                Instant.ofEpochMilli(wall), ended, worst, participants);
        context.forward(Emitted.record(key, StreamStatus.TYPE, status, wall), TO_STATUS);
    }

    private static String side(ParticipantWindow participant) {
        return participant.side.name().toLowerCase(java.util.Locale.ROOT);
    }
}
