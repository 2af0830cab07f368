package io.wenzhen.gateway.edge.video;

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
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_I;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_NONE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_opt_set;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.PointerPointer;

import io.wenzhen.gateway.edge.codec.Ffmpeg;

/**
 * VP8 frames decoded (FFmpeg's vp8) and encoded again as H.264 constrained baseline (OpenH264, what
 * WebRTC and live-player both decode), for FLV players of a VP8 publisher. The encoder follows the
 * decoded size (opened again when it changes); a keyframe can be asked for at any time. Holds native
 * memory: {@link #close()} frees it; its methods are synchronized so a close never frees memory in use.
 */
public final class VideoTranscoder implements AutoCloseable {

    private static final int MAX_INPUT = 4 * 1024 * 1024;

    private final long bitrate;
    private final int framesPerSecond;
    private AVCodecContext decoder;
    private AVCodecContext encoder;
    private final AVPacket packet = av_packet_alloc();
    private final AVFrame decoded = av_frame_alloc();
    private final Ffmpeg.Input input = new Ffmpeg.Input(64 * 1024, MAX_INPUT);
    private int width;
    private int height;
    private long pts;
    private boolean keyframeWanted = true;
    private boolean closed;

    public VideoTranscoder(long bitrate, int framesPerSecond) {
        Ffmpeg.load();
        this.bitrate = bitrate;
        this.framesPerSecond = framesPerSecond;
        AVCodec vp8 = avcodec_find_decoder_by_name("vp8");
        try {
            if (vp8 == null || avcodec_find_encoder_by_name("libopenh264") == null) {
                throw new IllegalStateException("FFmpeg has no vp8 decoder or libopenh264 encoder");
            }
            decoder = avcodec_alloc_context3(vp8);
            Ffmpeg.check(avcodec_open2(decoder, vp8, (PointerPointer<?>) null), "open vp8");
        } catch (RuntimeException e) {
            close(); // the buffers allocated already
            throw e;
        }
    }

    /** The next encoded frame is an IDR (a player joined, or lost its place). */
    public synchronized void requestKeyframe() {
        keyframeWanted = true;
    }

    /**
     * One VP8 frame; returns the H.264 access units it yields (Annex B, one per decoded picture; none
     * while the decoder waits for a keyframe).
     */
    public synchronized List<byte[]> push(byte[] frame) {
        List<byte[]> out = new ArrayList<>();
        if (closed || !input.send(decoder, packet, frame)) {
            return out;
        }
        while (avcodec_receive_frame(decoder, decoded) >= 0) {
            if (decoded.format() == AV_PIX_FMT_YUV420P) {
                encode(decoded, out);
            }
            av_frame_unref(decoded);
        }
        return out;
    }

    private void encode(AVFrame picture, List<byte[]> out) {
        if (encoder == null || picture.width() != width || picture.height() != height) {
            openEncoder(picture.width(), picture.height());
        }
        picture.pts(pts++);
        picture.pict_type(keyframeWanted ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE);
        keyframeWanted = false;
        if (avcodec_send_frame(encoder, picture) < 0) {
            return;
        }
        while (avcodec_receive_packet(encoder, packet) >= 0) {
            byte[] data = new byte[packet.size()];
            packet.data().position(0).get(data);
            out.add(data);
            av_packet_unref(packet);
        }
    }

    private void openEncoder(int newWidth, int newHeight) {
        if (encoder != null) {
            avcodec_free_context(encoder);
        }
        AVCodec h264 = avcodec_find_encoder_by_name("libopenh264");
        encoder = avcodec_alloc_context3(h264);
        encoder.width(newWidth).height(newHeight).pix_fmt(AV_PIX_FMT_YUV420P);
        encoder.time_base(new AVRational().num(1).den(framesPerSecond));
        encoder.framerate(new AVRational().num(framesPerSecond).den(1));
        encoder.bit_rate(bitrate);
        encoder.gop_size(framesPerSecond * 2);
        encoder.max_b_frames(0);
        av_opt_set(encoder.priv_data(), "profile", "constrained_baseline", 0);
        av_opt_set(encoder.priv_data(), "allow_skip_frames", "0", 0);
        if (avcodec_open2(encoder, h264, (PointerPointer<?>) null) < 0) {
            avcodec_free_context(encoder);
            encoder = null;
            throw new IllegalStateException("FFmpeg: open libopenh264 " + newWidth + "x" + newHeight + " failed");
        }
        width = newWidth;
        height = newHeight;
        keyframeWanted = true;
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
        input.close();
    }
}
