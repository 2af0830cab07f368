package io.wenzhen.room.service;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Identifier;

/**
 * Whether this replica reaches the Kafka cluster, and since when without a break: the gateway sweep
 * tells "no heartbeat because Kafka is away" (hold) from "no heartbeat because every gateway died"
 * (sweep) by it. One admin round trip every 5 s, on a worker thread (it blocks, up to 3 s); the sweep
 * only reads the outcome.
 */
@ApplicationScoped
public class KafkaReachability {

    private final Admin admin;
    private volatile Instant reachableSince;

    @Inject
    public KafkaReachability(@Identifier("default-kafka-broker") Map<String, Object> kafka) {
        Map<String, Object> config = new HashMap<>(kafka);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        config.keySet().removeIf(key -> !AdminClientConfig.configNames().contains(key));
        this.admin = Admin.create(config);
    }

    @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void probe() {
        try {
            admin.describeCluster().clusterId().get(3, TimeUnit.SECONDS);
            if (reachableSince == null) {
                reachableSince = Instant.now();
            }
        } catch (Exception e) {
            reachableSince = null;
        }
    }

    /** Reachable, without a break, for at least {@code span} up to {@code now} (as of the last probe). */
    public boolean reachableFor(Duration span, Instant now) {
        Instant since = reachableSince;
        return since != null && !since.isAfter(now.minus(span));
    }

    @PreDestroy
    void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
