package io.wenzhen.quality.streams;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

import io.micrometer.core.instrument.MeterRegistry;
import io.wenzhen.events.Topics;
import io.wenzhen.quality.config.QualityConfig;

/**
 * quality-service's analytics as a Kafka Streams topology (docs/quality.md explains the choice):
 *
 * <pre>
 * quality-samples (appId/streamId) ─▶ streams ─┬▶ quality-alerts  (appId/roomId)
 *                                              ├▶ quality-windows (appId/roomId)
 *                                              └▶ quality-status  (appId/streamId)
 * room-events ┐
 * quality-windows ├▶ consultations ─▶ quality-reports (appId/roomId)
 * quality-alerts  ┘
 * </pre>
 *
 * Both stages keep their state in stores backed by changelog topics and run exactly once
 * (processing.guarantee=exactly_once_v2): the state, the output and the consumed offsets commit
 * together, so a replica that stops mid-consultation leaves nothing lost or counted twice for the one
 * that takes its partitions over. The three inputs of the second stage share their key and partition
 * count (6), which is what lets one task see a room's events, windows and alerts together.
 */
@ApplicationScoped
public class QualityTopology {

    @Produces
    Topology topology(QualityConfig config, MeterRegistry metrics) {
        StreamQualityProcessor.Settings settings = new StreamQualityProcessor.Settings(config.window().toMillis(),
                config.bucket().toMillis(), config.idle().toMillis(), config.tick().toMillis(), config.rules());
        ConsultationProcessor.Settings consultation = new ConsultationProcessor.Settings(config.reportGrace().toMillis(),
                config.reportMaxWait().toMillis(), config.consultationExpiry().toMillis(), config.tick().toMillis());
        var strings = Serdes.String();
        var bytes = Serdes.ByteArray();

        Topology topology = new Topology();
        topology.addSource("samples", strings.deserializer(), bytes.deserializer(), Topics.QUALITY_SAMPLES);
        topology.addProcessor("streams", () -> new StreamQualityProcessor(settings, metrics), "samples");
        // caching: a participant's several writes within one commit interval reach the changelog once
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StreamQualityProcessor.STORE), strings,
                new ParticipantStateSerde()).withCachingEnabled(), "streams");
        topology.addSink(StreamQualityProcessor.TO_ALERTS, Topics.QUALITY_ALERTS, strings.serializer(), bytes.serializer(), "streams");
        topology.addSink(StreamQualityProcessor.TO_WINDOWS, Topics.QUALITY_WINDOWS, strings.serializer(), bytes.serializer(), "streams");
        topology.addSink(StreamQualityProcessor.TO_STATUS, Topics.QUALITY_STATUS, strings.serializer(), bytes.serializer(), "streams");

        topology.addSource("room-events", strings.deserializer(), bytes.deserializer(), Topics.ROOM_EVENTS);
        topology.addSource("windows", strings.deserializer(), bytes.deserializer(), Topics.QUALITY_WINDOWS);
        topology.addSource("alerts", strings.deserializer(), bytes.deserializer(), Topics.QUALITY_ALERTS);
        topology.addProcessor("consultations", () -> new ConsultationProcessor(consultation, metrics), "room-events", "windows", "alerts");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(ConsultationProcessor.STORE), strings,
                new JsonSerde<>(ConsultationState.class)).withCachingEnabled(), "consultations");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(ConsultationProcessor.PARTICIPANTS), strings,
                new ParticipantAccumulatorSerde()).withCachingEnabled(), "consultations");
        topology.addSink(ConsultationProcessor.TO_REPORTS, Topics.QUALITY_REPORTS, strings.serializer(), bytes.serializer(),
                "consultations");
        return topology;
    }
}
