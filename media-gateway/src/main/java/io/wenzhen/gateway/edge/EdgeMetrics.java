package io.wenzhen.gateway.edge;

import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** The mini-program edge's counters at /q/metrics (no stream or user names as labels). */
@ApplicationScoped
public class EdgeMetrics {

    private final MeterRegistry registry;
    private final Counter refused;
    private final Counter closedOnError;

    @Inject
    public EdgeMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.refused = Counter.builder("wenzhen.edge.refusals").description("RTMP/FLV connections refused (key, codec, state)")
                .register(registry);
        this.closedOnError = Counter.builder("wenzhen.edge.protocol.errors")
                .description("RTMP connections closed for malformed or oversized input").register(registry);
    }

    void refused() {
        refused.increment();
    }

    void protocolError() {
        closedOnError.increment();
    }

    void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    /** Connections by kind: rtmp-publish, rtmp-play, flv-play. */
    void connected(String kind) {
        registry.counter("wenzhen.edge.connections", "kind", kind).increment();
    }
}
