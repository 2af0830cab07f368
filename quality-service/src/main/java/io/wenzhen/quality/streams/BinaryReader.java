package io.wenzhen.quality.streams;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Reads what {@link BinaryWriter} wrote; a value cut short throws {@link BufferUnderflowException}. */
final class BinaryReader implements FieldReader {

    private final ByteBuffer in;

    BinaryReader(byte[] bytes) {
        in = ByteBuffer.wrap(bytes); // big-endian
    }

    @Override
    public int readByte() {
        return in.get() & 0xFF;
    }

    @Override
    public int readShort() {
        return in.getShort() & 0xFFFF;
    }

    @Override
    public int readInt() {
        return in.getInt();
    }

    @Override
    public long readLong() {
        return in.getLong();
    }

    @Override
    public float readFloat() {
        return in.getFloat();
    }

    @Override
    public double readDouble() {
        return in.getDouble();
    }

    @Override
    public String readString() {
        int length = readShort();
        if (length > in.remaining()) {
            throw new BufferUnderflowException();
        }
        String value = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return value;
    }

    /** Bytes left unread: a value that ends early was not what was written. */
    int remaining() {
        return in.remaining();
    }
}
