package io.wenzhen.events;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
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

    /** Reads one JSON value and refuses what follows it (the tree would otherwise end at the first value). */
    private static final ObjectReader ONE_EVENT = DATA.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

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

    /**
     * A structured-mode event read in one pass: its context attributes and its data as a JSON tree.
     *
     * @param timeMillis its {@code time} in epoch milliseconds, null when it has none
     */
    public record Envelope(String id, String type, String source, String subject, Long timeMillis, JsonNode data) {

        /** The data bound to {@code type}. */
        public <T> T data(Class<T> type) {
            try {
                return DATA.treeToValue(data, type);
            } catch (JsonProcessingException | IllegalArgumentException e) {
                throw new IllegalArgumentException("event " + id + " does not carry a " + type.getSimpleName(), e);
            }
        }
    }

    /**
     * Reads a structured-mode CloudEvent 1.0 with JSON data in one parse. The SDK's {@link #deserialize}
     * copies the data out as bytes that {@link #data} parses again: on paths that read tens of thousands
     * of events a second (quality samples) that second parse is most of the cost.
     *
     * @throws IllegalArgumentException when it is not a CloudEvent 1.0 in JSON structured mode with JSON data
     */
    public static Envelope envelope(byte[] json) {
        JsonNode event;
        try {
            event = ONE_EVENT.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        if (event == null || !event.isObject() || !"1.0".equals(event.path("specversion").asText())) {
            throw new IllegalArgumentException("not a CloudEvent 1.0");
        }
        String id = event.path("id").asText("");
        String type = event.path("type").asText("");
        String source = event.path("source").asText("");
        if (id.isEmpty() || type.isEmpty() || source.isEmpty()) {
            throw new IllegalArgumentException("a CloudEvent needs id, type and source");
        }
        JsonNode data = event.get("data");
        if (data == null || !data.isContainerNode()) {
            throw new IllegalArgumentException("event " + id + " has no JSON data");
        }
        Long time = null;
        if (event.hasNonNull("time")) {
            try {
                time = EventTime.epochMillis(event.get("time").asText());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("event " + id + " has a time that is not RFC 3339", e);
            }
        }
        return new Envelope(id, type, source, event.path("subject").asText(null), time, data);
    }

    /**
     * The data of an event that must be of {@code type}, read in one pass ({@link #envelope}).
     *
     * @throws IllegalArgumentException when it is not such an event, or its data is not a {@code dataClass}
     */
    public static <T> T data(byte[] json, String type, Class<T> dataClass) {
        Envelope event = envelope(json);
        if (!type.equals(event.type())) {
            throw new IllegalArgumentException("event " + event.id() + " is a " + event.type() + ", not a " + type);
        }
        return event.data(dataClass);
    }

    /**
     * Writes a structured-mode CloudEvent 1.0 in one pass, the same JSON as {@link #serialize}({@link
     * #create}(…)) gives (tested against it), for paths that emit many events.
     */
    public static byte[] write(String id, String type, String source, String subject, Object data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator json = DATA.getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("specversion", "1.0");
            json.writeStringField("id", id);
            json.writeStringField("source", source);
            json.writeStringField("type", type);
            json.writeStringField("datacontenttype", "application/json");
            json.writeStringField("subject", subject);
            // RFC 3339 always with seconds (OffsetDateTime.toString() leaves them out when they are zero)
            json.writeStringField("time", DateTimeFormatter.ISO_INSTANT.format(Instant.now()));
            json.writeFieldName("data");
            DATA.writeValue(json, data);
            json.writeEndObject();
        } catch (IOException e) {
            throw new IllegalArgumentException("event data of " + type + " is not serialisable", e);
        }
        return out.toByteArray();
    }

    /** The event's data as a JSON tree. */
    public static JsonNode data(CloudEvent event) {
        if (event.getData() == null) {
            throw new IllegalArgumentException("event " + event.getId() + " has no data");
        }
        try {
            return DATA.readTree(event.getData().toBytes());
        } catch (IOException e) {
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
