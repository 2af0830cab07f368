package io.wenzhen.gateway.messages;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.wenzhen.gateway.errors.GatewayError;
import io.wenzhen.gateway.errors.SignalingException;

/**
 * A message from a client: {@code {"type": "...", "id": "...", ...fields}}. Parsing checks shape and
 * sizes only; what a field means is the handler's business. Every accessor fails with PROTOCOL_MALFORMED.
 */
public record ClientMessage(String type, String id, JsonNode body) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ID_LENGTH = 64;

    public static ClientMessage parse(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new SignalingException(GatewayError.PROTOCOL_MALFORMED, "not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new SignalingException(GatewayError.PROTOCOL_MALFORMED, "not a JSON object");
        }
        JsonNode type = root.get("type");
        if (type == null || !type.isTextual()) {
            throw new SignalingException(GatewayError.PROTOCOL_MALFORMED, "type is missing");
        }
        JsonNode id = root.get("id");
        String requestId = null;
        if (id != null && !id.isNull()) {
            if (!(id.isTextual() || id.isIntegralNumber()) || id.asText().length() > MAX_ID_LENGTH) {
                throw new SignalingException(GatewayError.PROTOCOL_MALFORMED, "id must be a short string or number");
            }
            requestId = id.asText();
        }
        return new ClientMessage(type.asText(), requestId, root);
    }

    /** A required string field of at most {@code maxLength} characters. */
    public String text(String field, int maxLength) {
        String value = optionalText(field, maxLength);
        if (value == null || value.isEmpty()) {
            throw new SignalingException(GatewayError.PROTOCOL_MALFORMED, field + " is required");
        }
        return value;
    }

    public String optionalText(String field, int maxLength) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new SignalingException(GatewayError.PROTOCOL_MALFORMED, field + " must be a string");
        }
        if (node.asText().length() > maxLength) {
            throw new SignalingException(GatewayError.PROTOCOL_MALFORMED, field + " is longer than " + maxLength);
        }
        return node.asText();
    }

    public long number(String field) {
        JsonNode node = body.get(field);
        if (node == null || !(node.isIntegralNumber() || (node.isTextual() && node.asText().matches("[0-9]{1,19}")))) {
            throw new SignalingException(GatewayError.PROTOCOL_MALFORMED, field + " must be a whole number");
        }
        return node.asLong();
    }

    public JsonNode object(String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return JSON.createObjectNode();
        }
        if (!node.isObject()) {
            throw new SignalingException(GatewayError.PROTOCOL_MALFORMED, field + " must be an object");
        }
        return node;
    }
}
