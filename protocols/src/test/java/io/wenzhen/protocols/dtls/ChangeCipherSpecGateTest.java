package io.wenzhen.protocols.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayOutputStream;

import org.junit.jupiter.api.Test;

class ChangeCipherSpecGateTest {

    static byte[] record(int type, int epoch, int... body) {
        byte[] bytes = new byte[body.length];
        for (int i = 0; i < body.length; i++) {
            bytes[i] = (byte) body[i];
        }
        return record(type, epoch, bytes);
    }

    static byte[] record(int type, int epoch, byte... body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(type);
        out.write(0xFE);
        out.write(0xFD);
        out.write(epoch >> 8);
        out.write(epoch);
        out.writeBytes(new byte[6]);
        out.write(body.length >> 8);
        out.write(body.length);
        out.writeBytes(body);
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    @Test
    void aChangeCipherSpecBeforeTheCertificateVerifyIsHeldBackAndOneAfterItPasses() {
        ChangeCipherSpecGate gate = new ChangeCipherSpecGate();
        byte[] keyExchange = record(22, 0, (byte) 16, (byte) 0, (byte) 0, (byte) 1, (byte) 9);
        byte[] ccs = record(20, 0, (byte) 1);
        byte[] finished = record(22, 1, (byte) 0xAA, (byte) 0xBB);
        assertArrayEquals(concat(keyExchange, finished), gate.filter(concat(keyExchange, ccs, finished)),
                "its CertificateVerify was lost: the ChangeCipherSpec goes too");
        assertArrayEquals(new byte[0], gate.filter(ccs), "alone, likewise");

        byte[] verify = record(22, 0, (byte) 15, (byte) 0, (byte) 0, (byte) 2, (byte) 1, (byte) 2);
        byte[] flight = concat(keyExchange, verify, ccs, finished);
        assertSame(flight, gate.filter(flight), "in order: untouched");
        assertSame(ccs, gate.filter(ccs), "and from then on");
    }

    @Test
    void aCertificateVerifyPackedAfterAnotherMessageInOneRecordCounts() {
        ChangeCipherSpecGate gate = new ChangeCipherSpecGate();
        byte[] ccs = record(20, 0, (byte) 1);
        // ClientKeyExchange (1 byte of body) then CertificateVerify, in one record
        byte[] packed = record(22, 0, (byte) 16, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1, (byte) 9,
                (byte) 15, 0, 0, 1, 0, 2, 0, 0, 0, 0, 0, 1, (byte) 7);
        byte[] flight = concat(packed, ccs);
        assertSame(flight, gate.filter(flight), "the CertificateVerify is there: the ChangeCipherSpec passes");
    }
}
