package io.wenzhen.quality.analytics;

/**
 * The 0–5 grade of ZEGO's quality events (ZegoStreamQualityLevel), from a MOS: the bands are those of
 * the E-model's user-satisfaction categories (ITU-T G.107 Annex B, G.109), R 80 / 70 / 60 / 50, i.e.
 * MOS 4.02 / 3.60 / 3.10 / 2.58. The SDK grades its own figures with the same bands (sdk/web/src/mos.js),
 * so a doctor's on-screen grade and hospital IT's agree.
 */
public enum Grade {
    EXCELLENT, GOOD, MEDIUM, POOR, UNUSABLE, UNKNOWN;

    /** The MOS of R = 80, 70, 60, 50: about 4.02, 3.60, 3.10, 2.58. */
    static final double[] LOWER_BOUNDS = {AudioMos.mos(80), AudioMos.mos(70), AudioMos.mos(60), AudioMos.mos(50)};

    public static Grade of(double mos) {
        if (Double.isNaN(mos)) {
            return UNKNOWN;
        }
        for (int i = 0; i < LOWER_BOUNDS.length; i++) {
            if (mos >= LOWER_BOUNDS[i]) {
                return values()[i];
            }
        }
        return UNUSABLE;
    }

    /** The number on the wire (0 best .. 4 worst, 5 unknown). */
    public int level() {
        return ordinal();
    }
}
