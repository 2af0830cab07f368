package io.wenzhen.quality.rest;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.mutiny.Uni;
import io.wenzhen.events.AppScope;
import io.wenzhen.quality.events.QualityAlert;
import io.wenzhen.quality.events.StreamStatus;
import io.wenzhen.quality.live.LiveView;
import io.wenzhen.quality.model.AlertRecord;
import io.wenzhen.quality.model.ReportRecord;
import io.wenzhen.quality.service.QualityRecords;

/** Call quality for hospital IT: live rooms, consultation reports, alerts, and per-app figures. */
@Path("/api/v1/quality")
@Tag(name = "quality")
@SecurityRequirement(name = "jwt")
@RolesAllowed({"hospital-it", "admin"})
public class QualityResource {

    @Inject
    JsonWebToken jwt;

    @Inject
    LiveView live;

    @Inject
    QualityRecords records;

    /** A report's row, without its body: what lists show. */
    public record ReportSummary(String consultationId, long appId, String roomId, Instant startedAt, Instant endedAt,
            long durationSeconds, int worstGrade, double poorShare, boolean poor) {

        static ReportSummary of(ReportRecord r) {
            return new ReportSummary(r.consultationId, r.appId, r.roomId, r.startedAt, r.endedAt, r.durationSeconds, r.worstGrade,
                    r.poorShare, r.poor);
        }
    }

    public record Live(List<LiveView.Room> rooms, List<QualityAlert> alerts) {
    }

    @GET
    @Path("/live")
    @Operation(summary = "Active consultations with their streams' live quality, worst first, and the recent alerts")
    public Live live() {
        AppScope scope = scope();
        return new Live(live.rooms().stream().filter(r -> scope.allows(r.appId())).toList(),
                live.recentAlerts().stream().filter(a -> scope.allows(a.appId())).toList());
    }

    @GET
    @Path("/rooms/{appId}/{roomId}/live")
    @Operation(summary = "A room's streams' live quality (sliding window), per participant")
    public List<StreamStatus> room(@PathParam("appId") long appId, @PathParam("roomId") String roomId) {
        inScope(appId);
        return live.room(appId, roomId);
    }

    @GET
    @Path("/reports/{consultationId}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A consultation's quality report (docs/events/wenzhen.quality.report.v1.schema.json, its data)")
    public Uni<String> report(@PathParam("consultationId") String consultationId) {
        AppScope scope = scope();
        return records.report(consultationId).map(record -> {
            if (record == null || !scope.allows(record.appId)) { // another app's report reads as absent
                throw new QualityRefusal(QualityRefusal.Error.REPORT_NOT_FOUND);
            }
            return record.body;
        });
    }

    @GET
    @Path("/reports")
    @Operation(summary = "An app's consultation reports in a time range (by start), newest first, at most 500")
    public Uni<List<ReportSummary>> reports(@QueryParam("appId") Long appId, @QueryParam("roomId") String roomId,
            @QueryParam("from") String from, @QueryParam("to") String to) {
        Instant[] range = range(from, to);
        inScope(required(appId));
        return records.reports(required(appId), roomId, range[0], range[1]).map(list -> list.stream().map(ReportSummary::of).toList());
    }

    @GET
    @Path("/alerts")
    @Operation(summary = "An app's alerts raised in a time range, newest first, at most 1000")
    public Uni<List<AlertRecord>> alerts(@QueryParam("appId") Long appId, @QueryParam("roomId") String roomId,
            @QueryParam("from") String from, @QueryParam("to") String to) {
        Instant[] range = range(from, to);
        inScope(required(appId));
        return records.alerts(required(appId), roomId, range[0], range[1]);
    }

    @GET
    @Path("/apps/{appId}/daily")
    @Operation(summary = "Consultations per day and the share with poor quality (days in the given zone, default UTC)")
    public Uni<List<QualityRecords.Day>> daily(@PathParam("appId") long appId, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("zone") String zone) {
        inScope(appId);
        Instant[] range = range(from, to);
        ZoneId zoneId;
        try {
            zoneId = zone == null ? ZoneId.of("UTC") : ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new QualityRefusal(QualityRefusal.Error.INVALID_REQUEST);
        }
        return records.daily(appId, range[0], range[1], zoneId);
    }

    /** The apps the caller may read: every one for an admin, the token's appIds for hospital IT. */
    private AppScope scope() {
        return AppScope.of(jwt.getGroups(), jwt.getClaim(AppScope.CLAIM));
    }

    private void inScope(long appId) {
        if (!scope().allows(appId)) {
            throw new QualityRefusal(QualityRefusal.Error.APP_NOT_IN_SCOPE);
        }
    }

    /** [from, to): defaults to the last 24 hours; at most {@link QualityRecords#MAX_RANGE}. */
    static Instant[] range(String from, String to) {
        try {
            Instant end = to == null ? Instant.now() : Instant.parse(to);
            Instant start = from == null ? end.minus(Duration.ofDays(1)) : Instant.parse(from);
            if (!start.isBefore(end) || Duration.between(start, end).compareTo(QualityRecords.MAX_RANGE) > 0) {
                throw new QualityRefusal(QualityRefusal.Error.INVALID_RANGE);
            }
            return new Instant[] {start, end};
        } catch (DateTimeParseException e) {
            throw new QualityRefusal(QualityRefusal.Error.INVALID_RANGE);
        }
    }

    private static long required(Long appId) {
        if (appId == null || appId <= 0) {
            throw new QualityRefusal(QualityRefusal.Error.INVALID_REQUEST);
        }
        return appId;
    }
}
