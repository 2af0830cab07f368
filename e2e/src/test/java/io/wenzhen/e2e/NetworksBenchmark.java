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
        try (NetworkLab lab = new NetworkLab(Suite.get(), 42)) {
            for (int run = 1; run <= runs; run++) {
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
        System.out.printf("median of %d runs:%n", runs);
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

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
