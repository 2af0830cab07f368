package io.wenzhen.e2e;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.JsonNode;

import io.wenzhen.events.WenzhenEvents;
import io.wenzhen.events.quality.ClientSample;
import io.wenzhen.events.quality.ServerSample;

/**
 * quality-service's pipeline on this machine, against a whole suite started for the run: (1) how many
 * samples per second the analytics sustain — samples made beforehand, produced as fast as Kafka takes
 * them, timed until the analytics' consumer group has committed past the last one; run after run on one
 * service, the first freshly started, the median of the third and later ones as the sustained rate (on two
 * cores the JIT compiler takes about half the service's CPU through the first two);
 * (2) alert latency —
 * the sample that completes a bad stretch produced, until its alert is read from quality-alerts.
 * Run by {@code ./wenzhen bench quality [samples per run] [streams] [runs]}: a million samples a run lasts about 16 s
 * warmed up, long enough that the one-second commit interval hardly moves the figure (400,000, about 7 s, gave runs
 * of one benchmark up to 40 % apart).
 */
public final class QualityBenchmark {

    public static void main(String[] args) throws Exception {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int streams = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Suite suite = Suite.get();
        long appId = 900_000 + (System.nanoTime() & 0xFFFF);

        // 1. throughput, run after run on one service: the first on a freshly started JVM, the later ones
        // once its JIT compiler has caught up (on two cores C2 takes about half the service's CPU for a minute)
        List<Double> rates = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            rates.add(throughput(suite, appId + run, samples, streams, run == 1 ? "run 1, cold" : "run " + run));
        }
        if (runs >= 3) {
            List<Double> warm = new ArrayList<>(rates.subList(2, runs));
            Collections.sort(warm);
            System.out.printf("sustained (median of runs 3..%d): %.0f samples/s%n", runs, warm.get(warm.size() / 2));
        }
        alertLatency(suite, appId);
        System.out.println("benchmark done");
        System.exit(0);
    }

    private static double throughput(Suite suite, long appId, int samples, int streams, String label) throws Exception {
        // as in a call: every 3 s, each stream's publisher and player each report, and the gateway reports on both
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(samples);
        int rounds = Math.max(1, samples / (4 * streams));
        Instant t0 = Instant.now().minusSeconds(3L * rounds + 60);
        for (int i = 0; i < samples; i++) {
            int stream = (i / 4) % streams;
            Instant at = t0.plusSeconds(3L * (i / (4 * streams)));
            boolean publish = i % 2 == 0;
            boolean client = i % 4 < 2;
            records.add(record(appId, "bench-room-" + (stream / 2), "bench-" + stream, publish ? "doctor" : "patient",
                    publish ? "publish" : "play", at, 0.01, client));
        }
        try (KafkaProducer<String, byte[]> producer = producer(suite); Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, suite.kafka()))) {
            Map<TopicPartition, Long> before = ends(admin);
            long start = System.nanoTime();
            for (ProducerRecord<String, byte[]> record : records) {
                producer.send(record);
            }
            producer.flush();
            double produced = (System.nanoTime() - start) / 1e9;
            Map<TopicPartition, Long> target = ends(admin);
            long added = target.entrySet().stream().mapToLong(e -> e.getValue() - before.getOrDefault(e.getKey(), 0L)).sum();
            while (!caughtUp(admin, target)) {
                Thread.sleep(100);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("throughput (%s): %d samples (%d streams, client and gateway samples of publisher and player every 3 s)"
                    + " produced in %.1f s (%.0f/s), processed in %.1f s: %.0f samples/s%n", label, added, streams, produced,
                    added / produced, seconds, added / seconds);
            return added / seconds;
        }
    }

    private static void alertLatency(Suite suite, long appId) throws Exception {
        // 2. alert latency
        List<Double> latencies = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = producer(suite); KafkaConsumer<String, byte[]> alerts = alertReader(suite)) {
            for (int run = 0; run < 10; run++) {
                String stream = "latency-" + run + "-" + UUID.randomUUID().toString().substring(0, 6);
                Instant bad = Instant.now().minusSeconds(20);
                for (int i = 0; i < 4; i++) { // 0, 3, 6, 9 s: not yet the rule's 10 s
                    producer.send(record(appId, "latency-room", stream, "patient", "play", bad.plusSeconds(3L * i), 0.3, false));
                }
                producer.flush();
                Thread.sleep(1500); // processed, no alert yet
                long sent = System.nanoTime();
                producer.send(record(appId, "latency-room", stream, "patient", "play", bad.plusSeconds(12), 0.3, false));
                producer.flush();
                double latency = -1;
                long deadline = sent + Duration.ofSeconds(30).toNanos();
                while (latency < 0 && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, byte[]> record : alerts.poll(Duration.ofMillis(20))) {
                        JsonNode data = Suite.JSON.readTree(record.value()).path("data");
                        if (data.path("streamId").asText().equals(stream) && data.path("state").asText().equals("raised")) {
                            latency = (System.nanoTime() - sent) / 1e6;
                        }
                    }
                }
                if (latency < 0) {
                    throw new IllegalStateException("no alert for " + stream + " within 30 s");
                }
                latencies.add(latency);
            }
        }
        Collections.sort(latencies);
        System.out.printf("alert latency (sample produced -> alert consumed, read_committed), 10 runs: median %.0f ms, p90 %.0f ms, max %.0f ms%n",
                latencies.get(5), latencies.get(8), latencies.get(9));
    }

    private static ProducerRecord<String, byte[]> record(long appId, String room, String stream, String user, String side, Instant at,
            double loss, boolean client) {
        String key = appId + "/" + stream;
        if (client) {
            Map<String, Object> data = Map.of("appId", appId, "roomId", room, "userId", user, "sessionId", "s-" + user, "streamId", stream,
                    "direction", side, "receivedAt", at.toString(), "stats", Map.of(
                            "video", Map.of("videoBitrate", 850, "videoFPS", 30, "frameWidth", 640, "frameHeight", 480,
                                    "videoPacketsLostRate", loss),
                            "audio", Map.of("audioBitrate", 32, "audioPacketsLostRate", loss), "currentRoundTripTime", 25, "quality", 0));
            return new ProducerRecord<>("quality-samples", key,
                    WenzhenEvents.write(UUID.randomUUID().toString(), ClientSample.TYPE, "/media-gateway/gw-bench", key, data));
        }
        ServerSample sample = new ServerSample(appId, room, stream, user, side, "gw-bench", at, 3,
                new ServerSample.Media(270, 800, loss, 4.0, 30.0, 0L, 0.0), new ServerSample.Media(150, 32, loss, 3.0, null, null, null),
                side.equals("play") ? 30.0 : null, 0, 0, 0);
        return new ProducerRecord<>("quality-samples", key,
                WenzhenEvents.serialize(WenzhenEvents.create(ServerSample.TYPE, "/media-gateway/gw-bench", key, sample)));
    }

    private static KafkaProducer<String, byte[]> producer(Suite suite) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, suite.kafka());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(512 * 1024));
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<String, byte[]> alertReader(Suite suite) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, suite.kafka());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of("quality-alerts"));
        while (consumer.assignment().isEmpty()) {
            consumer.poll(Duration.ofMillis(100));
        }
        return consumer;
    }

    private static Map<TopicPartition, Long> ends(Admin admin) throws Exception {
        var partitions = admin.describeTopics(List.of("quality-samples")).allTopicNames().get().get("quality-samples").partitions();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(p -> latest.put(new TopicPartition("quality-samples", p.partition()), OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    /** The analytics (consumer group quality-service) have committed up to the target on every partition. */
    private static boolean caughtUp(Admin admin, Map<TopicPartition, Long> target) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("quality-service")
                .partitionsToOffsetAndMetadata().get();
        for (var entry : target.entrySet()) {
            OffsetAndMetadata at = committed.get(entry.getKey());
            if (entry.getValue() > 0 && (at == null || at.offset() < entry.getValue())) {
                return false;
            }
        }
        return true;
    }
}
