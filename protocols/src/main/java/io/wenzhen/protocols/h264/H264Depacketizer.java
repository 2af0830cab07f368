package io.wenzhen.protocols.h264;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.wenzhen.protocols.MalformedPacketException;

/**
 * Reassembles H.264 access units from RTP payloads in packetization mode 1 (RFC 6184): single NAL
 * units, STAP-A and FU-A. An access unit ends at the marker bit or when the RTP timestamp changes.
 * A gap in sequence numbers spoils the unit it falls in: it is dropped, and {@link AccessUnit#afterLoss}
 * on the next one tells the caller to wait for (or ask for) a keyframe.
 */
public final class H264Depacketizer {

    /** Bounds a unit: a sender that never sets the marker or changes the timestamp cannot grow memory. */
    static final int MAX_UNIT_BYTES = 4 * 1024 * 1024;

    /** A whole frame's NAL units. */
    public record AccessUnit(long rtpTimestamp, List<byte[]> nals, boolean keyframe, boolean afterLoss) {
    }

    private final List<byte[]> nals = new ArrayList<>();
    private int unitBytes;
    private long timestamp = -1;
    private int expectedSequence = -1;
    private boolean spoiled;
    private boolean lossSinceLastUnit;
    private ByteArrayOutputStream fragment;

    /**
     * Whether an RTP payload starts a keyframe (RFC 6184): an SPS or IDR unit alone, a STAP-A holding one,
     * or the first fragment of an IDR. Browsers send SPS and PPS in a STAP-A just before each IDR; a
     * forwarder may switch a player to another source there.
     */
    public static boolean startsKeyframe(byte[] data, int offset, int length) {
        if (length < 2) {
            return false;
        }
        int type = data[offset] & 0x1F;
        if (type == NalUnits.IDR || type == NalUnits.SPS) {
            return true;
        }
        if (type == H264Packetizer.FU_A) {
            return (data[offset + 1] & 0x80) != 0 && (data[offset + 1] & 0x1F) == NalUnits.IDR;
        }
        if (type == H264Packetizer.STAP_A) {
            int at = offset + 1;
            int end = offset + length;
            while (at + 2 < end) {
                int size = ((data[at] & 0xFF) << 8) | (data[at + 1] & 0xFF);
                int unit = data[at + 2] & 0x1F;
                if (unit == NalUnits.IDR || unit == NalUnits.SPS) {
                    return true;
                }
                at += 2 + size;
            }
        }
        return false;
    }

    /**
     * One RTP packet's payload; returns the access units it completes (none, one, or — when its
     * timestamp starts a new unit before the previous one's marker — the previous one).
     */
    public List<AccessUnit> push(int sequence, long rtpTimestamp, boolean marker, byte[] data, int offset, int length) {
        List<AccessUnit> done = new ArrayList<>(1);
        if (expectedSequence >= 0 && sequence != expectedSequence) {
            int ahead = (sequence - expectedSequence) & 0xFFFF;
            if (ahead >= 0x8000) {
                return done; // late or repeated: its unit has already gone
            }
            spoiled = true;
            lossSinceLastUnit = true;
            fragment = null;
        }
        expectedSequence = (sequence + 1) & 0xFFFF;
        if (timestamp >= 0 && rtpTimestamp != timestamp && (!nals.isEmpty() || spoiled)) {
            boolean lost = spoiled;
            finish(done);
            spoiled = lost; // the gap may have been this unit's head as well as the last one's tail
        }
        timestamp = rtpTimestamp;
        try {
            read(data, offset, length);
        } catch (MalformedPacketException e) {
            spoiled = true;
            fragment = null;
        }
        if (marker) {
            finish(done);
        }
        return done;
    }

    private void finish(List<AccessUnit> done) {
        if (!spoiled && !nals.isEmpty()) {
            boolean keyframe = nals.stream().anyMatch(nal -> NalUnits.type(nal) == NalUnits.IDR);
            done.add(new AccessUnit(timestamp, List.copyOf(nals), keyframe, lossSinceLastUnit));
            lossSinceLastUnit = false;
        }
        nals.clear();
        unitBytes = 0;
        spoiled = false;
        fragment = null;
    }

    private void read(byte[] data, int offset, int length) {
        if (length < 1 || offset < 0 || offset + length > data.length) {
            throw new MalformedPacketException("H.264 RTP: empty payload");
        }
        int type = data[offset] & 0x1F;
        if (type >= 1 && type <= 23) {
            add(Arrays.copyOfRange(data, offset, offset + length));
        } else if (type == H264Packetizer.STAP_A) {
            int at = offset + 1;
            int end = offset + length;
            while (at < end) {
                if (end - at < 2) {
                    throw new MalformedPacketException("H.264 RTP: truncated STAP-A");
                }
                int size = ((data[at] & 0xFF) << 8) | (data[at + 1] & 0xFF);
                at += 2;
                if (size == 0 || size > end - at) {
                    throw new MalformedPacketException("H.264 RTP: STAP-A unit of " + size + " bytes");
                }
                add(Arrays.copyOfRange(data, at, at + size));
                at += size;
            }
        } else if (type == H264Packetizer.FU_A) {
            if (length < 2) {
                throw new MalformedPacketException("H.264 RTP: FU-A without its header");
            }
            int header = data[offset + 1] & 0xFF;
            boolean start = (header & 0x80) != 0;
            boolean end = (header & 0x40) != 0;
            if (start) {
                fragment = new ByteArrayOutputStream();
                fragment.write((data[offset] & 0xE0) | (header & 0x1F));
            } else if (fragment == null) {
                throw new MalformedPacketException("H.264 RTP: FU-A continuation without its start");
            }
            fragment.write(data, offset + 2, length - 2);
            if (fragment.size() > MAX_UNIT_BYTES) {
                throw new MalformedPacketException("H.264 RTP: a fragmented NAL unit over " + MAX_UNIT_BYTES + " bytes");
            }
            if (end) {
                add(fragment.toByteArray());
                fragment = null;
            }
        } else {
            throw new MalformedPacketException("H.264 RTP: NAL type " + type + " is not in packetization mode 1");
        }
    }

    private void add(byte[] nal) {
        unitBytes += nal.length;
        if (unitBytes > MAX_UNIT_BYTES) {
            throw new MalformedPacketException("H.264 RTP: an access unit over " + MAX_UNIT_BYTES + " bytes");
        }
        nals.add(nal);
    }
}
