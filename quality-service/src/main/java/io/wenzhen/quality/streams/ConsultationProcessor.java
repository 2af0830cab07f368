package io.wenzhen.quality.streams;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.wenzhen.events.WenzhenEvents;
import io.wenzhen.events.room.RoomEvent;
import io.wenzhen.quality.events.QualityAlert;
import io.wenzhen.quality.events.QualityReport;
import io.wenzhen.quality.events.WindowSummary;

/**
 * Stage two, keyed by room (appId/roomId): room-events give a consultation its members, times and end;
 * quality-windows and quality-alerts fill it. Once the room has closed, and every participant seen has
 * sent its last window (at least a grace period after the close, at most a maximum wait), its report
 * goes to quality-reports; the state is dropped a grace period later. A consultation whose room-closed
 * never comes is reported as unclosed when its room opens again or after a long silence (the expiry),
 * so no consultation's figures are lost and no room's state is kept for ever.
 */
final class ConsultationProcessor implements Processor<String, byte[], String, byte[]> {

    private static final Logger LOG = Logger.getLogger(ConsultationProcessor.class);

    static final String STORE = "consultations";
    static final String PARTICIPANTS = "consultation-participants";
    static final String TO_REPORTS = "reports-out";
    /** A room that never had a room-created event (windows only) is forgotten after this long without news. */
    static final long ORPHAN_MILLIS = 600_000;

    private final Settings settings;
    private final MeterRegistry metrics;
    private final Counter rejected;
    private ProcessorContext<String, byte[]> context;
    /** Consultations, decoded once: every window reads its room's (the JSON was a large share of this stage). */
    private DecodedStore<ConsultationState> store;
    private DecodedStore<ParticipantAccumulator> participants;

    /**
     * The consultation stage's timing, as the topology was built with it.
     *
     * @param graceMillis   the least a report waits after its room closed
     * @param maxWaitMillis the most it waits for every participant's last window (a stage-one task that
     *                      cannot run, for instance)
     * @param expiryMillis  how long an open consultation may go without news before it is reported as unclosed
     * @param tickMillis    how often reports due and consultations expired are looked for (wall clock)
     */
    record Settings(long graceMillis, long maxWaitMillis, long expiryMillis, long tickMillis) {
    }

    ConsultationProcessor(Settings settings, MeterRegistry metrics) {
        this.settings = settings;
        this.metrics = metrics;
        // served from the start: dashboards plot them at 0
        metrics.counter("wenzhen.quality.reports.incomplete");
        metrics.counter("wenzhen.quality.reports.unclosed");
        this.rejected = metrics.counter("wenzhen.quality.events.rejected");
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.store = new DecodedStore<>(context.getStateStore(STORE));
        this.participants = new DecodedStore<>(context.getStateStore(PARTICIPANTS));
        context.schedule(Duration.ofMillis(settings.tickMillis()), PunctuationType.WALL_CLOCK_TIME, this::tick);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        WenzhenEvents.Envelope event;
        try {
            event = WenzhenEvents.envelope(record.value());
        } catch (IllegalArgumentException e) {
            rejected.increment();
            return;
        }
        long at = event.timeMillis() == null ? record.timestamp() : event.timeMillis();
        try {
            switch (event.type()) {
                case WindowSummary.TYPE -> window(record.key(), event.data(WindowSummary.class));
                case QualityAlert.TYPE -> alert(record.key(), event.data(QualityAlert.class));
                default -> {
                    if (event.type().startsWith("wenzhen.room.")) {
                        room(record.key(), event.type(), event.data(RoomEvent.class), at);
                    }
                }
            }
        } catch (RuntimeException e) {
            // an event missing what it needs costs nothing but itself: the stream thread must not stop on it
            rejected.increment();
            LOG.debugf("event %s refused: %s", event.id(), e.toString());
        }
    }

