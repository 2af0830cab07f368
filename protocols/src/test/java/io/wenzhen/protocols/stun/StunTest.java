package io.wenzhen.protocols.stun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.wenzhen.protocols.MalformedPacketException;

class StunTest {

    /** RFC 5769 §2.1, "Sample Request": an ICE connectivity check with integrity and fingerprint. */
    static final byte[] RFC5769_REQUEST = HexFormat.of().parseHex(
            "000100582112a442b7e7a701bc34d686fa87dfae"
            + "80220010" + "5354554e207465737420636c69656e74"
            + "00240004" + "6e0001ff"
            + "80290008" + "932ff9b151263b36"
            + "00060009" + "6576746a3a68367659202020"
            + "00080014" + "9aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a2"
            + "80280004" + "e57a3bcf");
    static final String RFC5769_PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt";

    @Test
    void parsesAndVerifiesTheRfc5769Request() {
        StunMessage request = StunParser.parse(RFC5769_REQUEST, 0, RFC5769_REQUEST.length);

        assertEquals(StunMessage.BINDING_REQUEST, request.type());
        assertEquals("evtj:h6vY", request.username());
        assertEquals(0x6e0001ffL, request.priority());
        assertTrue(request.has(StunAttribute.ICE_CONTROLLED));
        assertTrue(StunIntegrity.verify(request, RFC5769_PASSWORD));
        assertFalse(StunIntegrity.verify(request, "wrong password"));
        assertTrue(StunIntegrity.fingerprintValid(request));
        assertTrue(StunMessage.looksLikeStun(RFC5769_REQUEST, 0, RFC5769_REQUEST.length));
    }

    @Test
    void aTamperedRequestFailsItsChecks() {
        byte[] tampered = RFC5769_REQUEST.clone();
        tampered[45] ^= 1; // inside the PRIORITY value
        StunMessage message = StunParser.parse(tampered, 0, tampered.length);
        assertFalse(StunIntegrity.verify(message, RFC5769_PASSWORD));
        assertFalse(StunIntegrity.fingerprintValid(message));
    }

    @Test
    void writesABindingSuccessTheRfc5769WayAndReadsItBack() throws Exception {
        byte[] transaction = Arrays.copyOfRange(RFC5769_REQUEST, 8, 20);
        byte[] response = new StunWriter(StunMessage.BINDING_SUCCESS, transaction)
                .xorMappedAddress(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853))
                .withIntegrity(RFC5769_PASSWORD).withFingerprint().toBytes();

        StunMessage parsed = StunParser.parse(response, 0, response.length);
        assertEquals(StunMessage.BINDING_SUCCESS, parsed.type());
        assertArrayEquals(transaction, parsed.transactionId());
        // RFC 5769 §2.2: 192.0.2.1:32853 xor-ed with the cookie
        assertArrayEquals(HexFormat.of().parseHex("0001a147e112a643"), parsed.attribute(StunAttribute.XOR_MAPPED_ADDRESS).value());
        assertTrue(StunIntegrity.verify(parsed, RFC5769_PASSWORD));
        assertTrue(StunIntegrity.fingerprintValid(parsed));
    }

    @Test
    void refusesMalformedMessages() {
        byte[][] bad = {
            new byte[19],
            HexFormat.of().parseHex("c00100002112a442000000000000000000000000"),
            HexFormat.of().parseHex("000100042112a442000000000000000000000000"),
            HexFormat.of().parseHex("000100002112a443000000000000000000000000"),
            HexFormat.of().parseHex("000100082112a4420000000000000000000000000006000900000000"),
            HexFormat.of().parseHex("000100032112a442000000000000000000000000000000"),
        };
        for (byte[] message : bad) {
            assertThrows(MalformedPacketException.class, () -> StunParser.parse(message, 0, message.length),
                    HexFormat.of().formatHex(message));
        }
    }

    /** Mutations of the RFC vector: parsed or refused with MalformedPacketException, nothing else. Seeded. */
    @Test
    void fuzzedMessagesOnlyEverFailAsMalformed() {
        Random random = new Random(5769);
        for (int i = 0; i < 100_000; i++) {
            byte[] message = RFC5769_REQUEST.clone();
            for (int e = 0; e < 1 + random.nextInt(4); e++) {
                message[random.nextInt(message.length)] = (byte) random.nextInt(256);
            }
            int length = random.nextInt(8) == 0 ? random.nextInt(message.length + 1) : message.length;
            try {
                StunMessage parsed = StunParser.parse(message, 0, length);
                StunIntegrity.verify(parsed, RFC5769_PASSWORD);
                StunIntegrity.fingerprintValid(parsed);
                parsed.username();
                parsed.priority();
            } catch (MalformedPacketException expected) {
                // refused
            } catch (RuntimeException e) {
                fail("input " + i + " threw " + e + ": " + HexFormat.of().formatHex(message, 0, length));
            }
        }
    }
}
