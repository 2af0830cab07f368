package io.wenzhen.e2e;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The network scenarios of docs/media.md ("Networks"), each a call in a {@link NetworkLab} that returns its
 * figures: NetworkScenariosTest runs the short forms and fails on an outright failure, {@code ./wenzhen bench
 * networks} runs them longer and several times and says which goals are met.
 */
final class NetworkScenarios {

    /** Scenario 4: how the patient connected, and how soon its first frame came after loginRoom. */
    record Connect(int firstFrameMs, JsonNode path, int framesDecoded) {

        /** "tcp" when the media went through a TURN server over TCP or over ICE-TCP. */
        String transport() {
            return path.hasNonNull("relayProtocol") ? path.get("relayProtocol").asText() : path.get("protocol").asText();
        }

        boolean throughTurn() {
            return path.hasNonNull("relayProtocol");
        }
    }

    /** Scenario 3: what the patient saw and heard on a lossy, slow link. */
    record Lossy(double fps, double concealed, int videoLost, int videoReceived, int nacks, int longestFreezeMs, JsonNode path) {
    }

    /** Scenario 5: the longest freeze after the patient's address changed, and what ICE did meanwhile. */
    record Change(long changedAtMs, int longestFreezeMs, int freezeFromMs, JsonNode iceStates, double lastFps) {
    }

    /**
     * Scenarios 1 and 2: a link clear, then capped, then clear again; each second what the doctor sent and its round
     * trip to the gateway, and what the patient decoded (-1 where a figure never came).
     *
     * @param rampMs      from the doctor's PUBLISHING to the first second it sent 1.2 Mbit/s or more
     * @param settleMs    from the cap to the second from which the doctor sent under the cap until it was lifted
     * @param cappedRttMs the doctor's median round trip once settled under the cap, the second it settled in left out
     *                    (the queue the cap filled before the encoder followed drains in it): a standing queue shows
     *                    here, the transition does not
     * @param longestFreezeMs the longest the patient's picture stood still once playing
     * @param recoverMs   from the lift to the first second the doctor sent 1.2 Mbit/s or more again
     */
    record Capped(List<JsonNode> samples, double clearKbps, int rampMs, int baseRttMs, int settleMs, double cappedKbps,
            int cappedRttMs, int longestFreezeMs, int recoverMs) {
    }

    /** Whose link a {@link #capped} scenario narrows. */
    enum Narrowed { DOCTOR_UPLINK, PATIENT_DOWNLINK }

    /** What scenario 1's publisher must reach on a clear uplink, kbit/s. */
    static final int BUSY_KBPS = 1200;

    private NetworkScenarios() {
    }

    /**
     * A y4m file of 1280x720 busy content for the doctor's fake camera (the default fake camera's picture is too
     * simple to need bandwidth): FFmpeg's test pattern under temporal noise, two seconds (Chromium loops it), made
     * once per lab.
     */
    static Path busyVideo(Path folder) throws Exception {
        Path file = folder.resolve("busy-720p.y4m");
        if (!Files.exists(file)) {
            Process ffmpeg = new ProcessBuilder("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=20",
                    "-vf", "noise=alls=12:allf=t", "-t", "2", "-pix_fmt", "yuv420p", file.toString()).redirectErrorStream(true).start();
            String output = new String(ffmpeg.getInputStream().readAllBytes());
            if (ffmpeg.waitFor() != 0) {
                throw new IllegalStateException("ffmpeg could not make the busy video: " + output);
            }
        }
        return file;
    }

