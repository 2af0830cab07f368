package io.wenzhen.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic of the test broker from its beginning in the background and keeps every record, so a
 * test can wait for the records of its own keys.
 */
public final class KafkaTopicReader implements AutoCloseable {

    private final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    private final Thread poller;
    private volatile boolean running = true;

    public KafkaTopicReader(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, RealInfrastructure.get().kafkaBootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // what consumers see of transactional producers (Kafka Streams, exactly once): committed records only
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        poller = Thread.ofPlatform().daemon().name("test-reader-" + topic).start(() -> {
            try (consumer) {
                while (running) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                        synchronized (records) {
                            records.add(record);
                            records.notifyAll();
                        }
                    }
                }
            }
        });
    }

    /** Every record so far that matches. */
    public List<ConsumerRecord<String, byte[]>> matching(Predicate<ConsumerRecord<String, byte[]>> filter) {
        synchronized (records) {
            return records.stream().filter(filter).toList();
        }
    }

    /** Waits until at least {@code count} records match, then returns all that match. */
    public List<ConsumerRecord<String, byte[]>> await(Predicate<ConsumerRecord<String, byte[]>> filter, int count,
            Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (records) {
            while (true) {
                List<ConsumerRecord<String, byte[]>> found = new ArrayList<>(records.stream().filter(filter).toList());
                long left = deadline - System.nanoTime();
                if (found.size() >= count || left <= 0) {
                    if (found.size() < count) {
                        throw new AssertionError("expected " + count + " records, got " + found.size() + " within " + timeout);
                    }
                    return found;
                }
                try {
                    records.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted");
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            poller.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
