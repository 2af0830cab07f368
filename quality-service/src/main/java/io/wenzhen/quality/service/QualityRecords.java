package io.wenzhen.quality.service;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.wenzhen.quality.events.QualityAlert;
import io.wenzhen.quality.events.QualityReport;
import io.wenzhen.quality.model.AlertRecord;
import io.wenzhen.quality.model.ReportRecord;

/**
 * Reports and alerts in PostgreSQL: stored as they come off Kafka (by their own ids, so a record read
 * twice is stored once), and read back for the REST API.
 */
@ApplicationScoped
public class QualityRecords {

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    /** The widest time range one query may ask for. */
    public static final Duration MAX_RANGE = Duration.ofDays(92);

    /** One day of an app: consultations that started that day, and how many had poor quality. */
    public record Day(LocalDate day, long consultations, long poor, double poorShare) {
    }

    @WithTransaction
    public Uni<Void> store(QualityReport report) {
        String body;
        try {
            body = JSON.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        return ReportRecord.<ReportRecord>findById(report.consultationId()).chain(existing -> {
            ReportRecord record = existing != null ? existing : new ReportRecord();
            record.consultationId = report.consultationId();
            record.appId = report.appId();
            record.roomId = report.roomId();
            record.startedAt = report.startedAt();
            record.endedAt = report.endedAt();
            record.durationSeconds = report.durationSeconds();
            record.worstGrade = report.worstGrade();
            record.poorShare = report.poorShare();
            record.poor = report.poor();
            record.body = body;
            record.storedAt = Instant.now();
            return existing != null ? Uni.createFrom().voidItem() : record.persist().replaceWithVoid();
        });
    }

    @WithTransaction
    public Uni<Void> store(QualityAlert alert) {
        return AlertRecord.<AlertRecord>findById(alert.alertId()).chain(existing -> {
            AlertRecord record = existing != null ? existing : new AlertRecord();
            if (existing != null && QualityAlert.RAISED.equals(alert.state())) {
                return Uni.createFrom().voidItem(); // the raise read again after its end: the end stands
            }
            record.alertId = alert.alertId();
            record.state = alert.state();
            record.appId = alert.appId();
            record.roomId = alert.roomId();
            record.streamId = alert.streamId();
            record.userId = alert.userId();
            record.publisherUserId = alert.publisherUserId();
            record.side = alert.side();
            record.rule = alert.rule();
            record.metric = alert.metric();
            record.comparison = alert.comparison();
            record.threshold = alert.threshold();
            if (QualityAlert.RAISED.equals(alert.state())) {
                record.raisedValue = alert.value();
            } else {
                record.endedAt = alert.at();
            }
            record.worst = alert.worst();
            record.since = alert.since();
            record.raisedAt = alert.raisedAt();
            return existing != null ? Uni.createFrom().voidItem() : record.persist().replaceWithVoid();
        });
    }

    @WithSession
    public Uni<ReportRecord> report(String consultationId) {
        return ReportRecord.findById(consultationId);
    }

    @WithSession
    public Uni<List<ReportRecord>> reports(long appId, String roomId, Instant from, Instant to) {
        return ReportRecord.find(inRange("startedAt", roomId), Sort.descending("startedAt"), parameters(appId, roomId, from, to))
                .page(0, 500).list();
    }

    @WithSession
    public Uni<List<AlertRecord>> alerts(long appId, String roomId, Instant from, Instant to) {
        return AlertRecord.find(inRange("raisedAt", roomId), Sort.descending("raisedAt"), parameters(appId, roomId, from, to))
                .page(0, 1000).list();
    }

    /** An app's records whose {@code time} is in [from, to), in one room when {@code roomId} is given. */
    private static String inRange(String time, String roomId) {
        return "appId = :appId and " + time + " >= :from and " + time + " < :to" + (roomId == null ? "" : " and roomId = :roomId");
    }

    private static Parameters parameters(long appId, String roomId, Instant from, Instant to) {
        Parameters parameters = Parameters.with("appId", appId).and("from", from)
                .and("to", to);
        return roomId == null ? parameters : parameters.and("roomId", roomId);
    }

    /** Consultations per day (in {@code zone}) and the share with poor quality, over [from, to). */
    @WithSession
    public Uni<List<Day>> daily(long appId, Instant from, Instant to, ZoneId zone) {
        return ReportRecord.<ReportRecord>find("appId = ?1 and startedAt >= ?2 and startedAt < ?3", appId, from, to).list()
                .map(records -> {
                    Map<LocalDate, long[]> days = new TreeMap<>();
                    for (ReportRecord record : records) {
                        long[] day = days.computeIfAbsent(record.startedAt.atZone(zone).toLocalDate(), d -> new long[2]);
                        day[0]++;
                        day[1] += record.poor ? 1 : 0;
                    }
                    return days.entrySet().stream().map(e -> new Day(e.getKey(), e.getValue()[0], e.getValue()[1],
                            Math.round(10000.0 * e.getValue()[1] / e.getValue()[0]) / 10000.0)).toList();
                });
    }
}
