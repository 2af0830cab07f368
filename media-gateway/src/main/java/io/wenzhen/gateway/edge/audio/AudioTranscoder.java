package io.wenzhen.gateway.edge.audio;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.AV_INPUT_BUFFER_PADDING_SIZE;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_free;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_read;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_size;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_write;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;
import static org.bytedeco.ffmpeg.global.avutil.av_opt_set;
import static org.bytedeco.ffmpeg.global.avutil.av_samples_set_silence;
import static org.bytedeco.ffmpeg.global.swresample.swr_alloc_set_opts2;
import static org.bytedeco.ffmpeg.global.swresample.swr_convert;
import static org.bytedeco.ffmpeg.global.swresample.swr_free;
import static org.bytedeco.ffmpeg.global.swresample.swr_get_out_samples;
import static org.bytedeco.ffmpeg.global.swresample.swr_init;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVAudioFifo;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

import io.wenzhen.gateway.edge.codec.Ffmpeg;

/**
 * One audio stream decoded and encoded again, through FFmpeg's libraries (bytedeco's builds):
 * decoder → resampler (rate, channels, sample format) → a FIFO that cuts the encoder's frame size →
 * encoder. Holds native memory: {@link #close()} frees it. Not thread-safe; one per stream, used
 * from one thread (its methods are synchronized only so that a close from elsewhere can never free
 * memory in use). Output timestamps count samples at the output rate, from 0.
 */
public final class AudioTranscoder implements AutoCloseable {

    /** What the encoder produced: one coded frame and its presentation time in output samples. */
    public record Encoded(byte[] data, long pts) {
    }

    /** The settings of one direction. */
    public record Settings(String decoder, byte[] decoderConfig, int inputRate, int inputChannels, String encoder, int outputRate,
            int outputChannels, int outputFormat, long bitrate, Map<String, String> encoderOptions) {
    }

    private static final int MAX_INPUT = 64 * 1024;

    private AVCodecContext decoder;
    private AVCodecContext encoder;
    private final AVPacket packet = av_packet_alloc();
    private final AVFrame decoded = av_frame_alloc();
    private final AVFrame toEncode = av_frame_alloc();
    private final Ffmpeg.Input input = new Ffmpeg.Input(MAX_INPUT, MAX_INPUT);
    private final Settings settings;
    private SwrContext resampler;
    /** The input the resampler was set up for (format, rate, channels): a change rebuilds it. */
    private long resamplerInput = -1;
    private AVAudioFifo fifo;
    private long nextPts;
    private boolean closed;