    private void room(String key, String type, RoomEvent event, long at) {
        if (RoomEvent.COMMAND_RESULT.equals(type) || RoomEvent.BROADCAST_MESSAGE.equals(type) || event.consultationId() == null) {
            return; // not part of the record
        }
        ConsultationState state = store.get(key);
        if (state != null && state.consultationId != null && !state.consultationId.equals(event.consultationId())) {
            if (state.startedAt >= 0 && at < state.startedAt) {
                return; // an earlier consultation's event, come late (a repeat): the current one goes on
            }
            if (!state.reported()) {
                // the room opened again before the last one's grace ran out, or the last one's close never came:
                // either way it is over, and its figures must not pass on to the new one
                report(key, state);
            }
            state = null;
        }
        if (state == null) {
            state = fresh(event.appId(), event.roomId());
        }
        if (state.reported()) {
            return; // a repeat of the closed consultation's events
        }
        state.consultationId = event.consultationId();
        state.heard(at);
        switch (type) {
            case RoomEvent.ROOM_CREATED -> state.startedAt = state.startedAt < 0 ? at : Math.min(state.startedAt, at);
            case RoomEvent.ROOM_CLOSED -> {
                state.closedAt = at;
                state.closedWall = context.currentSystemTimeMs();
            }
            case RoomEvent.USER_JOINED -> {
                if (event.sessionId() != null && event.user() != null) {
                    ConsultationState.Member member = state.members.computeIfAbsent(event.sessionId(), s -> new ConsultationState.Member());
                    member.userId = event.user().userId();
                    member.joinedAt = member.joinedAt < 0 ? at : member.joinedAt;
                }
            }
            case RoomEvent.USER_LEFT, RoomEvent.USER_KICKED -> {
                if (event.sessionId() != null) {
                    ConsultationState.Member member = state.members.computeIfAbsent(event.sessionId(), s -> new ConsultationState.Member());
                    if (member.userId == null && event.user() != null) {
                        member.userId = event.user().userId();
                    }
                    member.leftAt = at;
                    member.reason = event.reason() != null ? event.reason() : RoomEvent.USER_KICKED.equals(type) ? "kicked" : "left";
                }
            }
            case RoomEvent.STREAM_ADDED, RoomEvent.STREAM_REMOVED -> {
                if (event.stream() != null) {
                    state.streams.computeIfAbsent(event.stream().streamId(), s -> new ConsultationState.StreamEntry()).publisherUserId =
                            event.stream().userId();
                }
            }
            default -> {
            }
        }
        if (state.startedAt < 0) {
            state.startedAt = at; // the room was created before this service knew it: its first event starts it
        }
        save(key, state);
    }

    private void window(String key, WindowSummary window) {
        ConsultationState state = store.get(key);
        if (state == null) {
            state = fresh(window.appId(), window.roomId());
        }
        if (state.reported() || state.startedAt >= 0 && window.end().toEpochMilli() <= state.startedAt) {
            metrics.counter("wenzhen.quality.windows.late").increment();
            return; // the last consultation's window, come after its report, or after the room opened again
        }
        state.heard(window.end().toEpochMilli());
        ConsultationState.StreamEntry stream = state.streams.computeIfAbsent(window.streamId(), s -> new ConsultationState.StreamEntry());
        boolean changed = window.publisherUserId() != null && !window.publisherUserId().equals(stream.publisherUserId);
        if (window.publisherUserId() != null) {
            stream.publisherUserId = window.publisherUserId();
        }
        String participantKey = window.side() + ":" + window.userId();
        String accumulatorKey = accumulatorKey(key, window.streamId(), participantKey);
        ParticipantAccumulator accumulator = participants.get(accumulatorKey);
        if (accumulator == null) {
            accumulator = new ParticipantAccumulator(window.userId(), window.side());
        }
        accumulator.add(window);
        participants.put(accumulatorKey, accumulator);
        Boolean ended = stream.participants.put(participantKey, accumulator.ended);
        if (changed || ended == null || ended != accumulator.ended
                || context.currentSystemTimeMs() - state.updatedWall > ORPHAN_MILLIS / 10) {
            // the consultation itself changes only when a participant comes, goes, or its publisher is learnt,
            // and now and then, so a busy room that room-events never named is not taken for an orphan
            save(key, state);
        }
    }

    /** Where a participant's accumulated windows are kept: the room's key, then '|' (no room id holds one). */
    static String accumulatorKey(String roomKey, String streamId, String participantKey) {
        return roomKey + "|" + streamId + "|" + participantKey;
    }

