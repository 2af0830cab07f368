package io.wenzhen.gateway.edge.audio;

import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.Loader;

/** Loads FFmpeg's native libraries once (JavaCPP unpacks them to its cache directory on first use). */
public final class FfmpegLibraries {

    private static volatile boolean loaded;

    private FfmpegLibraries() {
    }

    public static void load() {
        if (!loaded) {
            synchronized (FfmpegLibraries.class) {
                if (!loaded) {
                    Loader.load(org.bytedeco.ffmpeg.global.avcodec.class);
                    Loader.load(org.bytedeco.ffmpeg.global.swresample.class);
                    avutil.av_log_set_level(avutil.AV_LOG_ERROR); // FFmpeg's own chatter stays out of the gateway's log
                    loaded = true;
                }
            }
        }
    }
}
