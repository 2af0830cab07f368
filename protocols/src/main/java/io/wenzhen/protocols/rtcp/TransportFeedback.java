package io.wenzhen.protocols.rtcp;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

import io.wenzhen.protocols.MalformedPacketException;

/**
 * Transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1; RTPFB,
 * FMT 15): for a run of transport-wide sequence numbers from {@code baseSequence}, whether each packet arrived and
 * when. Arrival times are carried as a reference time (multiples of 64 ms, 24 bits) and per-packet deltas of
 * 250 µs, so what a reader gets back is each arrival to the nearest 250 µs on the writer's clock, which is all a
 * send-side estimator needs (it compares differences).
 *
 * @param arrivalMicros per packet from {@code baseSequence} on, its arrival in µs on the receiver's clock, or
 *                      {@link #NOT_RECEIVED}
 */
public record TransportFeedback(int baseSequence, int feedbackCount, long[] arrivalMicros) {

    public static final long NOT_RECEIVED = Long.MIN_VALUE;
    static final int FMT = 15;
    private static final long TICK_MICROS = 250;
    private static final long REFERENCE_MICROS = 64_000;
    /** Symbols of a packet's status (two-bit form). */
    private static final int MISSING = 0;
    private static final int SMALL = 1;
    private static final int LARGE = 2;

    /** How many packets the feedback covers. */
    public int count() {
        return arrivalMicros.length;
    }

