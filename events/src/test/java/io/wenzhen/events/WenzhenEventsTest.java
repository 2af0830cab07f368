package io.wenzhen.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.cloudevents.CloudEvent;

class WenzhenEventsTest {

    record Data(long appId, String roomId, double value) {
    }

    @Test
    void theOnePassWriterWritesWhatTheSdkReads() {
        byte[] fast = WenzhenEvents.write("id-1", "wenzhen.test.v1", "/quality-service", "7/room", new Data(7, "room", 0.25));
        CloudEvent event = WenzhenEvents.deserialize(fast);
        assertEquals("id-1", event.getId());
        assertEquals("wenzhen.test.v1", event.getType());
        assertEquals("/quality-service", event.getSource().toString());
        assertEquals("7/room", event.getSubject());
        assertEquals("application/json", event.getDataContentType());
        assertEquals(new Data(7, "room", 0.25), WenzhenEvents.data(event, Data.class));
        assertEquals(WenzhenEvents.data(WenzhenEvents.deserialize(WenzhenEvents.serialize(
                WenzhenEvents.create("id-1", "wenzhen.test.v1", "/quality-service", "7/room", new Data(7, "room", 0.25))))),
                WenzhenEvents.data(event), "the same data as the SDK's own writing");
    }

    @Test
    void theOnePassReaderReadsWhatTheSdkWrites() {
        CloudEvent sdk = WenzhenEvents.create("id-2", "wenzhen.test.v1", "/room-service", "7/room", new Data(7, "room", 1.5));
        WenzhenEvents.Envelope envelope = WenzhenEvents.envelope(WenzhenEvents.serialize(sdk));
        assertEquals("id-2", envelope.id());
        assertEquals("wenzhen.test.v1", envelope.type());
        assertEquals("/room-service", envelope.source());
        assertEquals("7/room", envelope.subject());
        assertEquals(sdk.getTime().toInstant().toEpochMilli(), envelope.timeMillis());
        assertEquals(new Data(7, "room", 1.5), envelope.data(Data.class));
    }

    @Test
    void dataOfOneTypeIsReadAndAnyOtherTypeRefused() {
        byte[] event = WenzhenEvents.write("id-3", "wenzhen.test.v1", "/quality-service", "7/room", new Data(7, "room", 2));
        assertEquals(new Data(7, "room", 2), WenzhenEvents.data(event, "wenzhen.test.v1", Data.class));
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> WenzhenEvents.data(event, "wenzhen.test.v2", Data.class));
        assertEquals("event id-3 is a wenzhen.test.v1, not a wenzhen.test.v2", other.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WenzhenEvents.data("{".getBytes(StandardCharsets.UTF_8), "wenzhen.test.v1",
                Data.class));
    }

    @Test
    void theReaderRefusesWhatIsNotAStructuredCloudEvent() {
        for (String bad : new String[] {"{", "[]", "null", "{\"specversion\":\"0.3\",\"id\":\"a\",\"type\":\"t\",\"source\":\"/s\",\"data\":{}}",
            "{\"specversion\":\"1.0\",\"type\":\"t\",\"source\":\"/s\",\"data\":{}}",
            "{\"specversion\":\"1.0\",\"id\":\"a\",\"type\":\"t\",\"source\":\"/s\"}",
            "{\"specversion\":\"1.0\",\"id\":\"a\",\"type\":\"t\",\"source\":\"/s\",\"data\":\"text\"}",
            "{\"specversion\":\"1.0\",\"id\":\"a\",\"type\":\"t\",\"source\":\"/s\",\"time\":\"yesterday\",\"data\":{}}",
            "{\"specversion\":\"1.0\",\"id\":\"a\",\"type\":\"t\",\"source\":\"/s\",\"data\":{}} {\"more\":1}"}) {
            assertThrows(IllegalArgumentException.class, () -> WenzhenEvents.envelope(bad.getBytes(StandardCharsets.UTF_8)), bad);
        }
        WenzhenEvents.Envelope wrongShape = WenzhenEvents.envelope(
                "{\"specversion\":\"1.0\",\"id\":\"a\",\"type\":\"t\",\"source\":\"/s\",\"data\":{\"appId\":\"x\"}}".getBytes(StandardCharsets.UTF_8));
        assertThrows(IllegalArgumentException.class, () -> wrongShape.data(Data.class));
    }
}
