package io.wenzhen.gateway.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** What a relaying gateway signs, and what the home refuses (pure logic: no network). */
class RelayCredentialsTest {

    private static final long NOW = 1_800_000_000L;
    private final RelayCredentials credentials = new RelayCredentials(new byte[32]);

    @Test
    void signedHeadersVerifyAndSayWhoTheClientIs() {
        Map<String, String> headers = credentials.headers("gateway-1", "gateway-2", "https://hospital.example", "203.0.113.7", NOW);
        RelayCredentials.Relayed relayed = credentials.verify(headers::get, "gateway-2", NOW + 30);
        assertEquals(new RelayCredentials.Relayed("gateway-1", "https://hospital.example", "203.0.113.7"), relayed);
        Map<String, String> noOrigin = credentials.headers("gateway-1", "gateway-2", null, "203.0.113.7", NOW);
        assertNull(credentials.verify(noOrigin::get, "gateway-2", NOW).origin(), "a client without Origin (a mini-program) stays without");
    }

    @Test
    void anOrdinaryClientCarriesNone() {
        assertNull(credentials.verify(Map.<String, String>of()::get, "gateway-2", NOW));
    }

    @Test
    void aChangedFieldAnotherKeyAnOldSignatureOrAnotherTargetIsRefused() {
        Map<String, String> headers = new HashMap<>(credentials.headers("gateway-1", "gateway-2", "https://hospital.example", "203.0.113.7", NOW));
        headers.put(RelayCredentials.ADDRESS, "198.51.100.1");
        assertThrows(SecurityException.class, () -> credentials.verify(headers::get, "gateway-2", NOW), "the address was changed");

        byte[] otherKey = new byte[32];
        otherKey[0] = 1;
        Map<String, String> foreign = new RelayCredentials(otherKey).headers("gateway-1", "gateway-2", "https://hospital.example", "203.0.113.7", NOW);
        assertThrows(SecurityException.class, () -> credentials.verify(foreign::get, "gateway-2", NOW), "another cluster's key");

        Map<String, String> old = credentials.headers("gateway-1", "gateway-2", "https://hospital.example", "203.0.113.7", NOW);
        assertThrows(SecurityException.class, () -> credentials.verify(old::get, "gateway-2", NOW + RelayCredentials.MAX_SKEW_SECONDS + 1));

        Map<String, String> meantForAnother = credentials.headers("gateway-1", "gateway-3", "https://hospital.example", "203.0.113.7", NOW);
        assertThrows(RelayCredentials.MisdirectedRelay.class, () -> credentials.verify(meantForAnother::get, "gateway-2", NOW),
                "a relay meant for the gateway that had this address before (a restart)");
        Map<String, String> forgedAndMisdirected = new HashMap<>(meantForAnother);
        forgedAndMisdirected.put(RelayCredentials.SIGNATURE, "00".repeat(32));
        SecurityException refused = assertThrows(SecurityException.class,
                () -> credentials.verify(forgedAndMisdirected::get, "gateway-2", NOW));
        assertFalse(refused instanceof RelayCredentials.MisdirectedRelay, "only a gateway's own relay can say its target is gone");

        Map<String, String> partial = new HashMap<>(old);
        partial.remove(RelayCredentials.FROM);
        assertThrows(SecurityException.class, () -> credentials.verify(partial::get, "gateway-2", NOW));
    }

    @Test
    void fieldsCannotBeShiftedFromOneIntoTheNext() {
        Map<String, String> headers = new HashMap<>(credentials.headers("gw", "gateway-2", "ab", "c", NOW));
        headers.put(RelayCredentials.ORIGIN, "a");
        headers.put(RelayCredentials.ADDRESS, "bc");
        assertThrows(SecurityException.class, () -> credentials.verify(headers::get, "gateway-2", NOW));
    }
}
