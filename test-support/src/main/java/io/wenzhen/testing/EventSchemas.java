package io.wenzhen.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * Validates what a service really put on Kafka against the JSON Schema that docs/events publishes
 * for hospital IT: {@code docs/events/<type>.schema.json}, the whole CloudEvent including its data.
 */
public final class EventSchemas {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EventSchemas() {
    }

    public static Path schemaFile(String type) {
        String root = System.getProperty("wenzhen.root");
        if (root == null) {
            throw new IllegalStateException("system property wenzhen.root is not set (the parent pom's surefire sets it)");
        }
        return Path.of(root, "docs", "events", type + ".schema.json");
    }

    /** Throws AssertionError listing every violation when {@code event} does not match its type's schema. */
    public static void assertValid(byte[] event) {
        try {
            JsonNode node = JSON.readTree(event);
            String type = node.path("type").asText();
            Path file = schemaFile(type);
            if (!Files.exists(file)) {
                throw new AssertionError("no schema for event type '" + type + "' at " + file);
            }
            JsonSchema schema;
            try (InputStream in = Files.newInputStream(file)) {
                schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
            }
            Set<ValidationMessage> errors = schema.validate(node);
            if (!errors.isEmpty()) {
                throw new AssertionError("event " + type + " violates " + file.getFileName() + ": " + errors + "\n" + node);
            }
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + e.getMessage());
        }
    }
}
