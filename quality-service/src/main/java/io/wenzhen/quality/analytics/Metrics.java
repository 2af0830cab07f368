package io.wenzhen.quality.analytics;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * A participant's quality over one window: means of what the samples measured, the freezes that began
 * and the time spent frozen within it, and the MOS estimates and grade derived from them. Where both
 * sources reported, the client's figures are used (they are what the person saw); the gateway's stand in
 * for clients that send none (an old SDK, a mini-program that stays silent). Unknown figures are NaN.
 */
public record Metrics(int samples, double windowSeconds, double videoKbps, double audioKbps, double fps, int width, int height,
        double videoLoss, double audioLoss, double jitterMs, double rttMs, double freezes, double freezeMs, double audioMos,
        double videoMos, Grade grade) {

    public static final Metrics EMPTY = new Metrics(0, 0, Double.NaN, Double.NaN, Double.NaN, 0, 0, Double.NaN, Double.NaN,
            Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Grade.UNKNOWN);

    /** The lower of the two MOS estimates (the weaker medium decides the call), NaN when neither is known. */
    public double mos() {
        if (Double.isNaN(audioMos)) {
            return videoMos;
        }
        return Double.isNaN(videoMos) ? audioMos : Math.min(audioMos, videoMos);
    }

    /** The larger of the two loss fractions. */
    public double loss() {
        if (Double.isNaN(videoLoss)) {
            return audioLoss;
        }
        return Double.isNaN(audioLoss) ? videoLoss : Math.max(videoLoss, audioLoss);
    }

    /** A figure by the name alert rules use (docs/quality.md); NaN when unknown or not a figure. */
    public double value(String metric) {
        return switch (metric) {
            case "mos" -> mos();
            case "audioMos" -> audioMos;
            case "videoMos" -> videoMos;
            case "loss" -> loss();
            case "videoLoss" -> videoLoss;
            case "audioLoss" -> audioLoss;
            case "rttMs" -> rttMs;
            case "jitterMs" -> jitterMs;
            case "fps" -> fps;
            case "videoKbps" -> videoKbps;
            case "audioKbps" -> audioKbps;
            case "freezes" -> freezes;
            case "freezeMs" -> freezeMs;
            default -> Double.NaN;
        };
    }

    /** The names {@link #value} knows. */
    public static final List<String> METRICS = List.of("mos", "audioMos", "videoMos", "loss", "videoLoss", "audioLoss", "rttMs",
            "jitterMs", "fps", "videoKbps", "audioKbps", "freezes", "freezeMs");

    /**
     * The metrics of the samples measured in ({@code fromMillis}, {@code toMillis}]; {@code before}, the
     * latest sample of each source before the window (or null), is where its freeze totals start from.
     */
    public static Metrics of(List<Sample> window, Sample clientBefore, Sample serverBefore, long fromMillis, long toMillis) {
        List<Sample> client = window.stream().filter(s -> s.source() == Sample.Source.CLIENT).toList();
        boolean useClient = !client.isEmpty();
        List<Sample> used = useClient ? client : window.stream().filter(s -> s.source() == Sample.Source.SERVER).toList();
        if (used.isEmpty()) {
            return EMPTY;
        }
        Sample before = useClient ? clientBefore : serverBefore;
        double seconds = Math.max(1e-3, (toMillis - fromMillis) / 1000.0);
        Sample last = used.get(used.size() - 1);
        Sample start = before != null ? before : used.get(0);
        double freezes = delta(start.freezes(), last.freezes());
        double freezeMs = delta(start.freezeMs(), last.freezeMs());
        double videoKbps = mean(used, Sample::videoKbps);
        double audioKbps = mean(used, Sample::audioKbps);
        double fps = mean(used, Sample::fps);
        double videoLoss = mean(used, Sample::videoLoss);
        double audioLoss = mean(used, Sample::audioLoss);
        double jitter = mean(used, Sample::jitterMs);
        double rtt = mean(used, Sample::rttMs);
        int width = 0;
        int height = 0;
        for (Sample sample : used) {
            if (sample.width() > 0 && sample.height() > 0) {
                width = sample.width();
                height = sample.height();
            }
        }
        boolean audio = used.stream().anyMatch(Sample::hasAudio);
        boolean video = used.stream().anyMatch(Sample::hasVideo);
        double audioMos = audio ? AudioMos.estimate(Double.isNaN(audioLoss) ? 0 : audioLoss, jitter, rtt) : Double.NaN;
        double frozenShare = Double.isNaN(freezeMs) ? 0 : freezeMs / (seconds * 1000);
        double videoMos = video ? VideoMos.estimate(videoKbps, width, height, fps, frozenShare, Double.isNaN(freezes) ? 0 : freezes,
                seconds) : Double.NaN;
        double mos = Double.isNaN(audioMos) ? videoMos : Double.isNaN(videoMos) ? audioMos : Math.min(audioMos, videoMos);
        return new Metrics(used.size(), seconds, videoKbps, audioKbps, fps, width, height, videoLoss, audioLoss, jitter, rtt,
                freezes, freezeMs, audioMos, videoMos, Grade.of(mos));
    }

    private static double delta(double from, double to) {
        if (Double.isNaN(to)) {
            return Double.NaN;
        }
        // a total that went down means the source restarted (a new peer connection): count from zero
        return Double.isNaN(from) || to < from ? to : to - from;
    }

    private static double mean(List<Sample> samples, ToDoubleFunction<Sample> figure) {
        double sum = 0;
        int count = 0;
        for (Sample sample : samples) {
            double value = figure.applyAsDouble(sample);
            if (!Double.isNaN(value)) {
                sum += value;
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }
}
