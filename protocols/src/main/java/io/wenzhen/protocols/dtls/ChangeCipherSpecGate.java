package io.wenzhen.protocols.dtls;

import java.io.ByteArrayOutputStream;
import java.util.List;

import io.wenzhen.protocols.MalformedPacketException;

/**
 * Holds back a client's ChangeCipherSpec that overtakes its CertificateVerify during a DTLS handshake.
 * <p>
 * Why: a DTLS client with a certificate (every WebRTC peer) sends Certificate, ClientKeyExchange,
 * CertificateVerify, ChangeCipherSpec, Finished. When the CertificateVerify is lost and the
 * ChangeCipherSpec arrives, BouncyCastle's server switches its read epoch and then takes the
 * retransmitted CertificateVerify (epoch 0) for a replay of an old flight: the handshake never ends
 * (seen through a relay dropping 20 % of DTLS datagrams, with clients that send one message per
 * datagram). Dropping such a ChangeCipherSpec, as the network might have, lets the client's
 * retransmission arrive in order. Records are only read (plaintext epoch-0 headers), never made up.
 * Not thread-safe: one transport's datagrams arrive on one thread.
 */
public final class ChangeCipherSpecGate {

    static final int CERTIFICATE_VERIFY = 15;
    private boolean certificateVerifySeen;

    /** The datagram to hand to the DTLS engine: as it came, or without a premature ChangeCipherSpec record. */
    public byte[] filter(byte[] datagram) {
        if (certificateVerifySeen) {
            return datagram;
        }
        List<DtlsRecord> records;
        try {
            records = DtlsRecord.parseAll(datagram, 0, datagram.length);
        } catch (MalformedPacketException e) {
            return datagram; // the engine rejects it with its own reasons
        }
        ByteArrayOutputStream kept = null;
        for (DtlsRecord record : records) {
            int start = record.fragmentOffset() - DtlsRecord.HEADER;
            if (record.contentType() == DtlsRecord.HANDSHAKE && record.epoch() == 0 && record.fragmentLength() > 0
                    && (datagram[record.fragmentOffset()] & 0xFF) == CERTIFICATE_VERIFY) {
                certificateVerifySeen = true;
            } else if (record.contentType() == DtlsRecord.CHANGE_CIPHER_SPEC && !certificateVerifySeen) {
                if (kept == null) {
                    kept = new ByteArrayOutputStream(datagram.length);
                    kept.write(datagram, 0, start); // the records before this one
                }
                continue;
            }
            if (kept != null) {
                kept.write(datagram, start, DtlsRecord.HEADER + record.fragmentLength());
            }
        }
        return kept == null ? datagram : kept.toByteArray();
    }
}
