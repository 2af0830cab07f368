package io.wenzhen.gateway.edge.video;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;

/**
 * {@code ./wenzhen bench video-bridge [seconds] [runs]}: the CPU one VP8 -> H.264 bridge costs the
 * gateway. FFmpeg's command line makes what a browser would send (VP8, 640x480, 15 fps, 600 kbit/s, a
 * moving test picture); the bridge's transcoder (FFmpeg's vp8 decoder, OpenH264 at 800 kbit/s) runs in
 * this thread, timed by its CPU clock. Prints CPU milliseconds per second of video, per run and the median.
 */
public final class VideoBridgeBenchmark {

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<byte[]> frames = VideoBridgeTest.vp8Frames(seconds * 15, "640x480", "600k");
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        double videoSeconds = frames.size() / 15.0;
        System.out.printf("input: %d VP8 frames (640x480, 15 fps), %.1f s of video; %d runs%n", frames.size(), videoSeconds, runs);
        double[] perSecond = new double[runs];
        for (int run = 0; run < runs; run++) {
            long start = cpu.getCurrentThreadCpuTime();
            long bytes = 0;
            try (VideoTranscoder transcoder = new VideoTranscoder(VideoBridge.BITRATE, VideoBridge.FRAMES_PER_SECOND)) {
                for (byte[] frame : frames) {
                    for (byte[] unit : transcoder.push(frame)) {
                        bytes += unit.length;
                    }
                }
            }
            perSecond[run] = (cpu.getCurrentThreadCpuTime() - start) / 1e6 / videoSeconds;
            System.out.printf("run %d: %.1f ms CPU per video second (%.0f kbit/s of H.264 out)%n", run + 1, perSecond[run],
                    bytes * 8 / videoSeconds / 1000);
        }
        double[] sorted = perSecond.clone();
        Arrays.sort(sorted);
        System.out.printf("median: %.1f ms/s, %.1f %% of a core per bridged stream%n", sorted[runs / 2], sorted[runs / 2] / 10);
    }
}