    /**
     * The whole RTCP packet (header, SSRCs, feedback, padded to 32 bits). At least one packet must have arrived
     * (the reference time is taken from the first that did). Two arrivals more than a signed 16-bit delta apart
     * (about 8 s) cannot be in one feedback: the caller ends it before ({@link #fits}).
     */
    public byte[] write(long senderSsrc, long mediaSsrc) {
        int count = arrivalMicros.length;
        long first = Arrays.stream(arrivalMicros).filter(a -> a != NOT_RECEIVED).findFirst().orElse(NOT_RECEIVED);
        if (count == 0 || count > 0xFFFF || first == NOT_RECEIVED) {
            throw new IllegalArgumentException("feedback must cover 1 to 65535 packets, one of them received");
        }
        long reference = Math.floorDiv(first, REFERENCE_MICROS);
        int[] symbols = new int[count];
        long[] deltas = new long[count];
        long previousTick = reference * (REFERENCE_MICROS / TICK_MICROS);
        for (int i = 0; i < count; i++) {
            if (arrivalMicros[i] == NOT_RECEIVED) {
                symbols[i] = MISSING;
                continue;
            }
            long tick = Math.floorDiv(arrivalMicros[i], TICK_MICROS);
            long delta = tick - previousTick;
            if (delta < Short.MIN_VALUE || delta > Short.MAX_VALUE) {
                throw new IllegalArgumentException("a delta of " + delta * TICK_MICROS + " µs does not fit");
            }
            previousTick = tick;
            deltas[i] = delta;
            symbols[i] = delta >= 0 && delta <= 0xFF ? SMALL : LARGE;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(16 + count * 2);
        putInt(body, (int) senderSsrc);
        putInt(body, (int) mediaSsrc);
        putShort(body, baseSequence);
        putShort(body, count);
        putInt(body, (int) ((reference & 0xFFFFFF) << 8 | (feedbackCount & 0xFF)));
        writeChunks(body, symbols);
        for (int i = 0; i < count; i++) {
            if (symbols[i] == SMALL) {
                body.write((int) deltas[i]);
            } else if (symbols[i] == LARGE) {
                putShort(body, (int) deltas[i]);
            }
        }
        while (body.size() % 4 != 0) {
            body.write(0);
        }
        byte[] content = body.toByteArray();
        byte[] packet = new byte[4 + content.length];
        packet[0] = (byte) (0x80 | FMT);
        packet[1] = (byte) RtcpPacket.RTPFB;
        packet[2] = (byte) ((content.length / 4) >> 8);
        packet[3] = (byte) (content.length / 4);
        System.arraycopy(content, 0, packet, 4, content.length);
        return packet;
    }

    /** Whether a packet arriving at {@code nextMicros} can follow one that arrived at {@code previousMicros}. */
    public static boolean fits(long previousMicros, long nextMicros) {
        long delta = Math.floorDiv(nextMicros, TICK_MICROS) - Math.floorDiv(previousMicros, TICK_MICROS);
        return delta >= Short.MIN_VALUE && delta <= Short.MAX_VALUE;
    }

    /**
     * Chunks, greedily: a run of 7 or more equal symbols as a run-length chunk; else 14 one-bit symbols where
     * none of them is a large delta; else 7 two-bit symbols.
     */
    private static void writeChunks(ByteArrayOutputStream out, int[] symbols) {
        int i = 0;
        while (i < symbols.length) {
            int run = 1;
            while (i + run < symbols.length && symbols[i + run] == symbols[i] && run < 0x1FFF) {
                run++;
            }
            if (run >= 7) {
                putShort(out, symbols[i] << 13 | run);
                i += run;
                continue;
            }
            boolean oneBit = true;
            for (int j = i; j < Math.min(symbols.length, i + 14); j++) {
                oneBit &= symbols[j] != LARGE;
            }
            int chunk;
            if (oneBit) {
                chunk = 0x8000;
                for (int j = 0; j < 14; j++) {
                    int symbol = i + j < symbols.length ? symbols[i + j] : MISSING;
                    chunk |= symbol << (13 - j);
                }
                i += 14;
            } else {
                chunk = 0xC000;
                for (int j = 0; j < 7; j++) {
                    int symbol = i + j < symbols.length ? symbols[i + j] : MISSING;
                    chunk |= symbol << (12 - 2 * j);
                }
                i += 7;
            }
            putShort(out, chunk);
        }
    }

    /**
     * Reads the FCI of an RTPFB FMT 15 packet (what {@link RtcpPacket.TransportCc#feedback} holds: everything
     * after the two SSRCs).
     *
     * @throws MalformedPacketException when it is short, or a symbol is the reserved one
     */
    public static TransportFeedback parse(byte[] fci) {
        return parse(fci, 0xFFFF);
    }

    /**
     * As {@link #parse(byte[])}, refusing a feedback on more than {@code maxCount} packets before anything is
     * allocated for them: eight run-length chunks in 36 bytes can claim 65,535 packets, and a reader that remembers
     * fewer than that has nothing to learn from the rest.
     */
    public static TransportFeedback parse(byte[] fci, int maxCount) {
        if (fci.length < 8) {
            throw new MalformedPacketException("transport feedback shorter than its header");
        }
        int base = u16(fci, 0);
        int count = u16(fci, 2);
        int reference = (fci[4] & 0xFF) << 16 | (fci[5] & 0xFF) << 8 | (fci[6] & 0xFF);
        if ((reference & 0x800000) != 0) {
            reference -= 0x1000000; // signed 24 bits
        }
        int feedbackCount = fci[7] & 0xFF;
        if (count == 0 || count > maxCount) {
            throw new MalformedPacketException("transport feedback for " + count + " packets");
        }
        int[] symbols = new int[count];
        int at = 8;
        int read = 0;
        while (read < count) {
            if (at + 2 > fci.length) {
                throw new MalformedPacketException("transport feedback ends inside its status chunks");
            }
            int chunk = u16(fci, at);
            at += 2;
            if ((chunk & 0x8000) == 0) {
                int symbol = chunk >> 13 & 0x3;
                int run = chunk & 0x1FFF;
                for (int j = 0; j < run && read < count; j++) {
                    symbols[read++] = symbol;
                }
            } else if ((chunk & 0x4000) == 0) {
                for (int j = 0; j < 14 && read < count; j++) {
                    symbols[read++] = chunk >> (13 - j) & 0x1;
                }
            } else {
                for (int j = 0; j < 7 && read < count; j++) {
                    symbols[read++] = chunk >> (12 - 2 * j) & 0x3;
                }
            }
        }
        long[] arrivals = new long[count];
        long tick = (long) reference * (REFERENCE_MICROS / TICK_MICROS);
        for (int i = 0; i < count; i++) {
            switch (symbols[i]) {
                case MISSING -> arrivals[i] = NOT_RECEIVED;
                case SMALL -> {
                    if (at + 1 > fci.length) {
                        throw new MalformedPacketException("transport feedback ends inside its deltas");
                    }
                    tick += fci[at++] & 0xFF;
                    arrivals[i] = tick * TICK_MICROS;
                }
                case LARGE -> {
                    if (at + 2 > fci.length) {
                        throw new MalformedPacketException("transport feedback ends inside its deltas");
                    }
                    tick += (short) u16(fci, at);
                    at += 2;
                    arrivals[i] = tick * TICK_MICROS;
                }
                default -> throw new MalformedPacketException("transport feedback uses the reserved status symbol");
            }
        }
        return new TransportFeedback(base, feedbackCount, arrivals);
    }

    private static int u16(byte[] data, int at) {
        return (data[at] & 0xFF) << 8 | (data[at + 1] & 0xFF);
    }

    private static void putShort(ByteArrayOutputStream out, int value) {
        out.write(value >> 8 & 0xFF);
        out.write(value & 0xFF);
    }

    private static void putInt(ByteArrayOutputStream out, int value) {
        putShort(out, value >>> 16);
        putShort(out, value & 0xFFFF);
    }
}
