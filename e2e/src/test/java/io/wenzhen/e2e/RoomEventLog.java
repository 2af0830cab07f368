package io.wenzhen.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.cloudevents.CloudEvent;
import io.wenzhen.events.Topics;
import io.wenzhen.events.WenzhenEvents;
import io.wenzhen.events.room.RoomEvent;

/**
 * Every state event of some rooms on {@code room-events}, read from the start to the end offsets, for
 * drills and the soak to check that nothing was lost: each consultation's events are numbered 1..n.
 */
record RoomEventLog(Map<String, List<Long>> seqsByConsultation, int departures, int events) {

    static RoomEventLog read(String bootstrap, long appId, Collection<String> rooms) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Set<String> keys = new HashSet<>();
        rooms.forEach(room -> keys.add(appId + "/" + room));
        Map<String, List<Long>> seqs = new TreeMap<>();
        int departures = 0;
        int events = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.ROOM_EVENTS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    if (!keys.contains(record.key())) {
                        continue;
                    }
                    CloudEvent event = WenzhenEvents.deserialize(record.value());
                    if (event.getType().equals(RoomEvent.COMMAND_RESULT)) {
                        continue;
                    }
                    events++;
                    if (event.getType().equals(RoomEvent.USER_LEFT) || event.getType().equals(RoomEvent.USER_KICKED)) {
                        departures++;
                    }
                    RoomEvent data = WenzhenEvents.data(event, RoomEvent.class);
                    if (data.seq() != null) {
                        seqs.computeIfAbsent(record.key() + " " + data.consultationId(), k -> new ArrayList<>()).add(data.seq());
                    }
                }
            }
        }
        return new RoomEventLog(seqs, departures, events);
    }

    /** Consultations whose numbering skips or repeats: an event lost or doubled (empty: none). */
    Map<String, String> gaps() {
        Map<String, String> gaps = new TreeMap<>();
        seqsByConsultation.forEach((key, list) -> {
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i) != i + 1) {
                    gaps.put(key, list.toString());
                    return;
                }
            }
        });
        return gaps;
    }
}
