package io.wenzhen.protocols.h264;

import java.util.ArrayList;
import java.util.List;

/**
 * RTP payloads for an H.264 access unit in packetization mode 1 (RFC 6184): a NAL unit that fits is
 * sent alone (§5.6), SPS and PPS together in one STAP-A (§5.7.1), a larger unit in FU-A fragments
 * (§5.8). The caller writes the RTP headers and sets the marker on the last payload.
 */
public final class H264Packetizer {

    static final int STAP_A = 24;
    static final int FU_A = 28;

    private H264Packetizer() {
    }

    /** @param maxPayload the largest RTP payload (the path MTU less RTP, SRTP and IP overhead) */
    public static List<byte[]> payloads(List<byte[]> nals, int maxPayload) {
        List<byte[]> out = new ArrayList<>();
        List<byte[]> pending = new ArrayList<>();
        for (byte[] nal : nals) {
            if (nal.length == 0) {
                continue;
            }
            int type = NalUnits.type(nal);
            if ((type == NalUnits.SPS || type == NalUnits.PPS) && nal.length + 2 < maxPayload / 2) {
                pending.add(nal); // parameter sets travel together, ahead of the frame
                continue;
            }
            flush(pending, out, maxPayload);
            if (nal.length <= maxPayload) {
                out.add(nal);
            } else {
                fragment(nal, maxPayload, out);
            }
        }
        flush(pending, out, maxPayload);
        return out;
    }

    private static void flush(List<byte[]> pending, List<byte[]> out, int maxPayload) {
        if (pending.isEmpty()) {
            return;
        }
        if (pending.size() == 1) {
            out.add(pending.getFirst());
            pending.clear();
            return;
        }
        int size = 1;
        int nri = 0;
        for (byte[] nal : pending) {
            size += 2 + nal.length;
            nri = Math.max(nri, nal[0] & 0x60);
        }
        if (size > maxPayload) {
            out.addAll(pending);
            pending.clear();
            return;
        }
        byte[] stap = new byte[size];
        stap[0] = (byte) (nri | STAP_A);
        int at = 1;
        for (byte[] nal : pending) {
            stap[at] = (byte) (nal.length >>> 8);
            stap[at + 1] = (byte) nal.length;
            System.arraycopy(nal, 0, stap, at + 2, nal.length);
            at += 2 + nal.length;
        }
        out.add(stap);
        pending.clear();
    }

    private static void fragment(byte[] nal, int maxPayload, List<byte[]> out) {
        byte indicator = (byte) ((nal[0] & 0xE0) | FU_A);
        int type = nal[0] & 0x1F;
        int chunk = maxPayload - 2;
        for (int at = 1; at < nal.length; at += chunk) {
            int take = Math.min(chunk, nal.length - at);
            byte[] fu = new byte[2 + take];
            fu[0] = indicator;
            fu[1] = (byte) ((at == 1 ? 0x80 : 0) | (at + take == nal.length ? 0x40 : 0) | type);
            System.arraycopy(nal, at, fu, 2, take);
            out.add(fu);
        }
    }
}
