package io.wenzhen.quality.events;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.wenzhen.quality.analytics.Metrics;

/** A window's metrics as they appear in events and the REST API: unknown figures are left out, not NaN. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Figures(int samples, Double videoKbps, Double audioKbps, Double fps, Integer width, Integer height, Double videoLoss,
        Double audioLoss, Double jitterMs, Double rttMs, Double freezes, Double freezeMs, Double audioMos, Double videoMos,
        Double mos, int grade) {

    public static Figures of(Metrics m) {
        return new Figures(m.samples(), known(m.videoKbps(), 1), known(m.audioKbps(), 1), known(m.fps(), 1),
                m.width() > 0 ? m.width() : null, m.height() > 0 ? m.height() : null, known(m.videoLoss(), 4),
                known(m.audioLoss(), 4), known(m.jitterMs(), 1), known(m.rttMs(), 1), known(m.freezes(), 0),
                known(m.freezeMs(), 0), known(m.audioMos(), 2), known(m.videoMos(), 2), known(m.mos(), 2), m.grade().level());
    }

    /** A figure rounded for the wire, or null when unknown. */
    public static Double known(double value, int decimals) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return null;
        }
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
