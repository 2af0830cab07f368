package io.wenzhen.protocols.amf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.wenzhen.protocols.MalformedPacketException;

class Amf0Test {

    @Test
    void aConnectCommandSurvivesTheRoundTrip() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("app", "live/1234");
        properties.put("tcUrl", "rtmp://127.0.0.1:1935/live/1234");
        properties.put("fpad", false);
        properties.put("capabilities", 15.0);
        byte[] encoded = Amf0.encode("connect", 1, properties, null);
        List<Object> decoded = Amf0.decode(encoded);
        assertEquals("connect", decoded.get(0));
        assertEquals(1.0, decoded.get(1));
        assertEquals(properties, decoded.get(2));
        assertNull(decoded.get(3));
    }

    @Test
    void readsTheBytesAClientSends() {
        // "publish", 5, null, "s1", "live" as FFmpeg writes them
        byte[] wire = {0x02, 0, 7, 'p', 'u', 'b', 'l', 'i', 's', 'h', 0x00, 0x40, 0x14, 0, 0, 0, 0, 0, 0, 0x05, 0x02, 0, 2, 's', '1',
                0x02, 0, 4, 'l', 'i', 'v', 'e'};
        assertEquals(Arrays.asList("publish", 5.0, null, "s1", "live"), Amf0.decode(wire));
        assertArrayEquals(wire, Amf0.encode("publish", 5.0, null, "s1", "live"));
    }

    @Test
    void readsEcmaArraysStrictArraysAndDates() {
        byte[] wire = {0x08, 0, 0, 0, 9 /* a wrong count: ignored */, 0, 1, 'w', 0x00, 0x40, 0x59, 0, 0, 0, 0, 0, 0, 0, 0, 0x09,
                0x0A, 0, 0, 0, 2, 0x01, 1, 0x06, 0x0B, 0x40, 0x59, 0, 0, 0, 0, 0, 0, 0, 0};
        List<Object> values = Amf0.decode(wire);
        assertEquals(Map.of("w", 100.0), values.get(0));
        assertEquals(Arrays.asList(true, null), values.get(1));
        assertEquals(100.0, values.get(2));
    }

    @Test
    void refusesTruncatedLyingAndDeepInput() {
        assertThrows(MalformedPacketException.class, () -> Amf0.decode(new byte[] {0x00, 1, 2}));
        assertThrows(MalformedPacketException.class, () -> Amf0.decode(new byte[] {0x02, 0, 9, 'a'}));
        assertThrows(MalformedPacketException.class, () -> Amf0.decode(new byte[] {0x0A, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}));
        assertThrows(MalformedPacketException.class, () -> Amf0.decode(new byte[] {0x03, 0, 0, 0x05}));
        assertThrows(MalformedPacketException.class, () -> Amf0.decode(new byte[] {0x11}));
        byte[] deep = new byte[40 * 4];
        for (int i = 0; i < 40; i++) {
            deep[i * 4] = 0x0A;
            deep[i * 4 + 3] = 0;
            deep[i * 4 + 1] = 0;
            deep[i * 4 + 2] = 0;
        }
        // nested strict arrays of one element each
        byte[] nested = new byte[40 * 5];
        for (int i = 0; i < 40; i++) {
            nested[i * 5] = 0x0A;
            nested[i * 5 + 4] = 1;
        }
        assertThrows(MalformedPacketException.class, () -> Amf0.decode(nested));
    }
}
