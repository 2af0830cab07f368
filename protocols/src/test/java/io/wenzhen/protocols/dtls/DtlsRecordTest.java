package io.wenzhen.protocols.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.wenzhen.protocols.MalformedPacketException;

class DtlsRecordTest {

    /** A ClientHello record header (epoch 0, seq 0, DTLS 1.0 in the record layer as browsers send) + a CCS record. */
    static final byte[] FLIGHT = HexFormat.of().parseHex(
            "16feff000000000000000000050102030405" + "14fefd00010000000000070001" + "01");

    @Test
    void readsEveryRecordOfADatagram() {
        List<DtlsRecord> records = DtlsRecord.parseAll(FLIGHT, 0, FLIGHT.length);
        assertEquals(2, records.size());
        assertEquals(DtlsRecord.HANDSHAKE, records.get(0).contentType());
        assertEquals(0, records.get(0).epoch());
        assertEquals(5, records.get(0).fragmentLength());
        assertEquals(DtlsRecord.CHANGE_CIPHER_SPEC, records.get(1).contentType());
        assertEquals(1, records.get(1).epoch());
        assertEquals(7, records.get(1).sequenceNumber());
        assertTrue(DtlsRecord.looksLikeDtls(FLIGHT, 0, FLIGHT.length));
        assertFalse(DtlsRecord.looksLikeDtls(new byte[] {(byte) 0x80}, 0, 1), "RTP");
        assertFalse(DtlsRecord.looksLikeDtls(new byte[] {0}, 0, 1), "STUN");
    }

    @Test
    void refusesMalformedRecords() {
        for (String bad : new String[] {"16feff", "18feff00000000000000000000", "1603030000000000000000000000",
            "16feff0000000000000000000a01", "16feff00000000000000004801"}) {
            byte[] data = HexFormat.of().parseHex(bad);
            assertThrows(MalformedPacketException.class, () -> DtlsRecord.parseAll(data, 0, data.length), bad);
        }
    }

    @Test
    void fuzzedDatagramsOnlyEverFailAsMalformed() {
        Random random = new Random(6347);
        for (int i = 0; i < 100_000; i++) {
            byte[] data = FLIGHT.clone();
            for (int e = 0; e < 1 + random.nextInt(3); e++) {
                data[random.nextInt(data.length)] = (byte) random.nextInt(256);
            }
            int length = random.nextInt(5) == 0 ? random.nextInt(data.length + 1) : data.length;
            try {
                DtlsRecord.parseAll(data, 0, length);
            } catch (MalformedPacketException expected) {
                // refused
            } catch (RuntimeException e) {
                fail("input " + i + " threw " + e);
            }
        }
    }
}