    /**
     * The doctor publishes busy 720p video; both browsers' links have a round trip of {@code rtt}. {@code clear}
     * seconds into the call the {@code narrowed} link is capped at {@code capBps} with a queue of {@code queue} (a 4G
     * link's deep buffer), {@code capped} seconds later the cap goes, and the call runs {@code after} seconds more.
     */
    static Capped capped(NetworkLab lab, Narrowed narrowed, long capBps, Duration queue, Duration rtt, int clear, int capped,
            int after) throws Exception {
        LinkLane.Shape base = LinkLane.Shape.CLEAR.withDelay(rtt.dividedBy(2), Duration.ZERO);
        InetAddress patient = lab.patientNetwork.browserSide();
        lab.shapeDoctor(base, base);
        lab.link.shape(patient, base, base);
        Map<String, Object> options = lab.options(clear + capped + after);
        options.put("doctorVideo", busyVideo(lab.suite.data).toString());
        try {
            NetworkCall.Result call = lab.call(options, (i, sample) -> {
                boolean on = i == clear - 1;
                if (on || i == clear + capped - 1) {
                    LinkLane.Shape shaped = on ? base.withRate(capBps, queue) : base;
                    if (narrowed == Narrowed.DOCTOR_UPLINK) {
                        lab.shapeDoctor(shaped, base);
                    } else {
                        lab.link.shape(patient, base, shaped);
                    }
                }
            });
            List<JsonNode> samples = call.samples();
            int capAt = clear - 1;
            int liftAt = clear + capped - 1;
            double clearKbps = median(samples.subList(1, capAt + 1).stream().map(s -> s.get("sentKbps").asDouble()).toList());
            int rampMs = samples.stream().filter(s -> s.get("sentKbps").asInt() >= BUSY_KBPS).findFirst()
                    .map(s -> s.get("doctorMs").asInt()).orElse(-1);
            int baseRtt = (int) median(samples.subList(1, capAt + 1).stream().filter(s -> s.hasNonNull("rttMs"))
                    .map(s -> s.get("rttMs").asDouble()).toList());
            int settledFrom = -1;
            for (int j = liftAt; j > capAt && samples.get(j).get("sentKbps").asLong() * 1000 < capBps; j--) {
                settledFrom = j;
            }
            int settleMs = settledFrom < 0 ? -1 : samples.get(settledFrom).get("t").asInt() - samples.get(capAt).get("t").asInt();
            List<JsonNode> settled = settledFrom < 0 ? List.of() : samples.subList(settledFrom, liftAt + 1);
            double cappedKbps = median(settled.stream().map(s -> s.get("sentKbps").asDouble()).toList());
            int cappedRtt = (int) median(settled.stream().skip(1).filter(s -> s.hasNonNull("rttMs")).map(s -> s.get("rttMs").asDouble())
                    .toList());
            int recoverMs = samples.subList(liftAt + 1, samples.size()).stream().filter(s -> s.get("sentKbps").asInt() >= BUSY_KBPS)
                    .findFirst().map(s -> s.get("t").asInt() - samples.get(liftAt).get("t").asInt()).orElse(-1);
            return new Capped(samples, clearKbps, rampMs, baseRtt, settleMs, cappedKbps, cappedRtt,
                    call.summary().get("longestGapMs").asInt(), recoverMs);
        } finally {
            lab.shapeDoctor(LinkLane.Shape.CLEAR, LinkLane.Shape.CLEAR);
            lab.link.shape(patient, LinkLane.Shape.CLEAR, LinkLane.Shape.CLEAR);
        }
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /**
     * The patient's UDP blocked in its namespace; with {@code iceTcp} false, the gateway's ICE-TCP port refused
     * too (a firewall that lets only the TURN server's port out).
     */
    static Connect udpBlocked(NetworkLab lab, boolean iceTcp) throws Exception {
        lab.patientNetwork.blockUdp(true);
        lab.link.refuseTcp(lab.iceTcpPort, !iceTcp);
        try {
            NetworkCall.Result call = lab.call(lab.options(3), (i, sample) -> { });
            return new Connect(call.playing().get("firstFrameMs").asInt(), call.playing().get("path"),
                    call.summary().get("framesDecoded").asInt());
        } finally {
            lab.link.refuseTcp(lab.iceTcpPort, false);
            lab.patientNetwork.blockUdp(false);
        }
    }

    /**
     * The patient's link loses {@code loss} of the datagrams each way and adds half of {@code rtt} each way. The
     * media takes that UDP path: TCP ones (a TURN server, ICE-TCP) are refused, as they would turn the loss into
     * delay, and one whose checks were lost less could win the nomination.
     */
    static Lossy lossy(NetworkLab lab, double loss, Duration rtt, int seconds) throws Exception {
        LinkLane.Shape shape = LinkLane.Shape.CLEAR.withLoss(loss, 1).withDelay(rtt.dividedBy(2), Duration.ofMillis(5));
        lab.link.shape(lab.patientNetwork.browserSide(), shape, shape);
        lab.link.refuseTcp(lab.iceTcpPort, true);
        lab.link.refuseTcp(lab.turnPort, true);
        try {
            NetworkCall.Result call = lab.call(lab.options(seconds), (i, sample) -> { });
            // the first two seconds are the call's start (the encoder ramping up), not the network's doing
            double fps = call.samples().stream().skip(2).mapToDouble(s -> s.get("fps").asDouble()).average().orElse(0);
            JsonNode summary = call.summary();
            double concealed = summary.get("concealedSamples").asDouble() / Math.max(1, summary.get("totalSamplesReceived").asDouble());
            return new Lossy(fps, concealed, summary.get("videoLost").asInt(), summary.get("videoReceived").asInt(),
                    summary.get("nackCount").asInt(), summary.get("longestGapMs").asInt(), call.samples().getLast().get("patientPath"));
        } finally {
            lab.link.refuseTcp(lab.turnPort, false);
            lab.link.refuseTcp(lab.iceTcpPort, false);
            lab.link.shape(lab.patientNetwork.browserSide(), LinkLane.Shape.CLEAR, LinkLane.Shape.CLEAR);
        }
    }

    /**
     * Three seconds into the call the patient's address changes: with {@code nat} a NAT's new mapping (the link
     * gives it a new port; the browser knows nothing), else a network change (its address in the namespace
     * changes, as a phone leaving Wi-Fi for 4G; the SDK restarts ICE).
     */
    static Change addressChange(NetworkLab lab, boolean nat, int seconds) throws Exception {
        long[] changedAt = {-1};
        NetworkCall.Result call = lab.call(lab.options(seconds), (i, sample) -> {
            if (i == 2) {
                changedAt[0] = sample.get("t").asLong();
                if (nat) {
                    lab.link.rebind(lab.patientNetwork.browserSide());
                } else {
                    lab.patientNetwork.changeAddress();
                }
            }
        });
        JsonNode summary = call.summary();
        return new Change(changedAt[0], summary.get("longestGapMs").asInt(), summary.get("longestGapAt").asInt(),
                summary.get("iceStates"), call.samples().getLast().get("fps").asDouble());
    }
}
