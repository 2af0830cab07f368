package io.wenzhen.quality.streams;

import java.nio.BufferUnderflowException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Map;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import io.wenzhen.quality.events.Figures;
import io.wenzhen.quality.events.QualityReport;

/**
 * The consultation stage's per-participant figures in a binary form: every window rewrites its
 * participant's accumulator, and as JSON its writing was a ninth of the stream thread. Versioned by a
 * first byte; a value starting with '{' is the JSON of earlier releases, still read, so a changelog
 * written before restores after an upgrade. Unknown figures (null) are written as NaN or -1.
 */
public final class ParticipantAccumulatorSerde implements Serde<ParticipantAccumulator> {

    static final int VERSION = 1;
    private static final JsonSerde<ParticipantAccumulator> EARLIER = new JsonSerde<>(ParticipantAccumulator.class);

    @Override
    public Serializer<ParticipantAccumulator> serializer() {
        return (topic, accumulator) -> accumulator == null ? null : write(accumulator);
    }

    @Override
    public Deserializer<ParticipantAccumulator> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }

    static byte[] write(ParticipantAccumulator a) {
        BinaryWriter out = new BinaryWriter(256 + 24 * a.sums.size() + 160 * a.worst.size());
        out.putByte(VERSION);
        out.putString(a.userId);
        out.putString(a.side);
        out.putLong(a.samples);
        out.putLong(a.windows);
        out.putByte(a.sums.size());
        for (Map.Entry<String, double[]> sum : a.sums.entrySet()) {
            out.putString(sum.getKey());
            out.putDouble(sum.getValue()[0]);
            out.putDouble(sum.getValue()[1]);
        }
        out.putInt(a.width);
        out.putInt(a.height);
        out.putDouble(a.freezes);
        out.putDouble(a.freezeMs);
        counts(out, a.grades);
        counts(out, a.audioBands);
        counts(out, a.videoBands);
        out.putByte(a.worst.size());
        for (QualityReport.Window window : a.worst) {
            instant(out, window.start());
            instant(out, window.end());
            figures(out, window.figures());
        }
        out.putByte(a.ended ? 1 : 0);
        return out.bytes();
    }

    static ParticipantAccumulator read(byte[] bytes) {
        if (bytes.length == 0) {
            throw new IllegalStateException("empty participant accumulator");
        }
        if (bytes[0] == '{') {
            return EARLIER.deserializer().deserialize(null, bytes);
        }
        if (bytes[0] != VERSION) {
            throw new IllegalStateException("participant accumulator version " + (bytes[0] & 0xFF) + " is not " + VERSION);
        }
        BinaryReader in = new BinaryReader(bytes);
        try {
            in.readByte();
            ParticipantAccumulator a = new ParticipantAccumulator(in.readString(), in.readString());
            a.samples = in.readLong();
            a.windows = in.readLong();
            for (int sums = in.readByte(); sums > 0; sums--) {
                a.sums.put(in.readString(), new double[] {in.readDouble(), in.readDouble()});
            }
            a.width = in.readInt();
            a.height = in.readInt();
            a.freezes = in.readDouble();
            a.freezeMs = in.readDouble();
            a.grades = counts(in, a.grades.length);
            a.audioBands = counts(in, a.audioBands.length);
            a.videoBands = counts(in, a.videoBands.length);
            for (int worst = in.readByte(); worst > 0; worst--) {
                a.worst.add(new QualityReport.Window(instant(in), instant(in), figures(in)));
            }
            a.ended = in.readByte() != 0;
            if (in.remaining() != 0) {
                throw new IllegalStateException("participant accumulator with " + in.remaining() + " bytes after it");
            }
            return a;
        } catch (BufferUnderflowException | IllegalArgumentException | DateTimeException e) {
            throw new IllegalStateException("participant accumulator cut short or malformed: " + e, e);
        }
    }

    private static void counts(BinaryWriter out, long[] counts) {
        out.putByte(counts.length);
        for (long count : counts) {
            out.putLong(count);
        }
    }

    private static long[] counts(BinaryReader in, int expected) {
        int length = in.readByte();
        if (length != expected) {
            throw new IllegalArgumentException(length + " counts where " + expected + " belong");
        }
        long[] counts = new long[length];
        for (int i = 0; i < length; i++) {
            counts[i] = in.readLong();
        }
        return counts;
    }

    private static void instant(BinaryWriter out, Instant instant) {
        out.putLong(instant.getEpochSecond());
        out.putInt(instant.getNano());
    }

    private static Instant instant(BinaryReader in) {
        long seconds = in.readLong();
        return Instant.ofEpochSecond(seconds, in.readInt());
    }

    private static void figures(BinaryWriter out, Figures f) {
        out.putInt(f.samples());
        for (Double value : new Double[] {f.videoKbps(), f.audioKbps(), f.fps(), f.videoLoss(), f.audioLoss(), f.jitterMs(), f.rttMs(),
            f.freezes(), f.freezeMs(), f.audioMos(), f.videoMos(), f.mos()}) {
            out.putDouble(value == null ? Double.NaN : value);
        }
        out.putInt(f.width() == null ? -1 : f.width());
        out.putInt(f.height() == null ? -1 : f.height());
        out.putByte(f.grade());
    }

    private static Figures figures(BinaryReader in) {
        int samples = in.readInt();
        Double[] v = new Double[12];
        for (int i = 0; i < v.length; i++) {
            double value = in.readDouble();
            v[i] = Double.isNaN(value) ? null : value;
        }
        int width = in.readInt();
        int height = in.readInt();
        return new Figures(samples, v[0], v[1], v[2], width < 0 ? null : width, height < 0 ? null : height, v[3], v[4], v[5], v[6], v[7],
                v[8], v[9], v[10], v[11], in.readByte());
    }
}
