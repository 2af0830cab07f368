package io.wenzhen.quality.analytics;

/**
 * Estimated video MOS (1 .. 4.5) of a forwarded stream from what the network sees, without decoding.
 * No ITU-T model fits an SFU's vantage point exactly; this heuristic takes the inputs of ITU-T P.1203
 * mode 0 (bitrate, resolution, frame rate; stalls integrated afterwards, as P.1203.3 does) with
 * coefficients of our own, calibrated so that 640x480 at 30 fps reads "excellent" from about 0.8
 * Mbit/s, "poor" around 0.3 Mbit/s and "unusable" below about 0.2 Mbit/s. The formula and its reasoning are in docs/quality.md.
 */
public final class VideoMos {

    /** Bits per pixel at which coding quality reaches 1 − 1/e of its range. */
    static final double BPP_SCALE = 0.04;
    /** The frame rate considered fluid. */
    static final double FLUID_FPS = 30;

    private VideoMos() {
    }

    /**
     * @param kbps          video bitrate
     * @param width         frame width, 0 when unknown (640x480 is assumed)
     * @param height        frame height, 0 when unknown
     * @param fps           frames per second, NaN when unknown ({@link #FLUID_FPS} is assumed)
     * @param frozenShare   the share of the window the picture stood still, 0..1
     * @param freezes       freezes that began in the window
     * @param windowSeconds the window's length, to scale the count of freezes
     */
    public static double estimate(double kbps, int width, int height, double fps, double frozenShare, double freezes,
            double windowSeconds) {
        if (Double.isNaN(kbps) || kbps <= 0) {
            return 1;
        }
        double pixels = width > 0 && height > 0 ? (double) width * height : 640 * 480;
        double rate = Double.isNaN(fps) ? FLUID_FPS : Math.max(0, fps);
        if (rate < 0.5) {
            return 1; // a still picture
        }
        double bitsPerPixel = kbps * 1000 / (pixels * rate);
        double coding = 1 + 3.5 * (1 - Math.exp(-bitsPerPixel / BPP_SCALE));
        double fluidity = Math.min(1, Math.log(1 + rate) / Math.log(1 + FLUID_FPS));
        double quality = 1 + (coding - 1) * fluidity;
        double share = Double.isNaN(frozenShare) ? 0 : Math.min(1, Math.max(0, frozenShare));
        double perTenSeconds = windowSeconds > 0 && !Double.isNaN(freezes) ? freezes * 10 / windowSeconds : 0;
        quality -= 3.5 * Math.min(1, 2.5 * share) + 0.15 * Math.min(5, perTenSeconds);
        return Math.max(1, Math.min(4.5, quality));
    }
}
