package io.wenzhen.protocols.pipe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import io.wenzhen.protocols.MalformedPacketException;
import io.wenzhen.protocols.rtp.RtpPacket;

class PipeCipherTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final byte[] secret = random(32);
    private final byte[] salt = random(PipeKeys.SALT_BYTES);
    private final PipeKeys keys = PipeKeys.derive(secret, salt, 42, "gateway-a", "gateway-b");
    private final PipeCipher offerer = new PipeCipher(42, keys, true);
    private final PipeCipher answerer = new PipeCipher(42, keys, false);
    private final byte[] packet = RtpPacket.build(96, true, 1000, 90_000, 0x1234, random(1100));

    @Test
    void aPacketCrossesBothWays() {
        byte[] sealed = offerer.seal(packet, 0, packet.length);
        assertEquals(packet.length + PipeCipher.OVERHEAD, sealed.length);
        assertEquals(42, PipeCipher.pipeIdOf(sealed, sealed.length));
        assertArrayEquals(packet, answerer.open(sealed, sealed.length));
        byte[] back = answerer.seal(packet, 0, packet.length);
        assertArrayEquals(packet, offerer.open(back, back.length));
        // the payload does not travel in the clear
        assertFalse(Arrays.equals(Arrays.copyOfRange(sealed, PipeCipher.HEADER, PipeCipher.HEADER + packet.length), packet));
    }

    @Test
    void aDatagramUnderAnotherKeyIsRefused() {
        PipeKeys otherSecret = PipeKeys.derive(random(32), salt, 42, "gateway-a", "gateway-b");
        PipeKeys otherSalt = PipeKeys.derive(secret, random(PipeKeys.SALT_BYTES), 42, "gateway-a", "gateway-b");
        PipeKeys otherGateway = PipeKeys.derive(secret, salt, 42, "gateway-a", "gateway-c");
        for (PipeKeys wrong : new PipeKeys[] {otherSecret, otherSalt, otherGateway}) {
            byte[] sealed = new PipeCipher(42, wrong, true).seal(packet, 0, packet.length);
            assertThrows(MalformedPacketException.class, () -> answerer.open(sealed, sealed.length));
        }
        // and the right one still opens afterwards: a refused datagram spends no counter
        byte[] sealed = offerer.seal(packet, 0, packet.length);
        assertArrayEquals(packet, answerer.open(sealed, sealed.length));
    }

    @Test
    void aTamperedHeaderOrBodyIsRefused() {
        byte[] sealed = offerer.seal(packet, 0, packet.length);
        for (int at : new int[] {7, 13, PipeCipher.HEADER, sealed.length - 1}) {
            byte[] tampered = sealed.clone();
            tampered[at] ^= 1;
            assertThrows(MalformedPacketException.class, () -> answerer.open(tampered, tampered.length));
        }
        assertArrayEquals(packet, answerer.open(sealed, sealed.length));
    }

    @Test
    void aReplayIsRefusedAndReorderingIsNot() {
        byte[] first = offerer.seal(packet, 0, packet.length);
        byte[] second = offerer.seal(packet, 0, packet.length);
        assertArrayEquals(packet, answerer.open(second, second.length));
        assertArrayEquals(packet, answerer.open(first, first.length)); // late, not replayed
        assertThrows(MalformedPacketException.class, () -> answerer.open(first, first.length));
        assertThrows(MalformedPacketException.class, () -> answerer.open(second, second.length));
    }

    @Test
    void theOwnDirectionIsNotTakenBack() {
        // a datagram reflected to its sender does not open there: the two directions have their own nonces
        byte[] sealed = offerer.seal(packet, 0, packet.length);
        assertThrows(MalformedPacketException.class, () -> offerer.open(sealed, sealed.length));
    }

    @Test
    void anotherPipesOrShortDatagramIsRefused() {
        byte[] sealed = new PipeCipher(43, keys, true).seal(packet, 0, packet.length);
        assertEquals(-1, PipeCipher.pipeIdOf(new byte[10], 10));
        assertThrows(MalformedPacketException.class, () -> answerer.open(sealed, sealed.length));
        assertThrows(MalformedPacketException.class, () -> answerer.open(new byte[PipeCipher.OVERHEAD - 1], PipeCipher.OVERHEAD - 1));
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
