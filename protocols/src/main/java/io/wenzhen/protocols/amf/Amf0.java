package io.wenzhen.protocols.amf;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.wenzhen.protocols.MalformedPacketException;

/**
 * AMF0 (Adobe's Action Message Format 0), the encoding of RTMP commands and FLV script data. Values
 * map to Java as: number → Double, boolean → Boolean, string and long string → String, object and
 * ECMA array → Map (in order), strict array → List, null and undefined → null, date → Double (ms).
 * References, XML, typed objects and AMF3 switches are refused: no RTMP client needs them here.
 */
public final class Amf0 {

    static final int NUMBER = 0x00;
    static final int BOOLEAN = 0x01;
    static final int STRING = 0x02;
    static final int OBJECT = 0x03;
    static final int NULL = 0x05;
    static final int UNDEFINED = 0x06;
    static final int ECMA_ARRAY = 0x08;
    static final int OBJECT_END = 0x09;
    static final int STRICT_ARRAY = 0x0A;
    static final int DATE = 0x0B;
    static final int LONG_STRING = 0x0C;
    /** Nesting deeper than this is refused: commands are flat, and recursion must stay bounded. */
    static final int MAX_DEPTH = 16;

    private Amf0() {
    }

    /** Every value in {@code data[offset, offset + length)}, in order. */
    public static List<Object> decode(byte[] data, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > data.length) {
            throw new MalformedPacketException("AMF0: range outside the buffer");
        }
        Reader reader = new Reader(data, offset, offset + length);
        List<Object> values = new ArrayList<>();
        while (reader.position < reader.end) {
            values.add(reader.value(0));
        }
        return values;
    }

    public static List<Object> decode(byte[] data) {
        return decode(data, 0, data.length);
    }

    /** The values in AMF0: Number, Boolean, CharSequence, Map (as an object), List (strict array), null. */
    public static byte[] encode(Object... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object value : values) {
            write(out, value, 0);
        }
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, Object value, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("AMF0: nested deeper than " + MAX_DEPTH);
        }
        switch (value) {
            case null -> out.write(NULL);
            case Number number -> {
                out.write(NUMBER);
                long bits = Double.doubleToLongBits(number.doubleValue());
                for (int shift = 56; shift >= 0; shift -= 8) {
                    out.write((int) (bits >>> shift));
                }
            }
            case Boolean flag -> {
                out.write(BOOLEAN);
                out.write(flag ? 1 : 0);
            }
            case CharSequence text -> {
                byte[] utf8 = text.toString().getBytes(StandardCharsets.UTF_8);
                if (utf8.length > 0xFFFF) {
                    out.write(LONG_STRING);
                    writeInt(out, utf8.length);
                } else {
                    out.write(STRING);
                    writeShort(out, utf8.length);
                }
                out.writeBytes(utf8);
            }
            case Map<?, ?> map -> {
                out.write(OBJECT);
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    byte[] key = String.valueOf(entry.getKey()).getBytes(StandardCharsets.UTF_8);
                    writeShort(out, key.length);
                    out.writeBytes(key);
                    write(out, entry.getValue(), depth + 1);
                }
                writeShort(out, 0);
                out.write(OBJECT_END);
            }
            case List<?> list -> {
                out.write(STRICT_ARRAY);
                writeInt(out, list.size());
                for (Object element : list) {
                    write(out, element, depth + 1);
                }
            }
            default -> throw new IllegalArgumentException("AMF0 cannot encode " + value.getClass().getName());
        }
    }

    private static void writeShort(ByteArrayOutputStream out, int value) {
        out.write(value >>> 8);
        out.write(value);
    }

    private static void writeInt(ByteArrayOutputStream out, int value) {
        out.write(value >>> 24);
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
    }

    /** A cursor over the input that refuses to read past its end. */
    private static final class Reader {
        final byte[] data;
        int position;
        final int end;

        Reader(byte[] data, int position, int end) {
            this.data = data;
            this.position = position;
            this.end = end;
        }

        Object value(int depth) {
            if (depth > MAX_DEPTH) {
                throw new MalformedPacketException("AMF0: nested deeper than " + MAX_DEPTH);
            }
            int marker = u8();
            return switch (marker) {
                case NUMBER -> number();
                case BOOLEAN -> u8() != 0;
                case STRING -> string(u16());
                case LONG_STRING -> string(u32());
                case OBJECT -> properties(depth);
                case ECMA_ARRAY -> {
                    need(4); // an approximate count that readers must not trust: the end marker ends it
                    position += 4;
                    yield properties(depth);
                }
                case STRICT_ARRAY -> {
                    long count = u32();
                    // each element takes at least one byte: a count beyond the input is a lie
                    if (count > end - position) {
                        throw new MalformedPacketException("AMF0: strict array of " + count + " elements in " + (end - position) + " bytes");
                    }
                    List<Object> list = new ArrayList<>((int) count);
                    for (long i = 0; i < count; i++) {
                        list.add(value(depth + 1));
                    }
                    yield list;
                }
                case DATE -> {
                    double millis = number();
                    need(2);
                    position += 2; // the time zone, unused by the format's own definition
                    yield millis;
                }
                case NULL, UNDEFINED -> null;
                default -> throw new MalformedPacketException("AMF0: unsupported marker 0x" + Integer.toHexString(marker));
            };
        }

        Map<String, Object> properties(int depth) {
            Map<String, Object> map = new LinkedHashMap<>();
            while (true) {
                int keyLength = u16();
                if (keyLength == 0) {
                    if (u8() != OBJECT_END) {
                        throw new MalformedPacketException("AMF0: empty property name without the object end marker");
                    }
                    return map;
                }
                String key = string(keyLength);
                map.put(key, value(depth + 1));
            }
        }

        double number() {
            need(8);
            long bits = 0;
            for (int i = 0; i < 8; i++) {
                bits = (bits << 8) | (data[position++] & 0xFF);
            }
            return Double.longBitsToDouble(bits);
        }

        String string(long length) {
            if (length > end - position) {
                throw new MalformedPacketException("AMF0: string of " + length + " bytes, " + (end - position) + " left");
            }
            String text = new String(data, position, (int) length, StandardCharsets.UTF_8);
            position += (int) length;
            return text;
        }

        int u8() {
            need(1);
            return data[position++] & 0xFF;
        }

        int u16() {
            need(2);
            int value = ((data[position] & 0xFF) << 8) | (data[position + 1] & 0xFF);
            position += 2;
            return value;
        }

        long u32() {
            need(4);
            long value = ((long) (data[position] & 0xFF) << 24) | ((data[position + 1] & 0xFF) << 16)
                    | ((data[position + 2] & 0xFF) << 8) | (data[position + 3] & 0xFF);
            position += 4;
            return value;
        }

        void need(int bytes) {
            if (end - position < bytes) {
                throw new MalformedPacketException("AMF0: truncated");
            }
        }
    }
}
