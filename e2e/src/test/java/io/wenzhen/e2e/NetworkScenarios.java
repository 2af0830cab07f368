package io.wenzhen.e2e;

import java.time.Duration;

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

    private NetworkScenarios() {
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
