package io.wenzhen.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SecretBoxTest {

    final SecretBox box = new SecretBox(new byte[32]);

    @Test
    void opensWhatItSealedForTheSameOwnerOnly() {
        String sealed = box.seal("fa94dd0f974cf2e293728a526b028271", "app:1");

        assertEquals("fa94dd0f974cf2e293728a526b028271", box.open(sealed, "app:1"));
        assertNotEquals(sealed, box.seal("fa94dd0f974cf2e293728a526b028271", "app:1"), "a fresh nonce each time");
        assertThrows(IllegalArgumentException.class, () -> box.open(sealed, "app:2"));
        byte[] otherKey = new byte[32];
        otherKey[0] = 1;
        assertThrows(IllegalArgumentException.class, () -> new SecretBox(otherKey).open(sealed, "app:1"));
    }

    @Test
    void refusesGarbage() {
        for (String garbage : new String[] {null, "", "v1.", "v1.!!!", "v1.AAAA", "v2.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}) {
            assertThrows(IllegalArgumentException.class, () -> box.open(garbage, "app:1"), String.valueOf(garbage));
        }
        assertThrows(IllegalArgumentException.class, () -> new SecretBox(new byte[16]));
    }
}
