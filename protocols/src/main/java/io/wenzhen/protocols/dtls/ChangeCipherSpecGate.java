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
    /** msg_type, length (3), message_seq (2), fragment_offset (3), fragment_length (3). */
    static final int HANDSHAKE_HEADER = 12;
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
            if (record.contentType() == DtlsRecord.HANDSHAKE && record.epoch() == 0 && holdsCertificateVerify(datagram, record)) {
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

    /** Whether any handshake message in the record (a record may hold several, RFC 6347 §4.2.3) is a CertificateVerify. */
    private static boolean holdsCertificateVerify(byte[] datagram, DtlsRecord record) {
        int position = record.fragmentOffset();
        int end = position + record.fragmentLength();
        while (position < end) {
            if ((datagram[position] & 0xFF) == CERTIFICATE_VERIFY) {
                return true;
            }
            if (position + HANDSHAKE_HEADER > end) {
                return false;
            }
            int fragment = ((datagram[position + 9] & 0xFF) << 16) | ((datagram[position + 10] & 0xFF) << 8)
                    | (datagram[position + 11] & 0xFF);
            position += HANDSHAKE_HEADER + fragment;
        }
        return false;
    }
}
