package io.wenzhen.gateway.edge.audio;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code ./wenzhen bench audio-bridge [seconds] [runs]}: the CPU one transcoded audio stream costs the
 * gateway, each way. FFmpeg's command line makes the input a pusher would send (AAC-LC, 44.1 kHz
 * mono, 64 kbit/s, of pink noise: harder to code than speech, so an upper bound); the bridges then
 * run in this thread, timed by its CPU clock. Prints, per run and as the median, the CPU milliseconds
 * per second of audio for AAC -> Opus (an RTMP pusher heard on the web) and Opus -> AAC (a web user
 * heard in a mini-program).
 */
public final class AudioBridgeBenchmark {

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path adts = Files.createTempFile("wenzhen-bench", ".aac");
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                "anoisesrc=color=pink:amplitude=0.3:sample_rate=44100:duration=" + seconds, "-ac", "1", "-c:a", "aac", "-b:a", "64k",
                "-f", "adts", adts.toString()).inheritIO().start();
        if (ffmpeg.waitFor() != 0) {
            throw new IllegalStateException("ffmpeg could not make the AAC input (apt-get install ffmpeg)");
        }
        byte[] file = Files.readAllBytes(adts);
        Files.delete(adts);
        List<byte[]> aac = new ArrayList<>();
        byte[] config = adtsFrames(file, aac);
        double audioSeconds = aac.size() * 1024 / 44100.0;
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        System.out.printf("input: %d AAC frames, %.1f s of audio; %d runs%n", aac.size(), audioSeconds, runs);
        double[] toOpus = new double[runs];
        double[] toAac = new double[runs];
        for (int run = 0; run < runs; run++) {
            List<byte[]> opus = new ArrayList<>();
            long start = cpu.getCurrentThreadCpuTime();
            try (AudioTranscoder bridge = AudioBridges.aacToOpus(config, AudioBridges.channels(config))) {
                for (byte[] frame : aac) {
                    bridge.push(frame).forEach(encoded -> opus.add(encoded.data()));
                }
            }
            toOpus[run] = (cpu.getCurrentThreadCpuTime() - start) / 1e6 / audioSeconds;
            int aacOut = 0;
            start = cpu.getCurrentThreadCpuTime();
            try (AudioTranscoder bridge = AudioBridges.opusToAac()) {
                for (byte[] packet : opus) {
                    aacOut += bridge.push(packet).size();
                }
            }
            toAac[run] = (cpu.getCurrentThreadCpuTime() - start) / 1e6 / audioSeconds;
            System.out.printf("run %d: AAC -> Opus %.2f ms CPU per audio second (%d Opus packets); Opus -> AAC %.2f ms (%d AAC frames)%n",
                    run + 1, toOpus[run], opus.size(), toAac[run], aacOut);
        }
        System.out.printf("median: AAC -> Opus %.2f ms/s (%.2f %% of a core per stream), Opus -> AAC %.2f ms/s (%.2f %% of a core)%n",
                median(toOpus), median(toOpus) / 10, median(toAac), median(toAac) / 10);
    }

    /** Raw AAC frames out of an ADTS file (ISO/IEC 13818-7, 6.2), and the AudioSpecificConfig its headers describe. */
    static byte[] adtsFrames(byte[] file, List<byte[]> frames) {
        byte[] config = null;
        int at = 0;
        while (file.length - at >= 7) {
            if ((file[at] & 0xFF) != 0xFF || (file[at + 1] & 0xF0) != 0xF0) {
                throw new IllegalStateException("not ADTS at " + at);
            }
            boolean crc = (file[at + 1] & 0x01) == 0;
            int header = crc ? 9 : 7;
            int length = ((file[at + 3] & 0x03) << 11) | ((file[at + 4] & 0xFF) << 3) | ((file[at + 5] & 0xE0) >>> 5);
            if (config == null) {
                int objectType = ((file[at + 2] & 0xC0) >>> 6) + 1;
                int frequency = (file[at + 2] & 0x3C) >>> 2;
                int channels = ((file[at + 2] & 0x01) << 2) | ((file[at + 3] & 0xC0) >>> 6);
                config = new byte[] {(byte) ((objectType << 3) | (frequency >>> 1)), (byte) (((frequency & 1) << 7) | (channels << 3))};
            }
            frames.add(Arrays.copyOfRange(file, at + header, at + length));
            at += length;
        }
        return config;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
