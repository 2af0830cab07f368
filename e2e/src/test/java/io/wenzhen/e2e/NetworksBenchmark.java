package io.wenzhen.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./wenzhen bench networks [RUNS]}: the network scenarios of docs/media.md ("Networks") in their long
 * forms, RUNS times each (default 3), in one {@link NetworkLab}: each run's figures, then the medians against the
 * goals. Needs root (network namespaces), Chromium and coturn, as the test run does.
 */
public final class NetworksBenchmark {

    private NetworksBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        List<Double> iceTcp = new ArrayList<>();
        List<Double> turn = new ArrayList<>();
        List<Double> fps = new ArrayList<>();
        List<Double> concealed = new ArrayList<>();
        List<Double> nat = new ArrayList<>();
        List<Double> change = new ArrayList<>();
        List<Double> ramp = new ArrayList<>();
        List<Double> settle = new ArrayList<>();
        List<Double> rttRatio = new ArrayList<>();
        List<Double> climb = new ArrayList<>();
        List<Double> fit = new ArrayList<>();
        List<Double> fitFreeze = new ArrayList<>();
        List<Double> refill = new ArrayList<>();
        try (NetworkLab lab = new NetworkLab(Suite.get(), 42)) {
            for (int run = 1; run <= runs; run++) {
                NetworkScenarios.Capped up = NetworkScenarios.capped(lab, NetworkScenarios.Narrowed.DOCTOR_UPLINK, 800_000,
                        Duration.ofMillis(500), Duration.ofMillis(40), 8, 12, 14);
                NetworkScenarios.Capped down = NetworkScenarios.capped(lab, NetworkScenarios.Narrowed.PATIENT_DOWNLINK, 400_000,
                        Duration.ofMillis(500), Duration.ofMillis(40), 8, 12, 14);
                ramp.add(never(up.rampMs()));
                settle.add(never(up.settleMs()));
                rttRatio.add(up.cappedRttMs() < 0 || up.baseRttMs() <= 0 ? Double.MAX_VALUE : (double) up.cappedRttMs() / up.baseRttMs());
                climb.add(never(up.recoverMs()));
                fit.add(never(down.settleMs()));
                fitFreeze.add((double) down.longestFreezeMs());
                refill.add(never(down.recoverMs()));
                System.out.printf("run %d: uplink: %.0f kbit/s clear, %d kbit/s %d ms after PUBLISHING; capped at 800 kbit/s: under it"
                        + " after %d ms at %.0f kbit/s, median RTT %d ms (base %d ms); lifted: %d kbit/s after %d ms. Downlink capped at 400"
                        + " kbit/s: the stream fit after %d ms at %.0f kbit/s, longest freeze %d ms; lifted: %d kbit/s after %d ms%n", run,
                        up.clearKbps(), NetworkScenarios.BUSY_KBPS, up.rampMs(), up.settleMs(), up.cappedKbps(), up.cappedRttMs(),
                        up.baseRttMs(), NetworkScenarios.BUSY_KBPS, up.recoverMs(), down.settleMs(), down.cappedKbps(),
                        down.longestFreezeMs(), NetworkScenarios.BUSY_KBPS, down.recoverMs());
                NetworkScenarios.Connect tcp = NetworkScenarios.udpBlocked(lab, true);
                NetworkScenarios.Connect relayed = NetworkScenarios.udpBlocked(lab, false);
                NetworkScenarios.Lossy lossy = NetworkScenarios.lossy(lab, 0.10, Duration.ofMillis(150), 30);
                NetworkScenarios.Change mapped = NetworkScenarios.addressChange(lab, true, 10);
                NetworkScenarios.Change moved = NetworkScenarios.addressChange(lab, false, 12);
                iceTcp.add((double) tcp.firstFrameMs());
                turn.add((double) relayed.firstFrameMs());
                fps.add(lossy.fps());
                concealed.add(lossy.concealed() * 100);
                nat.add((double) mapped.longestFreezeMs());
                change.add((double) moved.longestFreezeMs());
                System.out.printf("run %d: UDP blocked: first frame %d ms (%s), only TURN/TCP: %d ms (%s); 10 %% loss + 150 ms RTT:"
                        + " %.1f fps, %.1f %% audio concealed, longest freeze %d ms; NAT remap: freeze %d ms; network change: freeze"
                        + " %d ms, ICE %s%n", run, tcp.firstFrameMs(), tcp.path(), relayed.firstFrameMs(), relayed.path(), lossy.fps(),
                        lossy.concealed() * 100, lossy.longestFreezeMs(), mapped.longestFreezeMs(), moved.longestFreezeMs(),
                        moved.iceStates());
            }
        }
        System.out.printf("median of %d runs (-1: never):%n", runs);
        goal("busy 720p: 1.2 Mbit/s sent after PUBLISHING", shown(median(ramp)), "ms", "< 5000", median(ramp) < 5000);
        goal("uplink capped at 800 kbit/s: under the cap after", shown(median(settle)), "ms", "< 5000", median(settle) < 5000);
        goal("the same: median RTT once under it / base RTT", shown(median(rttRatio)), "x", "< 2", median(rttRatio) < 2);
        goal("cap lifted: 1.2 Mbit/s again after", shown(median(climb)), "ms", "< 10000", median(climb) < 10000);
        goal("downlink capped at 400 kbit/s: the stream fits after", shown(median(fit)), "ms", "< 3000", median(fit) < 3000);
        goal("the same: the patient's longest freeze", median(fitFreeze), "ms", "< 1000", median(fitFreeze) < 1000);
        goal("cap lifted: 1.2 Mbit/s again after", shown(median(refill)), "ms", "< 10000", median(refill) < 10000);
        goal("UDP blocked, first frame after loginRoom", median(iceTcp), "ms", "< 3000", median(iceTcp) < 3000);
        goal("only TURN over TCP, first frame after loginRoom", median(turn), "ms", "< 3000", median(turn) < 3000);
        goal("10 % loss each way + 150 ms RTT, video decoded", median(fps), "fps", ">= 10", median(fps) >= 10);
        goal("10 % loss each way + 150 ms RTT, audio concealed", median(concealed), "%", "< 5", median(concealed) < 5);
        goal("NAT remapping, longest freeze", median(nat), "ms", "< 2000", median(nat) < 2000);
        goal("network change, longest freeze", median(change), "ms", "< 2000", median(change) < 2000);
        System.exit(0);
    }

    private static void goal(String what, double value, String unit, String goal, boolean met) {
        System.out.printf("  %-52s %8.1f %-3s goal %-7s %s%n", what, value, unit, goal, met ? "met" : "NOT MET");
    }

    /** A figure that never came (-1) counts as the worst in a median. */
    private static double never(int value) {
        return value < 0 ? Double.MAX_VALUE : value;
    }

    private static double shown(double value) {
        return value == Double.MAX_VALUE ? -1 : value;
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
