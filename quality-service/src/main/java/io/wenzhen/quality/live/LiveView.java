package io.wenzhen.quality.live;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.wenzhen.quality.events.QualityAlert;
import io.wenzhen.quality.events.StreamStatus;

/**
 * The live picture every replica holds: each active stream's latest status and the recent alerts, from
 * quality-status and quality-alerts (every replica reads them all, so any replica answers for any room
 * and the dashboard needs no routing). A stream whose status stops coming is dropped after
 * {@link #STALE}.
 */
@ApplicationScoped
public class LiveView {

    static final Duration STALE = Duration.ofSeconds(30);
    static final int RECENT_ALERTS = 200;

    /** One room's streams, graded by its worst stream. */
    public record Room(long appId, String roomId, int grade, List<StreamStatus> streams) {
    }

    /** What a dashboard is told: a stream's new status, or an alert. */
    public record Update(String type, Object data) {

        /** The app the update is about: a stream's status or an alert. */
        public long appId() {
            return switch (data) {
                case StreamStatus status -> status.appId();
                case QualityAlert alert -> alert.appId();
                default -> -1;
            };
        }
    }

    private final Map<String, StreamStatus> streams = new ConcurrentHashMap<>();
    private final Map<String, Long> seen = new ConcurrentHashMap<>();
    private final Deque<QualityAlert> alerts = new ArrayDeque<>();
    private final List<Consumer<Update>> listeners = new CopyOnWriteArrayList<>();

    @Inject
    MeterRegistry metrics;

    @PostConstruct
    void gauges() {
        for (int grade = 0; grade <= 5; grade++) {
            int g = grade;
            Gauge.builder("wenzhen.quality.streams.live", streams, s -> s.values().stream().filter(x -> x.grade() == g).count())
                    .tag("grade", Integer.toString(grade)).description("streams with live quality samples, by grade (0 best, 5 unknown)")
                    .register(metrics);
        }
    }

    public void status(StreamStatus status) {
        String key = status.appId() + "/" + status.streamId();
        if (status.ended()) {
            streams.remove(key);
            seen.remove(key);
        } else {
            streams.put(key, status);
            seen.put(key, System.nanoTime());
        }
        publish(new Update("status", status));
    }

    public void alert(QualityAlert alert) {
        synchronized (alerts) {
            alerts.addFirst(alert);
            while (alerts.size() > RECENT_ALERTS) {
                alerts.removeLast();
            }
        }
        publish(new Update("alert", alert));
    }

    /** Active rooms, worst first. */
    public List<Room> rooms() {
        Map<String, List<StreamStatus>> byRoom = new TreeMap<>();
        streams.values().forEach(s -> byRoom.computeIfAbsent(s.appId() + "/" + s.roomId(), k -> new ArrayList<>()).add(s));
        List<Room> rooms = new ArrayList<>();
        byRoom.forEach((key, list) -> {
            list.sort(Comparator.comparing(StreamStatus::streamId));
            int grade = list.stream().mapToInt(StreamStatus::grade).filter(g -> g < 5).max().orElse(5);
            rooms.add(new Room(list.get(0).appId(), list.get(0).roomId(), grade, List.copyOf(list)));
        });
        rooms.sort(Comparator.comparingInt((Room r) -> r.grade() == 5 ? -1 : r.grade()).reversed());
        return rooms;
    }

    public List<StreamStatus> room(long appId, String roomId) {
        return streams.values().stream().filter(s -> s.appId() == appId && s.roomId().equals(roomId))
                .sorted(Comparator.comparing(StreamStatus::streamId)).toList();
    }

    public List<QualityAlert> recentAlerts() {
        synchronized (alerts) {
            return List.copyOf(alerts);
        }
    }

    public Runnable listen(Consumer<Update> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Scheduled(every = "5s")
    void dropStale() {
        long limit = System.nanoTime() - STALE.toNanos();
        seen.forEach((key, at) -> {
            if (at < limit) {
                StreamStatus gone = streams.remove(key);
                seen.remove(key);
                if (gone != null) {
                    publish(new Update("status", new StreamStatus(gone.appId(), gone.roomId(), gone.streamId(),
                            gone.publisherUserId(), Instant.now(), true, gone.grade(), List.of())));
                }
            }
        });
    }

    private void publish(Update update) {
        for (Consumer<Update> listener : listeners) {
            try {
                listener.accept(update);
            } catch (RuntimeException e) {
                // one dashboard's trouble is not the others'
            }
        }
    }
}
