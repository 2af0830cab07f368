package io.wenzhen.quality.streams;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.wenzhen.quality.analytics.Grade;
import io.wenzhen.quality.events.Figures;
import io.wenzhen.quality.events.QualityReport;
import io.wenzhen.quality.events.WindowSummary;

/**
 * One participant of one stream over a consultation, from its window summaries: running sums for the
 * averages, the grade and MOS distributions, freezes, and the three worst windows. Plain fields: kept
 * in the consultation store by {@link ParticipantAccumulatorSerde}.
 */
public final class ParticipantAccumulator {

    static final int WORST_KEPT = 3;
    /** MOS bands of the distribution: [1,2), [2,3), [3,4), [4,4.5]. */
    static final int BANDS = 4;

    public String userId;
    public String side;
    public long samples;
    public long windows;
    /** Sum and count per figure, by name. */
    public Map<String, double[]> sums = new TreeMap<>();
    public int width;
    public int height;
    public double freezes;
    public double freezeMs;
    public long[] grades = new long[6];
    public long[] audioBands = new long[BANDS];
    public long[] videoBands = new long[BANDS];
    /** The worst windows by MOS, worst first (start, end and figures: what the report shows of them). */
    public List<QualityReport.Window> worst = new ArrayList<>();
    /** Its last window has come (it went quiet); a later window means it came back. */
    public boolean ended;

    public ParticipantAccumulator() {
    }

    ParticipantAccumulator(String userId, String side) {
        this.userId = userId;
        this.side = side;
    }

    void add(WindowSummary window) {
        ended = window.last();
        if (window.samples() == 0) {
            return; // only the end of the participant: nothing to count
        }
        Figures f = window.figures();
        samples += window.samples();
        windows++;
        sum("videoKbps", f.videoKbps());
        sum("audioKbps", f.audioKbps());
        sum("fps", f.fps());
        sum("videoLoss", f.videoLoss());
        sum("audioLoss", f.audioLoss());
        sum("jitterMs", f.jitterMs());
        sum("rttMs", f.rttMs());
        sum("audioMos", f.audioMos());
        sum("videoMos", f.videoMos());
        sum("mos", f.mos());
        if (f.width() != null && f.height() != null) {
            width = f.width();
            height = f.height();
        }
        freezes += f.freezes() == null ? 0 : f.freezes();
        freezeMs += f.freezeMs() == null ? 0 : f.freezeMs();
        grades[Math.max(0, Math.min(5, f.grade()))]++;
        band(audioBands, f.audioMos());
        band(videoBands, f.videoMos());
        if (f.mos() != null) {
            worst.add(new QualityReport.Window(window.start(), window.end(), f));
            worst.sort(Comparator.comparingDouble((QualityReport.Window w) -> w.figures().mos())
                    .thenComparing(QualityReport.Window::start));
            if (worst.size() > WORST_KEPT) {
                worst.remove(worst.size() - 1);
            }
        }
    }

    /** Windows graded poor or unusable. */
    long poorWindows() {
        return grades[3] + grades[4];
    }

    /** The worst grade of any window, 5 when none was graded. */
    int worstGrade() {
        for (int grade = 4; grade >= 0; grade--) {
            if (grades[grade] > 0) {
                return grade;
            }
        }
        return 5;
    }

    QualityReport.ParticipantReport report() {
        Figures averages = new Figures((int) Math.min(Integer.MAX_VALUE, samples), mean("videoKbps", 1), mean("audioKbps", 1),
                mean("fps", 1), width > 0 ? width : null, height > 0 ? height : null, mean("videoLoss", 4), mean("audioLoss", 4),
                mean("jitterMs", 1), mean("rttMs", 1), freezes, freezeMs, mean("audioMos", 2), mean("videoMos", 2), mean("mos", 2),
                averageGrade());
        List<QualityReport.Window> worstWindows = List.copyOf(worst);
        return new QualityReport.ParticipantReport(userId, side, samples, windows, averages, freezes, freezeMs, grades.clone(),
                Map.of("audio", audioBands.clone(), "video", videoBands.clone()), worstWindows);
    }

    /** The grade of the mean MOS. */
    private int averageGrade() {
        Double mos = mean("mos", 2);
        return Grade.of(mos == null ? Double.NaN : mos).level();
    }

    private void sum(String name, Double value) {
        if (value != null) {
            double[] sum = sums.computeIfAbsent(name, n -> new double[2]);
            sum[0] += value;
            sum[1]++;
        }
    }

    private Double mean(String name, int decimals) {
        double[] sum = sums.get(name);
        if (sum == null || sum[1] == 0) {
            return null;
        }
        double scale = Math.pow(10, decimals);
        return Math.round(sum[0] / sum[1] * scale) / scale;
    }

    private static void band(long[] bands, Double mos) {
        if (mos != null) {
            bands[Math.max(0, Math.min(BANDS - 1, (int) Math.floor(mos) - 1))]++;
        }
    }
}
