package io.wenzhen.gateway.edge.codec;

import static org.bytedeco.ffmpeg.global.avcodec.AV_INPUT_BUFFER_PADDING_SIZE;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.av_free;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;

import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;

/** What the edge's FFmpeg bridges (audio/, video/) share: loading the natives once, checking results, feeding a decoder. */
public final class Ffmpeg {

    private static volatile boolean loaded;

    private Ffmpeg() {
    }

    /** FFmpeg's native libraries, once (JavaCPP unpacks them to its cache directory on first use). */
    public static void load() {
        if (!loaded) {
            synchronized (Ffmpeg.class) {
                if (!loaded) {
                    Loader.load(org.bytedeco.ffmpeg.global.avcodec.class);
                    Loader.load(org.bytedeco.ffmpeg.global.swresample.class);
                    avutil.av_log_set_level(avutil.AV_LOG_ERROR); // FFmpeg's own chatter stays out of the gateway's log
                    loaded = true;
                }
            }
        }
    }

    public static void check(int result, String what) {
        if (result < 0) {
            throw new IllegalStateException("FFmpeg: " + what + " failed (" + result + ")");
        }
    }

    /**
     * Native memory to hand a decoder coded frames from Java: decoders read up to
     * AV_INPUT_BUFFER_PADDING_SIZE bytes past the data, which must be there and zero. Grows up to a
     * limit; not thread-safe (one per transcoder, used under its lock).
     */
    public static final class Input implements AutoCloseable {
        private final int limit;
        private BytePointer buffer;
        private int capacity;

        public Input(int initial, int limit) {
            this.limit = limit;
            allocate(initial);
        }

        private void allocate(int size) {
            capacity = size;
            buffer = new BytePointer(av_malloc(size + AV_INPUT_BUFFER_PADDING_SIZE)).capacity(size + AV_INPUT_BUFFER_PADDING_SIZE);
        }

        /** Sends one coded frame to the decoder; false when it is empty, over the limit, or refused. */
        public boolean send(AVCodecContext decoder, AVPacket packet, byte[] frame) {
            if (frame.length == 0 || frame.length > limit) {
                return false;
            }
            if (frame.length > capacity) {
                av_free(buffer);
                allocate(Math.min(limit, Integer.highestOneBit(frame.length) << 1));
            }
            buffer.position(0).put(frame).position(frame.length).put(new byte[AV_INPUT_BUFFER_PADDING_SIZE]).position(0);
            packet.data(buffer).size(frame.length);
            int sent = avcodec_send_packet(decoder, packet);
            packet.data(null).size(0);
            return sent >= 0;
        }

        @Override
        public void close() {
            av_free(buffer);
        }
    }
}
