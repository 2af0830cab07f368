package io.wenzhen.quality.streams;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
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
 * Stage one, keyed by stream (appId/streamId, as quality-samples is; its state by participant): each sample updates its
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
    private KeyValueStore<String, ParticipantState> store;
    private DecodedStore<ParticipantState> states;
    private final Counter rejected;
    private final Counter clientSamples;
    private final Counter serverSamples;
    private final DistributionSummary audioMos;
    private final DistributionSummary videoMos;
    private static final StringSerializer STRINGS =
            new StringSerializer();
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
        this.rejected = metrics.counter("wenzhen.quality.samples.rejected");
        this.clientSamples = metrics.counter("wenzhen.quality.samples", "source", "client");
        this.serverSamples = metrics.counter("wenzhen.quality.samples", "source", "server");
        this.audioMos = metrics.summary("wenzhen.quality.window.mos", "media", "audio");
        this.videoMos = metrics.summary("wenzhen.quality.window.mos", "media", "video");
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
        this.states = new DecodedStore<>(store);
        this.startedWall = context.currentSystemTimeMs();
        context.schedule(Duration.ofMillis(settings.tickMillis()), PunctuationType.WALL_CLOCK_TIME, this::tick);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        Sample sample;
        try {
            sample = SampleReader.read(record.value());
        } catch (RuntimeException e) {
            // a malformed sample costs nothing but itself
            rejected.increment();
            LOG.debugf("sample refused: %s", e.getMessage());
            return;
        }
        (sample.source() == Sample.Source.CLIENT ? clientSamples : serverSamples).increment();
        String key = ParticipantState.key(sample.appId(), sample.streamId(), sample.side(), sample.userId());
        ParticipantState state = states.get(key);
        if (state == null) {
            state = new ParticipantState();
            state.appId = sample.appId();
            state.streamId = sample.streamId();
            state.window = new ParticipantWindow(sample.userId(), sample.side());
        }
        state.roomId = sample.roomId();
        if (sample.side() == Sample.Side.PUBLISH) {
            state.publisherUserId = sample.userId();
        } else if (state.publisherUserId == null) {
            state.publisherUserId = publisherOf(sample);
        }
        ParticipantWindow participant = state.window;
        long wall = context.currentSystemTimeMs();
        for (Bucket bucket : participant.add(sample, settings.bucketMillis(), Math.max(settings.windowMillis(), settings.bucketMillis()),
                wall)) {
            sendWindow(state, bucket, false);
        }
        Metrics current = participant.current(settings.windowMillis());
        for (AlertRule rule : settings.rules()) {
            AlertTracker tracker = participant.alerts.get(rule.name());
            double value = current.value(rule.metric());
            if (tracker == null) {
                if (!rule.breached(value)) {
                    continue; // quiet rules keep no state
                }
                tracker = new AlertTracker();
                participant.alerts.put(rule.name(), tracker);
            }
            switch (tracker.update(rule, value, sample.atMillis())) {
                case RAISED -> sendAlert(state, rule, tracker, QualityAlert.RAISED, value, current, sample.atMillis());
                case RECOVERED -> {
                    sendAlert(state, rule, tracker, QualityAlert.RECOVERED, value, current, sample.atMillis());
                    tracker.reset();
                }
                case NONE -> {
                }
            }
            if (!tracker.open() && tracker.breachSince < 0) {
                participant.alerts.remove(rule.name());
            }
        }
        state.dirty = true;
        states.put(key, state);
    }

    /** A player's sample before its publisher is known: the stream's publisher participant, if there is one yet. */
    private String publisherOf(Sample sample) {
        try (KeyValueIterator<String, ParticipantState> others = store.prefixScan(
                ParticipantState.streamPrefix(sample.appId(), sample.streamId()) + "publish:", STRINGS)) {
            return others.hasNext() ? others.next().value.publisherUserId : null;
        }
    }

    /** Live status of the streams that changed; last windows and alert ends of participants gone quiet. */
    private void tick(long wall) {
        Map<String, List<KeyValue<String, ParticipantState>>> byStream = new LinkedHashMap<>();
        try (KeyValueIterator<String, ParticipantState> iterator = store.all()) {
            while (iterator.hasNext()) {
                KeyValue<String, ParticipantState> entry = iterator.next();
                entry = KeyValue.pair(entry.key, states.decodedOr(entry.key, entry.value)); // the same content, decoded and kept
                byStream.computeIfAbsent(ParticipantState.streamPrefix(entry.value.appId, entry.value.streamId), k -> new ArrayList<>())
                        .add(entry);
            }
        }
        for (Map.Entry<String, List<KeyValue<String, ParticipantState>>> stream : byStream.entrySet()) {
            boolean changed = false;
            List<ParticipantState> live = new ArrayList<>();
            for (KeyValue<String, ParticipantState> entry : stream.getValue()) {
                ParticipantState state = entry.value;
                changed |= state.dirty;
                if (wall - Math.max(startedWall, state.window.lastArrivalWall) > settings.idleMillis()) {
                    end(state);
                    states.delete(entry.key);
                    changed = true;
                } else {
                    live.add(state);
                    if (state.dirty) {
                        // not written back: a whole state's encoding and changelog record every tick only to clear a flag
                        state.dirty = false;
                        states.keep(entry.key, state);
                    }
                }
            }
            if (changed) {
                ParticipantState any = stream.getValue().get(0).value;
                sendStatus(any, live, wall);
            }
        }
    }

    /** A participant gone quiet: its last window, and the end of its open alerts. */
    private void end(ParticipantState state) {
        ParticipantWindow participant = state.window;
        sendWindow(state, participant.flush(settings.bucketMillis()), true);
        Metrics current = participant.current(settings.windowMillis());
        for (AlertRule rule : settings.rules()) {
            AlertTracker tracker = participant.alerts.get(rule.name());
            if (tracker != null && tracker.open()) {
                sendAlert(state, rule, tracker, QualityAlert.ENDED, current.value(rule.metric()), current, participant.latestMillis());
            }
        }
    }

    /** A closed window to the consultation stage; the last one may be empty (null: nothing since the previous). */
    private void sendWindow(ParticipantState state, Bucket bucket, boolean last) {
        ParticipantWindow participant = state.window;
        if (bucket == null) {
            long at = Math.max(0, participant.latestMillis());
            bucket = new Bucket(at, at, 0, Metrics.EMPTY);
        }
        Figures figures = Figures.of(bucket.metrics());
        WindowSummary summary = new WindowSummary(state.appId, state.roomId, state.streamId, participant.userId,
                state.publisherUserId, side(participant), Instant.ofEpochMilli(bucket.startMillis()),
                Instant.ofEpochMilli(bucket.endMillis()), bucket.samplesAdded(), last, figures);
        if (!Double.isNaN(bucket.metrics().audioMos())) {
            audioMos.record(bucket.metrics().audioMos());
        }
        if (!Double.isNaN(bucket.metrics().videoMos())) {
            videoMos.record(bucket.metrics().videoMos());
        }
        context.forward(Emitted.record(state.appId + "/" + state.roomId, WindowSummary.TYPE, summary, bucket.endMillis()), TO_WINDOWS);
    }

    private void sendAlert(ParticipantState state, AlertRule rule, AlertTracker tracker, String what, double value, Metrics current,
            long atMillis) {
        ParticipantWindow participant = state.window;
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

    private void sendStatus(ParticipantState stream, List<ParticipantState> live, long wall) {
        List<StreamStatus.Participant> participants = new ArrayList<>();
        int worst = Grade.UNKNOWN.level();
        String publisher = stream.publisherUserId;
        for (ParticipantState state : live) {
            ParticipantWindow participant = state.window;
            publisher = publisher != null ? publisher : state.publisherUserId;
            Metrics current = participant.current(settings.windowMillis());
            List<String> open = participant.alerts.entrySet().stream().filter(e -> e.getValue().open()).map(Map.Entry::getKey)
                    .sorted().toList();
            participants.add(new StreamStatus.Participant(participant.userId, side(participant), Figures.of(current), open));
            if (current.grade() != Grade.UNKNOWN) {
                worst = worst == Grade.UNKNOWN.level() ? current.grade().level() : Math.max(worst, current.grade().level());
            }
        }
        StreamStatus status = new StreamStatus(stream.appId, stream.roomId, stream.streamId, publisher, Instant.ofEpochMilli(wall),
                live.isEmpty(), worst, participants);
        context.forward(Emitted.record(stream.appId + "/" + stream.streamId, StreamStatus.TYPE, status, wall), TO_STATUS);
    }

    private static String side(ParticipantWindow participant) {
        return participant.side.name().toLowerCase(Locale.ROOT);
    }
}
