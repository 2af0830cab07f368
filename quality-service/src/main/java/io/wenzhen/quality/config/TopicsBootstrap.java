package io.wenzhen.quality.config;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.wenzhen.events.Topics;

/**
 * Creates the suite's topics at start (in the background) so nothing relies on a broker's auto-creation;
 * the analytics start once the topics they read exist (quarkus.kafka-streams.topics).
 */
@ApplicationScoped
public class TopicsBootstrap {

    private static final Logger LOG = Logger.getLogger(TopicsBootstrap.class);

    void onStart(@Observes StartupEvent ignored, @Identifier("default-kafka-broker") Map<String, Object> kafka,
            @ConfigProperty(name = "wenzhen.kafka.replication-factor", defaultValue = "1") short replication) {
        Infrastructure.getDefaultWorkerPool().execute(() -> {
            try {
                Topics.ensure(kafka, replication);
            } catch (RuntimeException e) {
                LOG.warnf("could not create the Kafka topics yet: %s", e.getMessage());
            }
        });
    }
}
