package io.wenzhen.protocols.flv;

/**
 * One FLV tag (Adobe FLV 10.1, Annex E.4): an audio, video or script-data body at a timestamp. The
 * same bodies travel in RTMP audio/video/data messages, which is why the edge speaks both.
 *
 * @param timestamp milliseconds, 32 bits
 */
public record FlvTag(int type, long timestamp, byte[] data) {

    public static final int AUDIO = 8;
    public static final int VIDEO = 9;
    public static final int SCRIPT = 18;
}
