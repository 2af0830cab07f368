package io.wenzhen.quality.streams;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * the participant's. Versioned by a first byte.
 */
public final class ParticipantStateSerde implements Serde<ParticipantState> {

    static final int VERSION = 1;

    @Override
    public Serializer<ParticipantState> serializer() {
        return (topic, state) -> state == null ? null : write(state);
    }

    @Override
    public Deserializer<ParticipantState> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }

    static byte[] write(ParticipantState state) {
        // sized for a participant with a full window (about 1 KB): growing the buffer was a tenth of the stream thread
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 64 * (state.window.samples.size() + 2) + 48 * state.window.alerts.size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            ParticipantWindow w = state.window;
            out.writeByte(VERSION);
            out.writeLong(state.appId);
            out.writeUTF(state.roomId);
            out.writeUTF(state.streamId);
            nullable(out, state.publisherUserId);
            out.writeBoolean(state.dirty);
            out.writeUTF(w.userId);
            out.writeByte(w.side.ordinal());
            out.writeLong(w.bucketStart);
            out.writeLong(w.bucketSamples);
            out.writeLong(w.samplesTotal);
            out.writeLong(w.lastArrivalWall);
            sample(out, w.clientBefore);
            sample(out, w.serverBefore);
            out.writeShort(w.samples.size());
            for (Sample sample : w.samples) {
                sample(out, sample);
            }
            out.writeByte(w.alerts.size());
            for (Map.Entry<String, AlertTracker> entry : w.alerts.entrySet()) {
                AlertTracker t = entry.getValue();
                out.writeUTF(entry.getKey());
                out.writeLong(t.breachSince);
                out.writeLong(t.raisedAt);
                out.writeLong(t.clearSince);
                out.writeDouble(t.worst);
                out.writeDouble(t.raisedValue);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static ParticipantState read(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalStateException("participant state version " + version + " is not " + VERSION);
            }
            ParticipantState state = new ParticipantState();
            state.appId = in.readLong();
            state.roomId = in.readUTF();
            state.streamId = in.readUTF();
            state.publisherUserId = nullable(in);
            state.dirty = in.readBoolean();
            ParticipantWindow w = new ParticipantWindow(in.readUTF(), Sample.Side.values()[in.readUnsignedByte()]);
            state.window = w;
            w.bucketStart = in.readLong();
            w.bucketSamples = in.readLong();
            w.samplesTotal = in.readLong();
            w.lastArrivalWall = in.readLong();
            w.clientBefore = sample(in, state);
            w.serverBefore = sample(in, state);
            int samples = in.readUnsignedShort();
            for (int i = 0; i < samples; i++) {
                w.samples.add(sample(in, state));
            }
            int alerts = in.readUnsignedByte();
            for (int i = 0; i < alerts; i++) {
                String rule = in.readUTF();
                AlertTracker t = new AlertTracker();
                t.breachSince = in.readLong();
                t.raisedAt = in.readLong();
                t.clearSince = in.readLong();
                t.worst = in.readDouble();
                t.raisedValue = in.readDouble();
                w.alerts.put(rule, t);
            }
            return state;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sample(DataOutputStream out, Sample s) throws IOException {
        if (s == null) {
            out.writeByte(0);
            return;
        }
        out.writeByte(1 + s.source().ordinal());
        out.writeLong(s.atMillis());
        out.writeFloat((float) s.videoKbps());
        out.writeFloat((float) s.audioKbps());
        out.writeFloat((float) s.fps());
        out.writeShort(s.width());
        out.writeShort(s.height());
        out.writeFloat((float) s.videoLoss());
        out.writeFloat((float) s.audioLoss());
        out.writeFloat((float) s.jitterMs());
        out.writeFloat((float) s.rttMs());
        out.writeDouble(s.freezes());
        out.writeDouble(s.freezeMs());
    }

    private static Sample sample(DataInputStream in, ParticipantState state) throws IOException {
        int tag = in.readUnsignedByte();
        if (tag == 0) {
            return null;
        }
        ParticipantWindow w = state.window;
        return new Sample(state.appId, state.roomId, state.streamId, w.userId, w.side, Sample.Source.values()[tag - 1], in.readLong(),
                in.readFloat(), in.readFloat(), in.readFloat(), in.readUnsignedShort(), in.readUnsignedShort(), in.readFloat(),
                in.readFloat(), in.readFloat(), in.readFloat(), in.readDouble(), in.readDouble());
    }

    private static void nullable(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    private static String nullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
