package io.wenzhen.protocols;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.IntStream;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.wenzhen.protocols.amf.Amf0;
import io.wenzhen.protocols.dtls.DtlsRecord;
import io.wenzhen.protocols.flv.AudioTag;
import io.wenzhen.protocols.flv.AvcDecoderConfiguration;
import io.wenzhen.protocols.flv.FlvReader;
import io.wenzhen.protocols.flv.FlvTag;
import io.wenzhen.protocols.flv.VideoTag;
import io.wenzhen.protocols.h264.H264Depacketizer;
import io.wenzhen.protocols.h264.NalUnits;
import io.wenzhen.protocols.pipe.PipeCipher;
import io.wenzhen.protocols.pipe.PipeKeys;
import io.wenzhen.protocols.rtcp.RtcpParser;
import io.wenzhen.protocols.rtcp.TransportFeedback;
import io.wenzhen.protocols.rtmp.ChunkDecoder;
import io.wenzhen.protocols.rtmp.RtmpMessage;
import io.wenzhen.protocols.rtp.Red;
import io.wenzhen.protocols.rtp.RtpPacket;
import io.wenzhen.protocols.rtp.Rtx;
import io.wenzhen.protocols.sdp.SessionDescription;
import io.wenzhen.protocols.stun.StunParser;
import io.wenzhen.protocols.vp8.Vp8Rtp;

/**
 * Jazzer fuzz targets of every parser that reads what the network sends: each may refuse input only
 * with {@link MalformedPacketException}; any other exception, a hang (Jazzer's per-input timeout) or
 * running out of memory is a finding. {@code mvn test} runs each target for a few seconds of coverage-
 * guided fuzzing (the surefire configuration sets JAZZER_FUZZ); the corpus in
 * src/test/resources/.../ParserFuzzTestInputs holds the seeds and is replayed on every run.
 */
class ParserFuzzTest {

    private static final PipeCipher PIPE = new PipeCipher(7, PipeKeys.derive(new byte[32], new byte[PipeKeys.SALT_BYTES], 7,
            "gateway-a", "gateway-b"), false);

    /** Some ids renumbered, some moved above 14, some removed. */
    static final int[] REMAP = IntStream.range(0, 256).map(i -> i % 3 == 0 ? 0 : (i * 7) % 40).toArray();

    @FuzzTest(maxDuration = "4s")
    void stun(byte[] data) {
        try {
            StunParser.parse(data, 0, data.length);
        } catch (MalformedPacketException refused) {
            // the only way to say no
        }
    }

    @FuzzTest(maxDuration = "4s")
    void rtp(byte[] data) {
        try {
            RtpPacket packet = RtpPacket.parse(data, 0, data.length);
            for (int id = 0; id < 16; id++) {
                packet.extension(id);
            }
            packet.remapExtensions(REMAP);
            RtpPacket.parse(data, 0, data.length); // still a packet after the rewrite
            // the payload as either codec's: where a forwarder may switch a player to another source
            Vp8Rtp.startsKeyframe(data, packet.payloadOffset(), packet.payloadLength());
            H264Depacketizer.startsKeyframe(data, packet.payloadOffset(), packet.payloadLength());
            try {
                byte[] primary = Red.primary(data); // a RED packet's primary block is itself a packet
                RtpPacket.parse(primary, 0, primary.length);
            } catch (MalformedPacketException refused) {
                // not RED
            }
            Red.retype(data.clone(), packet.payloadOffset(), packet.payloadLength(), 111, 109);
            byte[] media = Rtx.unwrap(data, 1, 96);
            if (media != null) {
                Rtx.wrap(media, 2, 97, 1); // an RTX packet's content is itself a packet
            }
        } catch (MalformedPacketException refused) {
            // refused
        }
    }

