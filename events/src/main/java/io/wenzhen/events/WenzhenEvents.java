package io.wenzhen.events;

import java.net.URI;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.jackson.JsonFormat;

/**
 * Every Kafka event of the suite is a CloudEvent 1.0 in JSON structured mode: the envelope and the
 * data in one JSON object, so hospital IT reads it with any JSON tool. Types look like
 * {@code wenzhen.auth.app-updated.v1}; each has a JSON Schema in {@code docs/events/}.
 */
public final class WenzhenEvents {

    public static final String CONTENT_TYPE = JsonFormat.CONTENT_TYPE;

    private static final EventFormat FORMAT = new JsonFormat();
    private static final ObjectMapper DATA = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private WenzhenEvents() {
    }

    /**
     * A new event of {@code type} from {@code source} (for instance {@code /auth-service}) about
     * {@code subject} (the Kafka key, e.g. an AppID or {@code appId/roomId}), with {@code data}
     * serialised as JSON.
     */
    public static CloudEvent create(String type, String source, String subject, Object data) {
        return create(UUID.randomUUID().toString(), type, source, subject, data);
    }

    /**
     * An event with a given id: events that may be published twice (a relay retry) keep one id, which
     * is how CloudEvents consumers recognise a repeat (same source and id).
     */
    public static CloudEvent create(String id, String type, String source, String subject, Object data) {
        try {
            return CloudEventBuilder.v1()
                    .withId(id)
                    .withType(type)
                    .withSource(URI.create(source))
                    .withSubject(subject)
                    .withTime(OffsetDateTime.now(ZoneOffset.UTC))
                    .withDataContentType("application/json")
                    .withData(DATA.writeValueAsBytes(data))
                    .build();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event data of " + type + " is not serialisable", e);
        }
    }

    /** The structured-mode JSON bytes that go on Kafka as the record's value. */
    public static byte[] serialize(CloudEvent event) {
        return FORMAT.serialize(event);
    }

    /** Parses a structured-mode event; throws IllegalArgumentException on anything else. */
    public static CloudEvent deserialize(byte[] json) {
        try {
            return FORMAT.deserialize(json);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a structured-mode CloudEvent: " + e.getMessage(), e);
        }
    }

    /** The event's data as a JSON tree. */
    public static JsonNode data(CloudEvent event) {
        if (event.getData() == null) {
            throw new IllegalArgumentException("event " + event.getId() + " has no data");
        }
        try {
            return DATA.readTree(event.getData().toBytes());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("event " + event.getId() + " has data that is not JSON", e);
        }
    }

    /** The event's data bound to {@code type}. */
    public static <T> T data(CloudEvent event, Class<T> type) {
        try {
            return DATA.treeToValue(data(event), type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event " + event.getId() + " does not carry a " + type.getSimpleName(), e);
        }
    }
}
