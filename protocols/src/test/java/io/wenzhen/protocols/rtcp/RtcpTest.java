package io.wenzhen.protocols.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.wenzhen.protocols.MalformedPacketException;

class RtcpTest {

    /** A compound packet as a browser sends it: SR (no blocks) then RR with one block, written out by hand. */
    static final byte[] COMPOUND = HexFormat.of().parseHex(
            "80c80006" + "11111111" + "00000001" + "80000000" + "00000a00" + "00000010" + "00001000"
            + "81c90007" + "22222222" + "11111111" + "40ffffff" + "00010064" + "00000020" + "12345678" + "00010000");

    @Test
    void readsSenderAndReceiverReports() {
        List<RtcpPacket> packets = RtcpParser.parse(COMPOUND, 0, COMPOUND.length);
        RtcpPacket.SenderReport sr = assertInstanceOf(RtcpPacket.SenderReport.class, packets.get(0));
        assertEquals(0x11111111L, sr.ssrc());
        assertEquals(0x0000000180000000L, sr.ntpTimestamp());
        assertEquals(0xa00, sr.rtpTimestamp());
        assertEquals(16, sr.packetCount());
        RtcpPacket.ReceiverReport rr = assertInstanceOf(RtcpPacket.ReceiverReport.class, packets.get(1));
        RtcpPacket.ReportBlock block = rr.reports().get(0);
        assertEquals(0x11111111L, block.ssrc());
        assertEquals(64, block.fractionLost(), "a quarter lost");
        assertEquals(-1, block.cumulativeLost(), "signed 24 bits");
        assertEquals(0x10064, block.highestSequence());
        assertEquals(32, block.jitter());
        assertEquals(0x12345678L, block.lastSenderReport());
    }

    @Test
    void readsFeedback() {
        byte[] nack = HexFormat.of().parseHex("81cd0003" + "00000001" + "00000002" + "00640005");
        RtcpPacket.Nack parsed = assertInstanceOf(RtcpPacket.Nack.class, RtcpParser.parse(nack, 0, nack.length).get(0));
        assertEquals(List.of(100, 101, 103), parsed.lostSequenceNumbers());

        byte[] pli = RtcpWriter.pli(1, 0xAABBCCDDL);
        assertEquals(new RtcpPacket.Pli(1, 0xAABBCCDDL), RtcpParser.parse(pli, 0, pli.length).get(0));

        byte[] fir = HexFormat.of().parseHex("84ce0004" + "00000001" + "00000000" + "aabbccdd" + "07000000");
        RtcpPacket.Fir firParsed = assertInstanceOf(RtcpPacket.Fir.class, RtcpParser.parse(fir, 0, fir.length).get(0));
        assertEquals(0xAABBCCDDL, firParsed.entries().get(0)[0]);
        assertEquals(7, firParsed.entries().get(0)[1]);

        byte[] bye = HexFormat.of().parseHex("81cb0001" + "deadbeef");
        assertEquals(new RtcpPacket.Bye(List.of(0xDEADBEEFL)), RtcpParser.parse(bye, 0, bye.length).get(0));
    }

    @Test
    void writesWhatItReads() {
        byte[] remb = RtcpWriter.remb(9, 1_500_000, List.of(0x11111111L, 0x22222222L));
        RtcpPacket.Remb parsed = assertInstanceOf(RtcpPacket.Remb.class, RtcpParser.parse(remb, 0, remb.length).get(0));
        assertEquals(List.of(0x11111111L, 0x22222222L), parsed.ssrcs());
        assertEquals(1_500_000, parsed.bitrate(), 1_500_000 >> 17, "mantissa precision");

        List<Integer> lost = List.of(65534, 65535, 0, 3, 40);
        byte[] nack = RtcpWriter.nack(1, 2, lost);
        assertEquals(lost, ((RtcpPacket.Nack) RtcpParser.parse(nack, 0, nack.length).get(0)).lostSequenceNumbers());

        byte[] sr = RtcpWriter.senderReport(7, 0x0102030405060708L, 90000, 10, 12000);
        assertEquals(new RtcpPacket.SenderReport(7, 0x0102030405060708L, 90000, 10, 12000, List.of()),
                RtcpParser.parse(sr, 0, sr.length).get(0));

        RtcpPacket.ReportBlock block = new RtcpPacket.ReportBlock(5, 12, -3, 70000, 9, 0x1234, 0x5678);
        byte[] rr = RtcpWriter.receiverReport(4, List.of(block));
        assertEquals(new RtcpPacket.ReceiverReport(4, List.of(block)), RtcpParser.parse(rr, 0, rr.length).get(0));
    }

    @Test
    void refusesMalformedPackets() {
        for (String bad : new String[] {"80c8", "40c80000", "80c80006" + "11111111", "81c90001" + "2222222211111111",
            "a0c9000100000000", "81cd000200000001000000020064", "84ce00020000000100000000"}) {
            byte[] data = HexFormat.of().parseHex(bad);
            assertThrows(MalformedPacketException.class, () -> RtcpParser.parse(data, 0, data.length), bad);
        }
    }

    @Test
    void fuzzedCompoundPacketsOnlyEverFailAsMalformed() {
        Random random = new Random(4585);
        for (int i = 0; i < 200_000; i++) {
            byte[] data = COMPOUND.clone();
            for (int e = 0; e < 1 + random.nextInt(4); e++) {
                data[random.nextInt(data.length)] = (byte) random.nextInt(256);
            }
            int length = random.nextInt(6) == 0 ? random.nextInt(data.length + 1) : data.length;
            try {
                RtcpParser.parse(data, 0, length);
            } catch (MalformedPacketException expected) {
                // refused
            } catch (RuntimeException e) {
                fail("input " + i + " threw " + e + ": " + HexFormat.of().formatHex(data, 0, length));
            }
        }
    }
}