    public AudioTranscoder(Settings settings) {
        Ffmpeg.load();
        this.settings = settings;
        try {
            AVCodec decoding = avcodec_find_decoder_by_name(settings.decoder());
            AVCodec encoding = avcodec_find_encoder_by_name(settings.encoder());
            if (decoding == null || encoding == null) {
                throw new IllegalStateException("FFmpeg has no " + (decoding == null ? settings.decoder() : settings.encoder()));
            }
            decoder = avcodec_alloc_context3(decoding);
            decoder.sample_rate(settings.inputRate());
            av_channel_layout_default(decoder.ch_layout(), settings.inputChannels());
            if (settings.decoderConfig() != null) {
                byte[] config = settings.decoderConfig();
                BytePointer extradata = new BytePointer(av_malloc(config.length + AV_INPUT_BUFFER_PADDING_SIZE))
                        .capacity(config.length + AV_INPUT_BUFFER_PADDING_SIZE);
                extradata.put(config).position(config.length).put(new byte[AV_INPUT_BUFFER_PADDING_SIZE]).position(0);
                decoder.extradata(extradata).extradata_size(config.length);
            }
            Ffmpeg.check(avcodec_open2(decoder, decoding, (PointerPointer<?>) null), "open " + settings.decoder());

            encoder = avcodec_alloc_context3(encoding);
            encoder.sample_rate(settings.outputRate());
            av_channel_layout_default(encoder.ch_layout(), settings.outputChannels());
            encoder.sample_fmt(settings.outputFormat());
            encoder.bit_rate(settings.bitrate());
            encoder.time_base(new AVRational().num(1).den(settings.outputRate()));
            encoder.flags(encoder.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
            settings.encoderOptions().forEach((name, value) -> av_opt_set(encoder.priv_data(), name, value, 0));
            Ffmpeg.check(avcodec_open2(encoder, encoding, (PointerPointer<?>) null), "open " + settings.encoder());
            fifo = av_audio_fifo_alloc(settings.outputFormat(), settings.outputChannels(), Math.max(4096, encoder.frame_size() * 4));
        } catch (RuntimeException e) {
            close(); // what was allocated before the failure (a publisher's bad AAC configuration, say)
            throw e;
        }
    }

    /** The encoder's global header (AAC: the AudioSpecificConfig a sequence header carries), or null. */
    public synchronized byte[] encoderConfig() {
        if (closed) {
            return null;
        }
        int size = encoder.extradata_size();
        if (size <= 0 || encoder.extradata() == null) {
            return null;
        }
        byte[] config = new byte[size];
        encoder.extradata().position(0).get(config);
        return config;
    }

    /** Samples per encoded frame (Opus at 20 ms: 960; AAC: 1024). */
    public synchronized int frameSize() {
        return closed ? 0 : encoder.frame_size();
    }

    /** One coded input frame; returns the output frames now complete. A frame the decoder refuses is skipped. */
    public synchronized List<Encoded> push(byte[] frame) {
        List<Encoded> out = new ArrayList<>();
        if (closed || !input.send(decoder, packet, frame)) {
            return out; // empty, oversized or corrupt input: the decoder conceals it in the next frame
        }
        while (avcodec_receive_frame(decoder, decoded) >= 0) {
            resample(decoded);
            av_frame_unref(decoded);
            encodeWhole(out);
        }
        return out;
    }

    /**
     * Silence for input that never came (lost or discontinued packets), so the output timeline keeps
     * pace with the input's and audio stays in step with video.
     */
    public synchronized List<Encoded> silence(int outputSamples) {
        List<Encoded> out = new ArrayList<>();
        if (closed || outputSamples <= 0) {
            return out;
        }
        AVFrame quiet = av_frame_alloc();
        try {
            quiet.nb_samples(outputSamples).format(settings.outputFormat()).sample_rate(settings.outputRate());
            av_channel_layout_default(quiet.ch_layout(), settings.outputChannels());
            Ffmpeg.check(av_frame_get_buffer(quiet, 0), "silence buffer");
            av_samples_set_silence(quiet.extended_data(), 0, outputSamples, settings.outputChannels(), settings.outputFormat());
            av_audio_fifo_write(fifo, quiet.extended_data(), outputSamples);
        } finally {
            av_frame_free(quiet);
        }
        encodeWhole(out);
        return out;
    }

    private void resample(AVFrame frame) {
        long input = ((long) frame.format() << 40) | ((long) frame.sample_rate() << 8) | frame.ch_layout().nb_channels();
        if (resampler != null && input != resamplerInput) {
            swr_free(resampler); // the decoder changed its output (an in-band configuration change)
            resampler = null;
        }
        resamplerInput = input;
        if (resampler == null) {
            SwrContext context = new SwrContext(null);
            Ffmpeg.check(swr_alloc_set_opts2(context, encoder.ch_layout(), settings.outputFormat(), settings.outputRate(), frame.ch_layout(),
                    frame.format(), frame.sample_rate(), 0, null), "resampler");
            Ffmpeg.check(swr_init(context), "resampler init");
            resampler = context;
        }
        int capacity = swr_get_out_samples(resampler, frame.nb_samples());
        if (capacity <= 0) {
            return;
        }
        AVFrame converted = av_frame_alloc();
        try {
            converted.nb_samples(capacity).format(settings.outputFormat()).sample_rate(settings.outputRate());
            av_channel_layout_default(converted.ch_layout(), settings.outputChannels());
            Ffmpeg.check(av_frame_get_buffer(converted, 0), "resample buffer");
            int samples = swr_convert(resampler, converted.extended_data(), capacity, frame.extended_data(), frame.nb_samples());
            if (samples > 0) {
                av_audio_fifo_write(fifo, converted.extended_data(), samples);
            }
        } finally {
            av_frame_free(converted);
        }
    }

    private void encodeWhole(List<Encoded> out) {
        int size = encoder.frame_size();
        while (av_audio_fifo_size(fifo) >= size) {
            av_frame_unref(toEncode);
            toEncode.nb_samples(size).format(settings.outputFormat()).sample_rate(settings.outputRate());
            av_channel_layout_default(toEncode.ch_layout(), settings.outputChannels());
            Ffmpeg.check(av_frame_get_buffer(toEncode, 0), "encode buffer");
            av_frame_make_writable(toEncode);
            av_audio_fifo_read(fifo, toEncode.extended_data(), size);
            toEncode.pts(nextPts);
            nextPts += size;
            if (avcodec_send_frame(encoder, toEncode) < 0) {
                continue;
            }
            while (avcodec_receive_packet(encoder, packet) >= 0) {
                byte[] data = new byte[packet.size()];
                packet.data().position(0).get(data);
                out.add(new Encoded(data, packet.pts()));
                av_packet_unref(packet);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (decoder != null) {
            avcodec_free_context(decoder);
        }
        if (encoder != null) {
            avcodec_free_context(encoder);
        }
        av_packet_free(packet);
        av_frame_free(decoded);
        av_frame_free(toEncode);
        if (resampler != null) {
            swr_free(resampler);
        }
        if (fifo != null) {
            av_audio_fifo_free(fifo);
        }
        input.close();
    }
}
