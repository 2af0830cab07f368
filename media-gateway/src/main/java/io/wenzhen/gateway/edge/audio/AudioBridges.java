package io.wenzhen.gateway.edge.audio;

import java.util.Map;

import org.bytedeco.ffmpeg.global.avutil;

/**
 * The two audio bridges between WebRTC and mini-programs. Opus is what WebRTC players decode, AAC
 * what live-pusher sends and live-player plays; neither side can take the other's.
 */
public final class AudioBridges {

    /** Opus at 48 kHz in 20 ms frames, as WebRTC sends it; VoIP tuning, in-band FEC for lossy paths. */
    static final int OPUS_RATE = 48000;
    static final long OPUS_BITRATE = 32_000;
    /** AAC-LC at 48 kHz, mono: speech in a consultation; 48 kbit/s is transparent for it. */
    static final long AAC_BITRATE = 48_000;

    private AudioBridges() {
    }

    /**
     * AAC (from an RTMP publisher) to Opus, keeping its channel count.
     *
     * @param audioSpecificConfig the AAC sequence header's payload
     */
    public static AudioTranscoder aacToOpus(byte[] audioSpecificConfig, int channels) {
        return new AudioTranscoder(new AudioTranscoder.Settings("aac", audioSpecificConfig, 44100, channels, "libopus", OPUS_RATE,
                channels, avutil.AV_SAMPLE_FMT_S16, OPUS_BITRATE, Map.of("application", "voip", "frame_duration", "20",
                        "fec", "1", "packet_loss", "5")));
    }

    /** Opus (from a WebRTC publisher) to mono AAC-LC at 48 kHz. */
    public static AudioTranscoder opusToAac() {
        return new AudioTranscoder(new AudioTranscoder.Settings("libopus", null, OPUS_RATE, 2, "aac", OPUS_RATE, 1,
                avutil.AV_SAMPLE_FMT_FLTP, AAC_BITRATE, Map.of()));
    }

    /** The channel count an AudioSpecificConfig declares (ISO/IEC 14496-3, 1.6.2.1), 2 when it cannot be read. */
    public static int channels(byte[] audioSpecificConfig) {
        if (audioSpecificConfig.length < 2) {
            return 2;
        }
        int objectType = (audioSpecificConfig[0] & 0xFF) >>> 3;
        int frequencyIndex = ((audioSpecificConfig[0] & 0x07) << 1) | ((audioSpecificConfig[1] & 0x80) >>> 7);
        if (objectType == 31 || frequencyIndex == 15) {
            return 2; // escape values: rare layouts; the decoder reads the truth from the config itself
        }
        int channels = (audioSpecificConfig[1] & 0x78) >>> 3;
        return channels == 1 ? 1 : 2;
    }
}