    /** A player's transport-wide feedback (the FCI after the SSRCs), within a reader's cap and without one. */
    @FuzzTest(maxDuration = "4s")
    void transportFeedback(byte[] data) {
        try {
            TransportFeedback feedback = TransportFeedback.parse(data, 8192);
            if (feedback.count() > 8192) {
                throw new IllegalStateException("read past the cap: " + feedback.count());
            }
            TransportFeedback.parse(data);
        } catch (MalformedPacketException refused) {
            // refused
        }
    }

    /** A stranger's datagram on a gateway's pipe port: refused, never anything else (and never opened). */
    @FuzzTest(maxDuration = "4s")
    void pipe(byte[] data) {
        try {
            PIPE.open(data, data.length);
        } catch (MalformedPacketException refused) {
            // refused
        }
    }

    @FuzzTest(maxDuration = "4s")
    void rtcp(byte[] data) {
        try {
            RtcpParser.parse(data, 0, data.length);
        } catch (MalformedPacketException refused) {
            // refused
        }
    }

    @FuzzTest(maxDuration = "4s")
    void dtlsRecords(byte[] data) {
        try {
            DtlsRecord.parseAll(data, 0, data.length);
        } catch (MalformedPacketException refused) {
            // refused
        }
    }

    @FuzzTest(maxDuration = "4s")
    void sdp(byte[] data) {
        try {
            SessionDescription sdp = SessionDescription.parse(new String(data, StandardCharsets.UTF_8));
            sdp.bundle();
            for (var media : sdp.media()) {
                // the readers the gateway's answer uses
                media.codecs();
                media.extensions();
                media.ssrcs();
                media.rtxSsrcs();
                media.rtxFor(96);
                media.direction();
            }
        } catch (MalformedPacketException refused) {
            // refused
        }
    }
    @FuzzTest(maxDuration = "4s")
    void rtmpChunks(byte[] data) {
        ChunkDecoder decoder = new ChunkDecoder(
                new DataInputStream(new ByteArrayInputStream(data)), 64 * 1024);
        try {
            while (true) {
                RtmpMessage message = decoder.read();
                if (message.typeId() == RtmpMessage.COMMAND_AMF0
                        || message.typeId() == RtmpMessage.DATA_AMF0) {
                    try {
                        Amf0.decode(message.payload());
                    } catch (MalformedPacketException refused) {
                        // a bad command; the connection would close
                    }
                }
            }
        } catch (MalformedPacketException | IOException refused) {
            // refused, or the input ended
        }
    }

    @FuzzTest(maxDuration = "4s")
    void amf0(byte[] data) {
        try {
            Amf0.decode(data);
        } catch (MalformedPacketException refused) {
            // refused
        }
    }

    @FuzzTest(maxDuration = "4s")
    void flv(byte[] data) {
        try {
            for (FlvTag tag : FlvReader.read(data)) {
                flvBody(tag);
            }
        } catch (MalformedPacketException refused) {
            // refused
        }
        try {
            // the same bytes as one RTMP video or audio message body
            flvBody(new FlvTag(FlvTag.VIDEO, 0, data));
        } catch (MalformedPacketException refused) {
            // refused
        }
        try {
            new H264Depacketizer().push(1, 1, true, data, 0, data.length);
            new Vp8Rtp().push(1, 1, true, data, 0, data.length);
            NalUnits.splitAnnexB(data, 0, data.length);
        } catch (MalformedPacketException refused) {
            // refused
        }
    }

    private static void flvBody(FlvTag tag) {
        if (tag.type() == FlvTag.VIDEO) {
            var video = VideoTag.parse(tag.data());
            if (video.avcPacketType() == VideoTag.SEQUENCE_HEADER) {
                AvcDecoderConfiguration.parse(video.data(), video.offset(), video.length());
            } else if (video.avcPacketType() == VideoTag.NALU) {
                NalUnits.splitLengthPrefixed(video.data(), video.offset(), video.length(), 4);
            }
        } else if (tag.type() == FlvTag.AUDIO) {
            AudioTag.parse(tag.data());
        }
    }
}
