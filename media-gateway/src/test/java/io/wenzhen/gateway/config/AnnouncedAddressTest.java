package io.wenzhen.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class AnnouncedAddressTest {

    private static final List<String> FILE = List.of(
            "# nodes behind 1:1 NAT",
            "",
            "node-a   203.0.113.10",
            "  node-b\t203.0.113.11  ");

    @Test
    void aNodeInThePublicAddressesAnnouncesItsPublicAddress() {
        assertEquals("203.0.113.10", new AnnouncedAddress("10.0.0.5", Optional.of("node-a"), Optional.of(FILE)).host());
        assertEquals("203.0.113.11", new AnnouncedAddress("10.0.0.6", Optional.of("node-b"), Optional.of(FILE)).host());
    }

    @Test
    void aNodeNotListedOrNoFileOrNoNodeNameAnnouncesTheMediaAddress() {
        assertEquals("10.0.0.7", new AnnouncedAddress("10.0.0.7", Optional.of("node-c"), Optional.of(FILE)).host());
        assertEquals("10.0.0.7", new AnnouncedAddress("10.0.0.7", Optional.of("node-a"), Optional.empty()).host());
        assertEquals("10.0.0.7", new AnnouncedAddress("10.0.0.7", Optional.empty(), Optional.of(FILE)).host());
    }

    @Test
    void aMalformedLineOrANodeListedTwiceIsRefused() {
        IllegalArgumentException malformed = assertThrows(IllegalArgumentException.class,
                () -> new AnnouncedAddress("10.0.0.5", Optional.of("node-a"), Optional.of(List.of("node-a 1.2.3.4 extra"))));
        assertTrue(malformed.getMessage().contains("line 1"), malformed.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new AnnouncedAddress("10.0.0.5", Optional.of("node-a"), Optional.of(List.of("node-a 1.2.3.4", "node-a 1.2.3.5"))));
        assertThrows(IllegalArgumentException.class, () -> new AnnouncedAddress("10.0.0.5", Optional.of("node-a"),
                Optional.of(List.of("node-a 1.2.3.4", "node-b 1.2.3.5", "node-b 1.2.3.6"))), "another node listed twice is refused too");
    }

    @Test
    void loopbackIsTold() {
        assertTrue(new AnnouncedAddress("127.0.0.1", Optional.empty(), Optional.empty()).loopback());
        assertFalse(new AnnouncedAddress("10.0.0.5", Optional.empty(), Optional.empty()).loopback());
    }
}
