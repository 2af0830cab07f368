package io.wenzhen.quality.streams;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Big-endian fields into one growing array, for the binary forms of the analytics' state: sized well,
 * it is written without a copy but the last (DataOutputStream through a ByteArrayOutputStream was a
 * tenth of the stream thread). Strings as an unsigned 16-bit length and UTF-8.
 */
final class BinaryWriter {

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private byte[] buffer;
    private int position;

    BinaryWriter(int capacity) {
        buffer = new byte[capacity];
    }

    void putByte(int value) {
        room(1);
        buffer[position++] = (byte) value;
    }

    /** An unsigned 16-bit value. */
    void putShort(int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException("does not fit 16 bits: " + value);
        }
        room(2);
        SHORT.set(buffer, position, (short) value);
        position += 2;
    }

    void putInt(int value) {
        room(4);
        INT.set(buffer, position, value);
        position += 4;
    }

    void putLong(long value) {
        room(8);
        LONG.set(buffer, position, value);
        position += 8;
    }

    void putFloat(float value) {
        putInt(Float.floatToRawIntBits(value));
    }

    void putDouble(double value) {
        putLong(Double.doubleToRawLongBits(value));
    }

    void putString(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        putShort(utf8.length);
        room(utf8.length);
        System.arraycopy(utf8, 0, buffer, position, utf8.length);
        position += utf8.length;
    }

    byte[] bytes() {
        return position == buffer.length ? buffer : Arrays.copyOf(buffer, position);
    }

    private void room(int bytes) {
        if (position + bytes > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, position + bytes));
        }
    }
}
