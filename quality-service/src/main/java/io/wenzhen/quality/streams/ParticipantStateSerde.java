package io.wenzhen.quality.streams;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.util.Map;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import io.wenzhen.quality.analytics.AlertTracker;
import io.wenzhen.quality.analytics.ParticipantWindow;
import io.wenzhen.quality.analytics.Sample;

/**
 * Stage one's state in a compact binary form: every sample rewrites its participant's state in the
 * store and its changelog, so its size and its encoding cost are the pipeline's throughput (JSON with
 * field names was ten times larger and slower). A sample keeps only its figures; who it belongs to is
 * the participant's. Versioned by a first byte: version 2 is written (big-endian fields straight into
 * one array, strings as length and UTF-8); version 1 (DataOutputStream, with two fields since dropped)
 * is still read, so a changelog written before restores after an upgrade.
 */
public final class ParticipantStateSerde implements Serde<ParticipantState> {

    static final int VERSION = 2;

    @Override
    public Serializer<ParticipantState> serializer() {
        return (topic, state) -> state == null ? null : write(state);
    }

    @Override
    public Deserializer<ParticipantState> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }

    static byte[] write(ParticipantState state) {
        ParticipantWindow w = state.window;
        // sized for the whole state (a full window is about 1 KB): growing the buffer was a tenth of the stream thread
        BinaryWriter out = new BinaryWriter(80 + SAMPLE_BYTES * (w.samples.size() + 2) + 48 * w.alerts.size());
        out.putByte(VERSION);
        out.putLong(state.appId);
        out.putString(state.roomId);
        out.putString(state.streamId);
        out.putByte(state.publisherUserId != null ? 1 : 0);
        if (state.publisherUserId != null) {
            out.putString(state.publisherUserId);
        }
        out.putByte(state.dirty ? 1 : 0);
        out.putString(w.userId);
        out.putByte(w.side.ordinal());
        out.putLong(w.bucketStart);
        out.putLong(w.bucketSamples);
        out.putLong(w.lastArrivalWall);
        sample(out, w.clientBefore);
        sample(out, w.serverBefore);
        out.putShort(w.samples.size());
        for (Sample sample : w.samples) {
            sample(out, sample);
        }
        out.putByte(w.alerts.size());
        for (Map.Entry<String, AlertTracker> entry : w.alerts.entrySet()) {
            AlertTracker t = entry.getValue();
            out.putString(entry.getKey());
            out.putLong(t.breachSince);
            out.putLong(t.raisedAt);
            out.putLong(t.clearSince);
            out.putDouble(t.worst);
        }
        return out.bytes();
    }

    static ParticipantState read(byte[] bytes) {
        if (bytes.length == 0) {
            throw new IllegalStateException("empty participant state");
        }
        int version = bytes[0] & 0xFF;
        try {
            return switch (version) {
                case 1 -> read(new Version1(bytes), true);
                case 2 -> {
                    BinaryReader in = new BinaryReader(bytes);
                    ParticipantState state = read(in, false);
                    if (in.remaining() != 0) {
                        throw new IllegalStateException("participant state with " + in.remaining() + " bytes after it");
                    }
                    yield state;
                }
                default -> throw new IllegalStateException("participant state version " + version + " is not 1 or " + VERSION);
            };
        } catch (IOException | BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new IllegalStateException("participant state cut short or malformed: " + e, e);
        }
    }

    /** The fields in their order, the same for both versions but for the two that version 1 had more. */
    private static ParticipantState read(FieldReader in, boolean version1) throws IOException {
        in.readByte(); // the version
        ParticipantState state = new ParticipantState();
        state.appId = in.readLong();
        state.roomId = in.readString();
        state.streamId = in.readString();
        state.publisherUserId = in.readByte() != 0 ? in.readString() : null;
        state.dirty = in.readByte() != 0;
        ParticipantWindow w = new ParticipantWindow(in.readString(), Sample.Side.values()[in.readByte()]);
        state.window = w;
        w.bucketStart = in.readLong();
        w.bucketSamples = in.readLong();
        if (version1) {
            in.readLong(); // samples in all, never read
        }
        w.lastArrivalWall = in.readLong();
        w.clientBefore = sample(in, state);
        w.serverBefore = sample(in, state);
        int samples = in.readShort();
        for (int i = 0; i < samples; i++) {
            w.samples.add(sample(in, state));
        }
        int alerts = in.readByte();
        for (int i = 0; i < alerts; i++) {
            String rule = in.readString();
            AlertTracker t = new AlertTracker();
            t.breachSince = in.readLong();
            t.raisedAt = in.readLong();
            t.clearSince = in.readLong();
            t.worst = in.readDouble();
            if (version1) {
                in.readDouble(); // the raising value, never read
            }
            w.alerts.put(rule, t);
        }
        return state;
    }

    /** Tag, time, eight figures as floats, the resolution, the freeze totals as doubles. */
    private static final int SAMPLE_BYTES = 1 + 8 + 4 * 3 + 2 * 2 + 4 * 4 + 8 * 2;

    private static void sample(BinaryWriter out, Sample s) {
        if (s == null) {
            out.putByte(0);
            return;
        }
        out.putByte(1 + s.source().ordinal());
        out.putLong(s.atMillis());
        out.putFloat((float) s.videoKbps());
        out.putFloat((float) s.audioKbps());
        out.putFloat((float) s.fps());
        out.putShort(s.width());
        out.putShort(s.height());
        out.putFloat((float) s.videoLoss());
        out.putFloat((float) s.audioLoss());
        out.putFloat((float) s.jitterMs());
        out.putFloat((float) s.rttMs());
        out.putDouble(s.freezes());
        out.putDouble(s.freezeMs());
    }

    private static Sample sample(FieldReader in, ParticipantState state) throws IOException {
        int tag = in.readByte();
        if (tag == 0) {
            return null;
        }
        ParticipantWindow w = state.window;
        return new Sample(state.appId, state.roomId, state.streamId, w.userId, w.side, Sample.Source.values()[tag - 1], in.readLong(),
                in.readFloat(), in.readFloat(), in.readFloat(), in.readShort(), in.readShort(), in.readFloat(),
                in.readFloat(), in.readFloat(), in.readFloat(), in.readDouble(), in.readDouble());
    }

    /** Version 1, as DataOutputStream wrote it. */
    private static final class Version1 implements FieldReader {

        private final DataInputStream in;

        Version1(byte[] bytes) {
            in = new DataInputStream(new ByteArrayInputStream(bytes));
        }

        @Override
        public int readByte() throws IOException {
            return in.readUnsignedByte();
        }

        @Override
        public int readShort() throws IOException {
            return in.readUnsignedShort();
        }

        @Override
        public int readInt() throws IOException {
            return in.readInt();
        }

        @Override
        public long readLong() throws IOException {
            return in.readLong();
        }

        @Override
        public float readFloat() throws IOException {
            return in.readFloat();
        }

        @Override
        public double readDouble() throws IOException {
            return in.readDouble();
        }

        @Override
        public String readString() throws IOException {
            return in.readUTF();
        }
    }
}
