package io.wenzhen.quality.analytics;

/**
 * Estimated listening MOS of an Opus call leg from the ITU-T G.107 E-model, simplified for VoIP as
 * Cole and Rosenbluth did (ACM SIGCOMM CCR 31(2), 2001): with every other factor at its G.107 default,
 * R = 93.2 − Id − Ie,eff, where Id is the delay impairment and Ie,eff the equipment impairment under
 * packet loss; R then maps to MOS by G.107 Annex B. The Opus parameters are a convention, stated in
 * docs/quality.md: ITU-T G.113 has no values for Opus (nor, as its maintainers say, any published work),
 * so Opus is planned like G.711 with packet-loss concealment, G.113 Appendix I's Ie = 0 and Bpl = 25.1,
 * which under-rates Opus's in-band FEC rather than over-rating it.
 */
public final class AudioMos {

    /** R with all G.107 defaults (Ro − Is). */
    static final double R_DEFAULT = 93.2;
    /** Equipment impairment of Opus without loss (see the class comment). */
    static final double IE_OPUS = 0;
    /** Packet-loss robustness of Opus (see the class comment). */
    static final double BPL_OPUS = 25.1;
    /** Opus in WebRTC: a 20 ms frame, plus about 20 ms of encoder look-ahead and playout. */
    static final double CODEC_DELAY_MS = 40;

    private AudioMos() {
    }

    /**
     * @param lossFraction packets lost, 0..1
     * @param jitterMs     interarrival jitter
     * @param rttMs        round trip to the gateway (half of it is taken as the network's one-way delay), or NaN
     */
    public static double estimate(double lossFraction, double jitterMs, double rttMs) {
        return mos(rFactor(lossFraction, jitterMs, rttMs));
    }

    /** The transmission rating R (0..100). */
    public static double rFactor(double lossFraction, double jitterMs, double rttMs) {
        double oneWay = (Double.isNaN(rttMs) ? 0 : Math.max(0, rttMs) / 2) + 2 * Math.max(0, nanToZero(jitterMs))
                + CODEC_DELAY_MS;
        double id = 0.024 * oneWay + (oneWay > 177.3 ? 0.11 * (oneWay - 177.3) : 0);
        double ppl = 100 * Math.min(1, Math.max(0, nanToZero(lossFraction)));
        double burstR = 1; // random loss: the RTP statistics the gateway and the browsers report do not show bursts
        double ieEff = IE_OPUS + (95 - IE_OPUS) * ppl / (ppl / burstR + BPL_OPUS);
        return Math.max(0, Math.min(100, R_DEFAULT - id - ieEff));
    }

    /** G.107 Annex B: R to the estimated MOS (1 .. 4.5). */
    public static double mos(double r) {
        if (r <= 0) {
            return 1;
        }
        if (r >= 100) {
            return 4.5;
        }
        return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
    }

    private static double nanToZero(double value) {
        return Double.isNaN(value) ? 0 : value;
    }
}
