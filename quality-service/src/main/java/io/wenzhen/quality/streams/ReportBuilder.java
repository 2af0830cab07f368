package io.wenzhen.quality.streams;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

import io.wenzhen.quality.events.QualityReport;

/** A consultation's report from what the consultation stage accumulated. */
final class ReportBuilder {

    /**
     * More than this share of poor or unusable windows, and at least {@link #POOR_WINDOWS} of them, makes a
     * consultation one "with poor quality": the first seconds of every call, while the encoders ramp their
     * bitrate up, do not make a short call poor by themselves.
     */
    static final double POOR_SHARE = 0.10;
    static final long POOR_WINDOWS = 3;

    private ReportBuilder() {
    }

    /**
     * @param complete     every participant seen had sent its last window
     * @param accumulators a participant's accumulated windows by stream id and {@code side:userId} (null: none)
     */
    static QualityReport build(ConsultationState state, boolean complete,
            BiFunction<String, String, ParticipantAccumulator> accumulators) {
        List<QualityReport.Member> members = state.members.entrySet().stream()
                .map(e -> new QualityReport.Member(e.getValue().userId, e.getKey(), ConsultationProcessor.instant(e.getValue().joinedAt),
                        ConsultationProcessor.instant(e.getValue().leftAt), e.getValue().reason))
                .toList();
        List<QualityReport.StreamReport> streams = new ArrayList<>();
        long windows = 0;
        long poor = 0;
        int worstGrade = 5;
        for (var stream : state.streams.entrySet()) {
            List<QualityReport.ParticipantReport> participants = new ArrayList<>();
            for (String participantKey : stream.getValue().participants.keySet()) {
                ParticipantAccumulator participant = accumulators.apply(stream.getKey(), participantKey);
                if (participant == null) {
                    continue;
                }
                participants.add(participant.report());
                windows += participant.windows;
                poor += participant.poorWindows();
                int grade = participant.worstGrade();
                if (grade != 5) {
                    worstGrade = worstGrade == 5 ? grade : Math.max(worstGrade, grade);
                }
            }
            streams.add(new QualityReport.StreamReport(stream.getKey(), stream.getValue().publisherUserId, participants));
        }
        List<QualityReport.AlertRef> alerts = state.alerts.entrySet().stream()
                .map(e -> new QualityReport.AlertRef(e.getKey(), e.getValue().rule, e.getValue().streamId, e.getValue().userId,
                        e.getValue().side, ConsultationProcessor.instant(e.getValue().raisedAt),
                        ConsultationProcessor.instant(e.getValue().endedAt), e.getValue().endState))
                .toList();
        double poorShare = windows == 0 ? 0 : (double) poor / windows;
        long start = state.startedAt;
        boolean closed = state.closedAt >= 0;
        // a consultation whose room-closed never came ended, as far as anyone can tell, with its last news
        long end = closed ? state.closedAt : state.lastAt;
        return new QualityReport(state.consultationId, state.appId, state.roomId, ConsultationProcessor.instant(start),
                ConsultationProcessor.instant(end), start < 0 || end < 0 ? 0 : Math.max(0, (end - start) / 1000),
                closed ? QualityReport.ROOM_CLOSED : QualityReport.UNCLOSED, complete, members, streams, alerts, worstGrade,
                Math.round(poorShare * 10000) / 10000.0, !alerts.isEmpty() || poorShare > POOR_SHARE && poor >= POOR_WINDOWS);
    }
}
