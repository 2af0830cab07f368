package io.wenzhen.gateway.config;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.internals.RecordHeaders;

import io.wenzhen.events.WenzhenEvents;

/** The Kafka header of a structured-mode CloudEvent (the CloudEvents Kafka binding). */
public final class CloudEventHeaders {

    private CloudEventHeaders() {
    }

    public static RecordHeaders structured() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", WenzhenEvents.CONTENT_TYPE.getBytes(StandardCharsets.US_ASCII));
        return headers;
    }
}
