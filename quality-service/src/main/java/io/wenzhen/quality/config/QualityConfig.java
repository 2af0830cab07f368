package io.wenzhen.quality.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import io.wenzhen.quality.analytics.AlertRule;

/** quality-service's analytics settings ({@code wenzhen.quality.*}; docs/quality.md). */
@ConfigMapping(prefix = "wenzhen.quality")
public interface QualityConfig {

    /** The sliding window live figures and alert rules look at. */
    @WithDefault("PT15S")
    Duration window();

    /** The fixed windows reports are built from. */
    @WithDefault("PT10S")
    Duration bucket();

    /** A participant without samples for this long has left the stream: its last window closes. */
    @WithDefault("PT10S")
    Duration idle();

    /** The least a consultation's report waits after its room closed. */
    @WithDefault("PT20S")
    Duration reportGrace();

    /** The most it waits for every participant's last window (then it goes out, counted as incomplete). */
    @WithDefault("PT5M")
    Duration reportMaxWait();

    /**
     * An open consultation without any news (room event, window, alert) for this long is taken to have
     * ended without its room-closed: it is reported as it stands ({@code ending: unclosed}) and forgotten,
     * so the state of rooms whose close was lost stays bounded. Far longer than any consultation's silence
     * (a live stream's windows refresh it every minute).
     */
    @WithDefault("PT12H")
    Duration consultationExpiry();

    /** How often live status goes out and idle participants are looked for (wall clock). */
    @WithDefault("PT2S")
    Duration tick();

    /** Alert rules by name. */
    Map<String, Rule> alerts();

    interface Rule {
        /** One of the metrics of docs/quality.md (mos, audioMos, videoMos, loss, rttMs, jitterMs, fps, freezeMs …). */
        String metric();

        /** Bad below this value … */
        Optional<Double> below();

        /** … or above this one. */
        Optional<Double> above();

        @WithName("for")
        @WithDefault("PT10S")
        Duration forDuration();

        @WithDefault("PT10S")
        Duration recover();
    }

    /** The configured rules, checked. */
    default List<AlertRule> rules() {
        return alerts().entrySet().stream().sorted(Map.Entry.comparingByKey()).map(entry -> {
            Rule rule = entry.getValue();
            if (rule.below().isPresent() == rule.above().isPresent()) {
                throw new IllegalArgumentException("alert rule " + entry.getKey() + " needs exactly one of below or above");
            }
            boolean above = rule.above().isPresent();
            return new AlertRule(entry.getKey(), rule.metric(), above, above ? rule.above().get() : rule.below().get(),
                    rule.forDuration().toMillis(), rule.recover().toMillis());
        }).toList();
    }
}