    private void alert(String key, QualityAlert alert) {
        ConsultationState state = store.get(key);
        if (state == null) {
            state = fresh(alert.appId(), alert.roomId());
        }
        if (state.reported()) {
            return;
        }
        state.heard(alert.at().toEpochMilli());
        ConsultationState.AlertEntry entry = state.alerts.computeIfAbsent(alert.alertId(), id -> new ConsultationState.AlertEntry());
        entry.rule = alert.rule();
        entry.streamId = alert.streamId();
        entry.userId = alert.userId();
        entry.side = alert.side();
        entry.raisedAt = alert.raisedAt().toEpochMilli();
        if (!QualityAlert.RAISED.equals(alert.state())) {
            entry.endedAt = alert.at().toEpochMilli();
            entry.endState = alert.state();
        }
        save(key, state);
    }

    private void tick(long wall) {
        List<KeyValue<String, ConsultationState>> all = new ArrayList<>();
        try (KeyValueIterator<String, ConsultationState> iterator = store.store().all()) {
            // the decoded copy where there is one: the state a window may have changed without saving is the same
            iterator.forEachRemaining(entry -> all.add(KeyValue.pair(entry.key, store.decodedOr(entry.key, entry.value))));
        }
        for (KeyValue<String, ConsultationState> entry : all) {
            ConsultationState state = entry.value;
            long quiet = wall - state.updatedWall;
            if (state.reported()) {
                if (wall - state.reportedWall >= settings.graceMillis()) {
                    store.delete(entry.key); // late repeats of its events have had their time to arrive
                }
            } else if (state.closedWall >= 0) {
                long closed = wall - state.closedWall;
                if (closed >= settings.graceMillis() && (allEnded(state) || closed >= settings.maxWaitMillis())) {
                    report(entry.key, state);
                    store.put(entry.key, state);
                }
            } else if (state.consultationId == null) {
                if (quiet >= ORPHAN_MILLIS) {
                    dropParticipants(entry.key, state);
                    store.delete(entry.key);
                }
            } else if (quiet >= settings.expiryMillis()) {
                report(entry.key, state); // its room-closed never came: what there is, as unclosed
                store.put(entry.key, state);
            }
        }
    }

    private void report(String key, ConsultationState state) {
        boolean complete = allEnded(state);
        boolean closed = state.closedAt >= 0;
        if (!closed) {
            metrics.counter("wenzhen.quality.reports.unclosed").increment();
            LOG.warnf("consultation %s of %s reported without its room-closed (ended at its last news)", state.consultationId, key);
        } else if (!complete) {
            metrics.counter("wenzhen.quality.reports.incomplete").increment();
            LOG.warnf("report of %s sent without every participant's last window (waited %d s)", key,
                    (context.currentSystemTimeMs() - state.closedWall) / 1000);
        }
        QualityReport report = ReportBuilder.build(state, complete, (streamId, participantKey) ->
                participants.get(accumulatorKey(key, streamId, participantKey)));
        dropParticipants(key, state);
        state.reportedWall = context.currentSystemTimeMs();
        metrics.counter("wenzhen.quality.reports", "poor", Boolean.toString(report.poor())).increment();
        context.forward(Emitted.record("report/" + state.consultationId, key, QualityReport.TYPE, report,
                Math.max(0, closed ? state.closedAt : state.lastAt)), TO_REPORTS);
    }

    /** Every participant seen has sent its last window: nothing more is coming for the report. */
    private static boolean allEnded(ConsultationState state) {
        return state.streams.values().stream().flatMap(s -> s.participants.values().stream()).allMatch(ended -> ended);
    }

    private void dropParticipants(String key, ConsultationState state) {
        state.streams.forEach((streamId, stream) -> stream.participants.keySet()
                .forEach(participantKey -> participants.delete(accumulatorKey(key, streamId, participantKey))));
    }

    private ConsultationState fresh(long appId, String roomId) {
        ConsultationState state = new ConsultationState();
        state.appId = appId;
        state.roomId = roomId;
        return state;
    }

    private void save(String key, ConsultationState state) {
        state.updatedWall = context.currentSystemTimeMs();
        store.put(key, state);
    }

    static Instant instant(long millis) {
        return millis < 0 ? null : Instant.ofEpochMilli(millis);
    }
}
