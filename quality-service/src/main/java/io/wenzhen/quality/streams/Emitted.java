package io.wenzhen.quality.streams;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;

import io.wenzhen.events.WenzhenEvents;

/** quality-service's output records: CloudEvents in structured mode, with the content-type header the suite's events carry. */
final class Emitted {

    static final String SOURCE = "/quality-service";

    private Emitted() {
    }

    static Record<String, byte[]> record(String key, String type, Object data, long timestamp) {
        return record(UUID.randomUUID().toString(), key, type, data, timestamp);
    }

    /** With a given event id: the same fact keeps one id (CloudEvents consumers drop repeats by source and id). */
    static Record<String, byte[]> record(String id, String key, String type, Object data, long timestamp) {
        byte[] value = WenzhenEvents.write(id, type, SOURCE, key, data);
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", WenzhenEvents.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        return new Record<>(key, value, timestamp, headers);
    }
}
