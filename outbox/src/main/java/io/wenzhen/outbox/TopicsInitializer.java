package io.wenzhen.outbox;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.wenzhen.events.Topics;

/** Creates the suite's topics once (see {@link Topics}), off the event loop, before the first publish. */
@ApplicationScoped
public class TopicsInitializer {

    private static final Logger LOG = Logger.getLogger(TopicsInitializer.class);

    private final Map<String, Object> kafka;
    private final short replicationFactor;
    private volatile boolean done;

    @Inject
    public TopicsInitializer(@Identifier("default-kafka-broker") Map<String, Object> kafka,
            @ConfigProperty(name = "wenzhen.kafka.replication-factor", defaultValue = "1") short replicationFactor) {
        this.kafka = kafka;
        this.replicationFactor = replicationFactor;
    }

    /** At start, in the background: consumers wait for their topics rather than have a broker invent them. */
    void onStart(@Observes StartupEvent ignored) {
        Infrastructure.getDefaultWorkerPool().execute(() -> {
            try {
                ensureNow();
            } catch (RuntimeException e) {
                LOG.warnf("could not create the Kafka topics yet: %s", e.getMessage());
            }
        });
    }

    /** Completes once every topic exists; on the caller's Vert.x context when there is one. */
    public Uni<Void> ensured() {
        if (done) {
            return Uni.createFrom().voidItem();
        }
        Context context = Vertx.currentContext();
        Uni<Void> work = Uni.createFrom().<Void>item(() -> {
            Topics.ensure(kafka, replicationFactor);
            done = true;
            LOG.debug("Kafka topics are in place");
            return null;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        return context == null ? work : work.emitOn(command -> context.runOnContext(ignored -> command.run()));
    }

    /** Blocking variant for start-up code that runs on a worker thread. */
    public void ensureNow() {
        if (!done) {
            Topics.ensure(kafka, replicationFactor);
            done = true;
        }
    }
}
