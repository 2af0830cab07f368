package io.wenzhen.gateway.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;

import org.junit.jupiter.api.Test;

import io.wenzhen.gateway.errors.GatewayError;
import io.wenzhen.gateway.errors.SignalingException;

class ClientMessageTest {

    static int code(String text) {
        return assertThrows(SignalingException.class, () -> ClientMessage.parse(text)).code();
    }

    @Test
    void readsARequest() {
        ClientMessage message = ClientMessage.parse("{\"type\":\"login\",\"id\":7,\"appId\":\"1234567890\",\"roomId\":\"r1\"}");
        assertEquals("login", message.type());
        assertEquals("7", message.id());
        assertEquals(1234567890L, message.number("appId"));
        assertEquals("r1", message.text("roomId", 128));
        assertNull(message.optionalText("extraInfo", 10));
    }

    @Test
    void refusesWhatIsNotARequest() {
        for (String bad : new String[] {"", "null", "[]", "42", "\"login\"", "{", "{\"id\":1}", "{\"type\":3}",
            "{\"type\":\"x\",\"id\":{}}", "{\"type\":\"x\",\"id\":\"" + "i".repeat(65) + "\"}"}) {
            assertEquals(GatewayError.PROTOCOL_MALFORMED.code(), code(bad), bad);
        }
    }

    @Test
    void fieldAccessorsRefuseWrongTypesAndSizes() {
        ClientMessage message = ClientMessage.parse("{\"type\":\"t\",\"n\":\"12x\",\"s\":5,\"o\":[],\"long\":\"abcdef\"}");
        assertThrows(SignalingException.class, () -> message.number("n"));
        assertThrows(SignalingException.class, () -> message.number("missing"));
        assertThrows(SignalingException.class, () -> message.text("s", 10));
        assertThrows(SignalingException.class, () -> message.text("missing", 10));
        assertThrows(SignalingException.class, () -> message.text("long", 5));
        assertThrows(SignalingException.class, () -> message.object("o"));
    }

    /** Random and mutated input: a SignalingException or a message, never anything else. Seeded. */
    @Test
    void fuzzedInputOnlyEverFailsWithADocumentedCode() {
        Random random = new Random(7);
        String seed = "{\"type\":\"publish\",\"id\":\"1\",\"streamID\":\"s_1\",\"extraInfo\":\"x\",\"config\":{\"a\":[1,2]}}";
        for (int i = 0; i < 50_000; i++) {
            char[] chars = seed.toCharArray();
            for (int e = 0; e < 1 + random.nextInt(5); e++) {
                chars[random.nextInt(chars.length)] = (char) random.nextInt(128);
            }
            String text = random.nextInt(10) == 0 ? new String(chars, 0, random.nextInt(chars.length)) : new String(chars);
            try {
                ClientMessage message = ClientMessage.parse(text);
                message.optionalText("streamID", 512);
                message.object("config");
            } catch (SignalingException expected) {
                // documented refusal
            } catch (RuntimeException e) {
                fail("input " + i + " threw " + e + ": " + text);
            }
        }
    }
}
