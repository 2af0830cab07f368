package io.wenzhen.protocols.rtmp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.wenzhen.protocols.MalformedPacketException;

class HandshakeTest {

    @Test
    void aPlainClientGetsItsC1Echoed() {
        byte[] c0c1 = new byte[1 + Handshake.PACKET];
        new Random(3).nextBytes(c0c1);
        c0c1[0] = 3;
        Handshake.Response response = Handshake.respond(c0c1);
        assertFalse(response.digest());
        byte[] out = response.s0s1s2();
        assertEquals(3, out[0]);
        assertArrayEquals(new byte[4], Arrays.copyOfRange(out, 5, 9), "S1's zero field");
        assertArrayEquals(Arrays.copyOfRange(c0c1, 1, c0c1.length), Arrays.copyOfRange(out, 1 + Handshake.PACKET, out.length));
    }

    @Test
    void aFlashStyleClientGetsADigestItCanCheck() {
        for (int base : new int[] {8, 772}) {
            byte[] c1 = new byte[Handshake.PACKET];
            new Random(base).nextBytes(c1);
            c1[4] = 9; // a client version: the digest form
            int offset = Handshake.digestOffset(c1, base);
            byte[] digest = Handshake.hmac(Arrays.copyOf(Handshake.PLAYER_KEY, 30), Handshake.without(c1, offset));
            System.arraycopy(digest, 0, c1, offset, 32);
            byte[] c0c1 = new byte[1 + Handshake.PACKET];
            c0c1[0] = 3;
            System.arraycopy(c1, 0, c0c1, 1, c1.length);

            Handshake.Response response = Handshake.respond(c0c1);
            assertTrue(response.digest());
            byte[] s1 = Arrays.copyOfRange(response.s0s1s2(), 1, 1 + Handshake.PACKET);
            byte[] s2 = Arrays.copyOfRange(response.s0s1s2(), 1 + Handshake.PACKET, 1 + 2 * Handshake.PACKET);
            assertTrue(s1[4] >= 3, "a server version a client checks digests for");
            // what a client checks: S1's digest under the server key, S2's signature keyed by its own digest
            int serverOffset = Handshake.digestOffset(s1, base);
            assertArrayEquals(Handshake.hmac(Arrays.copyOf(Handshake.SERVER_KEY, 36), Handshake.without(s1, serverOffset)),
                    Arrays.copyOfRange(s1, serverOffset, serverOffset + 32));
            byte[] key = Handshake.hmac(Handshake.SERVER_KEY, digest);
            assertArrayEquals(Handshake.hmac(key, Arrays.copyOf(s2, Handshake.PACKET - 32)),
                    Arrays.copyOfRange(s2, Handshake.PACKET - 32, Handshake.PACKET));
        }
    }

    @Test
    void refusesOtherVersionsAndSizes() {
        byte[] c0c1 = new byte[1 + Handshake.PACKET];
        c0c1[0] = 6; // RTMPE
        assertThrows(MalformedPacketException.class, () -> Handshake.respond(c0c1));
        assertThrows(MalformedPacketException.class, () -> Handshake.respond(new byte[10]));
    }
}
