package io.wenzhen.events;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The suite's Kafka topics, in one place: any service may create any of them (idempotently), so
 * whichever starts first creates them with the right partitions and policies rather than a broker's
 * auto-creation defaults.
 */
public final class Topics {

    /** App state, compacted, key AppID (auth-service → gateways, room-service). */
    public static final String APPS = "apps";
    /** Commands for rooms, key appId/roomId (gateways → room-service). */
    public static final String ROOM_COMMANDS = "room-commands";
    /** What happened in rooms, key appId/roomId (room-service → gateways, quality-service, hospital IT). */
    public static final String ROOM_EVENTS = "room-events";
    /** Client and gateway quality samples, key appId/streamId (→ quality-service). */
    public static final String QUALITY_SAMPLES = "quality-samples";
    /** Quality alerts raised and recovered, key appId/roomId (quality-service → hospital IT). */
    public static final String QUALITY_ALERTS = "quality-alerts";
    /** One quality report per consultation when its room has closed, key appId/roomId (quality-service → hospital IT). */
    public static final String QUALITY_REPORTS = "quality-reports";
    /** Each participant's quality per 10 s window, key appId/roomId (quality-service's own stages; readable by anyone). */
    public static final String QUALITY_WINDOWS = "quality-windows";
    /** The live quality of each stream, every few seconds while it changes, key appId/streamId (dashboards). */
    public static final String QUALITY_STATUS = "quality-status";

    /**
     * Room commands room-service could not apply while its database was up (a command no retry fixes),
     * as they came, key appId/roomId: kept 7 days for an operator to read and replay (commands are
     * idempotent by commandId).
     */
    public static final String ROOM_COMMANDS_DEAD = "room-commands-dead";

    /** Each gateway's heartbeat, key gatewayId: room-service ends the sessions of a gateway gone silent. */
    public static final String GATEWAY_HEARTBEATS = "gateway-heartbeats";

    /** Partitions of the keyed topics: the most replicas of room-service that can share the rooms. */
    public static final int PARTITIONS = 6;

    private Topics() {
    }

    public static List<NewTopic> all(short replicationFactor) {
        return List.of(
                new NewTopic(APPS, 1, replicationFactor)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                new NewTopic(ROOM_COMMANDS, PARTITIONS, replicationFactor),
                new NewTopic(ROOM_EVENTS, PARTITIONS, replicationFactor),
                new NewTopic(QUALITY_SAMPLES, PARTITIONS, replicationFactor),
                new NewTopic(QUALITY_ALERTS, PARTITIONS, replicationFactor),
                new NewTopic(QUALITY_REPORTS, PARTITIONS, replicationFactor),
                new NewTopic(QUALITY_WINDOWS, PARTITIONS, replicationFactor),
                new NewTopic(QUALITY_STATUS, PARTITIONS, replicationFactor)
                        .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(3_600_000L))),
                new NewTopic(ROOM_COMMANDS_DEAD, 1, replicationFactor)
                        .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(7 * 86_400_000L))),
                new NewTopic(GATEWAY_HEARTBEATS, 1, replicationFactor)
                        .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(3_600_000L))));
    }

    /**
     * Creates whichever topics are missing. Blocking (an admin round trip): call it off the event loop.
     *
     * @throws IllegalStateException when the broker cannot be reached in time
     */
    public static void ensure(Map<String, Object> kafkaConfig, short replicationFactor) {
        Map<String, Object> config = new HashMap<>();
        kafkaConfig.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key)) {
                config.put(key, value);
            }
        });
        try (Admin admin = Admin.create(config)) {
            for (NewTopic topic : all(replicationFactor)) {
                try {
                    admin.createTopics(List.of(topic)).all().get(15, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + topic.name() + ": " + e.getCause(), e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer while creating topics", e);
        }
    }
}
