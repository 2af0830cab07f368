package io.wenzhen.protocols.dtls;

import java.util.ArrayList;
import java.util.List;

import io.wenzhen.protocols.MalformedPacketException;

/**
 * The record framing of DTLS 1.2 (RFC 6347 §4.1): what the media port reads before handing a datagram
 * to the DTLS engine (BouncyCastle), to reject garbage early and to route by epoch. The handshake and
 * the cryptography themselves are BouncyCastle's, never ours.
 */
public record DtlsRecord(int contentType, int version, int epoch, long sequenceNumber, int fragmentOffset,
        int fragmentLength) {

    public static final int HEADER = 13;
    public static final int CHANGE_CIPHER_SPEC = 20;
    public static final int ALERT = 21;
    public static final int HANDSHAKE = 22;
    public static final int APPLICATION_DATA = 23;
    /** DTLS 1.0 (0xFEFF) and 1.2 (0xFEFD), the versions WebRTC peers send. */
    static final int DTLS_1_0 = 0xFEFF;
    static final int DTLS_1_2 = 0xFEFD;
    /** 2^14 plus the expansion RFC 6347 allows. */
    static final int MAX_FRAGMENT = 16384 + 2048;

    /** RFC 7983: the first byte of a DTLS record on the shared media port is 20..63. */
    public static boolean looksLikeDtls(byte[] data, int offset, int length) {
        if (length < 1) {
            return false;
        }
        int first = data[offset] & 0xFF;
        return first >= 20 && first <= 63;
    }

    /** All records of a datagram (DTLS packs several records into one datagram), strictly checked. */
    public static List<DtlsRecord> parseAll(byte[] data, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > data.length) {
            throw new IllegalArgumentException("range outside the array");
        }
        List<DtlsRecord> records = new ArrayList<>();
        int position = offset;
        int end = offset + length;
        while (position < end) {
            if (end - position < HEADER) {
                throw new MalformedPacketException("truncated DTLS record header");
            }
            int type = data[position] & 0xFF;
            if (type < CHANGE_CIPHER_SPEC || type > APPLICATION_DATA) {
                throw new MalformedPacketException("unknown DTLS content type " + type);
            }
            int version = ((data[position + 1] & 0xFF) << 8) | (data[position + 2] & 0xFF);
            if (version != DTLS_1_0 && version != DTLS_1_2) {
                throw new MalformedPacketException("not DTLS 1.0 or 1.2");
            }
            int epoch = ((data[position + 3] & 0xFF) << 8) | (data[position + 4] & 0xFF);
            long sequence = 0;
            for (int i = 5; i < 11; i++) {
                sequence = (sequence << 8) | (data[position + i] & 0xFF);
            }
            int fragment = ((data[position + 11] & 0xFF) << 8) | (data[position + 12] & 0xFF);
            if (fragment > MAX_FRAGMENT) {
                throw new MalformedPacketException("DTLS fragment larger than allowed");
            }
            if (position + HEADER + fragment > end) {
                throw new MalformedPacketException("DTLS record runs past the datagram");
            }
            records.add(new DtlsRecord(type, version, epoch, sequence, position + HEADER, fragment));
            position += HEADER + fragment;
        }
        return List.copyOf(records);
    }
}
