package io.wenzhen.quality.streams;

import java.io.IOException;

/** What reading a binary state needs, whichever way it was written; sizes read unsigned. */
interface FieldReader {

    int readByte() throws IOException;

    int readShort() throws IOException;

    int readInt() throws IOException;

    long readLong() throws IOException;

    float readFloat() throws IOException;

    double readDouble() throws IOException;

    String readString() throws IOException;
}
