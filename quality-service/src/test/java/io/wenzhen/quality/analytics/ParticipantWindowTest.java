package io.wenzhen.quality.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ParticipantWindowTest {

    static Sample client(long at, double videoKbps, double loss, double freezes, double freezeMs) {
        return new Sample(1, "r", "s", "u", Sample.Side.PLAY, Sample.Source.CLIENT, at, videoKbps, 32, 30, 640, 480, loss, loss,
                5, 20, freezes, freezeMs);
    }

    static Sample server(long at, double videoKbps, double loss) {
        return new Sample(1, "r", "s", "u", Sample.Side.PLAY, Sample.Source.SERVER, at, videoKbps, 32, Double.NaN, 0, 0, loss,
                loss, 5, 20, Double.NaN, Double.NaN);
    }

    @Test
    void theSlidingWindowPrefersTheClientAndCountsFreezesFromRunningTotals() {
        ParticipantWindow window = new ParticipantWindow("u", Sample.Side.PLAY);
        long t = 1_000_000;
        window.add(client(t, 1000, 0, 1, 200), 10_000, 15_000, 0);
        window.add(server(t + 1000, 400, 0.5), 10_000, 15_000, 0);
        window.add(client(t + 3000, 800, 0.02, 3, 700), 10_000, 15_000, 0);
        Metrics metrics = window.current(15_000);
        assertEquals(2, metrics.samples(), "the client's samples only, where it reports");
        assertEquals(900, metrics.videoKbps(), 1e-9);
        assertEquals(0.01, metrics.videoLoss(), 1e-9);
        assertEquals(2, metrics.freezes(), 1e-9, "3 - 1: the running total's growth within the window");
        assertEquals(500, metrics.freezeMs(), 1e-9);
        assertEquals(Grade.of(metrics.mos()), metrics.grade());

        ParticipantWindow silentClient = new ParticipantWindow("u", Sample.Side.PLAY);
        silentClient.add(server(t, 400, 0.1), 10_000, 15_000, 0);
        silentClient.add(server(t + 2000, 600, 0.3), 10_000, 15_000, 0);
        assertEquals(500, silentClient.current(15_000).videoKbps(), 1e-9, "the gateway's view stands in");
        assertEquals(0.2, silentClient.current(15_000).loss(), 1e-9);
    }

    @Test
    void bucketsCloseWhenTimeMovesPastThemAndCountEverySample() {
        ParticipantWindow window = new ParticipantWindow("u", Sample.Side.PLAY);
        List<Bucket> buckets = new ArrayList<>();
        long t = 10_000_000; // a multiple of the bucket
        long added = 0;
        for (int i = 0; i < 20; i++) {
            buckets.addAll(window.add(client(t + i * 3000L, 1000, 0, 0, 0), 10_000, 15_000, 0));
            added++;
        }
        buckets.addAll(window.add(client(t + 2000, 1000, 0, 0, 0), 10_000, 15_000, 0)); // late
        added++;
        Bucket last = window.flush(10_000);
        buckets.add(last);
        assertEquals(List.of(t, t + 10_000, t + 20_000, t + 30_000, t + 40_000, t + 50_000),
                buckets.stream().map(Bucket::startMillis).toList());
        assertEquals(added, buckets.stream().mapToLong(Bucket::samplesAdded).sum(), "no sample lost or counted twice");
        assertEquals(4, buckets.get(0).samplesAdded(), "0, 3, 6, 9 s");
        assertTrue(buckets.stream().allMatch(b -> b.metrics().grade() == Grade.EXCELLENT));
        assertNull(window.flush(10_000), "nothing left");
    }

    @Test
    void anAlertIsRaisedOnceAfterItsDurationAndRecoversWithHysteresis() {
        AlertRule rule = new AlertRule("loss", "loss", true, 0.05, 10_000, 6_000);
        AlertTracker tracker = new AlertTracker();
        List<AlertTracker.Transition> seen = new ArrayList<>();
        double[] loss = {0, 0.1, 0.1, 0.2, 0.1, 0.1, 0.1, 0.1, 0.01, 0.2, 0.01, 0.01, 0.01, 0.01};
        for (int i = 0; i < loss.length; i++) {
            AlertTracker.Transition transition = tracker.update(rule, loss[i], i * 3000L);
            seen.add(transition);
            if (transition == AlertTracker.Transition.RAISED) {
                assertEquals(0.2, tracker.worst, 1e-9, "the worst value of the breach so far");
            }
            if (transition == AlertTracker.Transition.RECOVERED) {
                tracker.reset();
            }
        }
        assertEquals(AlertTracker.Transition.RAISED, seen.get(5), "0.1 from 3 s; 10 s later, at 15 s");
        assertEquals(1, seen.stream().filter(x -> x == AlertTracker.Transition.RAISED).count(), "once");
        assertEquals(AlertTracker.Transition.RECOVERED, seen.get(12), "clear from 30 s (the blip at 27 s restarted it), 6 s later");
        assertEquals(AlertTracker.Transition.NONE, tracker.update(rule, Double.NaN, 60_000), "unknown is never a breach");
    }
}
