package io.wenzhen.quality.analytics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One participant of one stream (the publisher's uplink, or one player's downlink): its recent samples
 * in event-time order, the sliding window over them, the tumbling bucket it is filling, and its alert
 * rules' state. Plain fields: kept in the analytics' state store (ParticipantStateSerde).
 */
public final class ParticipantWindow {

    public String userId;
    public Sample.Side side;
    /** Recent samples, oldest first. */
    public List<Sample> samples = new ArrayList<>();
    /** The latest client and server samples already pruned: where the next window's freeze totals start. */
    public Sample clientBefore;
    public Sample serverBefore;
    /** Start of the bucket being filled (event time), or -1 before the first sample. */
    public long bucketStart = -1;
    public long bucketSamples;
    /** Wall-clock time the last sample was processed: how idleness is told (event times may be replayed). */
    public long lastArrivalWall;
    /** By rule name. */
    public Map<String, AlertTracker> alerts = new HashMap<>();

    public ParticipantWindow() {
    }

    public ParticipantWindow(String userId, Sample.Side side) {
        this.userId = userId;
        this.side = side;
    }

    /** The latest event time seen, or -1. */
    public long latestMillis() {
        return samples.isEmpty() ? -1 : samples.get(samples.size() - 1).atMillis();
    }

    /**
     * Adds a sample; returns the buckets it closed (none, or the one it moved past).
     *
     * @param keepMillis how much history the sliding window needs
     */
    public List<Bucket> add(Sample sample, long bucketMillis, long keepMillis, long wallMillis) {
        lastArrivalWall = wallMillis;
        List<Bucket> closed = new ArrayList<>(1);
        if (bucketStart < 0) {
            bucketStart = floor(sample.atMillis(), bucketMillis);
        } else if (sample.atMillis() >= bucketStart + bucketMillis) {
            Bucket bucket = closeBucket(bucketMillis);
            if (bucket != null) {
                closed.add(bucket);
            }
            bucketStart = floor(sample.atMillis(), bucketMillis);
        }
        bucketSamples++;
        int at = samples.size();
        while (at > 0 && samples.get(at - 1).atMillis() > sample.atMillis()) {
            at--; // a late sample: kept in order
        }
        samples.add(at, sample);
        prune(Math.min(latestMillis() - keepMillis, bucketStart));
        return closed;
    }

    /** The sliding window's metrics: the samples of the last {@code windowMillis} up to the latest one. */
    public Metrics current(long windowMillis) {
        long to = latestMillis();
        if (to < 0) {
            return Metrics.EMPTY;
        }
        return metrics(to - windowMillis, to);
    }

    /** Closes the bucket being filled (the participant went quiet); null when it holds nothing. */
    public Bucket flush(long bucketMillis) {
        if (bucketStart < 0) {
            return null;
        }
        Bucket bucket = closeBucket(bucketMillis);
        bucketStart = -1;
        return bucket;
    }

    private Bucket closeBucket(long bucketMillis) {
        long end = bucketStart + bucketMillis;
        Metrics metrics = metrics(bucketStart - 1, Math.min(end - 1, Math.max(latestMillis(), bucketStart)));
        long added = bucketSamples;
        bucketSamples = 0;
        if (added == 0) {
            return null;
        }
        return new Bucket(bucketStart, end, added, metrics);
    }

    /** Metrics of the samples in ({@code from}, {@code to}]. */
    private Metrics metrics(long from, long to) {
        List<Sample> in = new ArrayList<>();
        Sample client = clientBefore;
        Sample server = serverBefore;
        for (Sample sample : samples) {
            if (sample.atMillis() <= from) {
                if (sample.source() == Sample.Source.CLIENT) {
                    client = sample;
                } else {
                    server = sample;
                }
            } else if (sample.atMillis() <= to) {
                in.add(sample);
            }
        }
        return Metrics.of(in, client, server, from, to);
    }

    private void prune(long keepFrom) {
        while (!samples.isEmpty() && samples.get(0).atMillis() < keepFrom) {
            Sample old = samples.remove(0);
            if (old.source() == Sample.Source.CLIENT) {
                clientBefore = old;
            } else {
                serverBefore = old;
            }
        }
    }

    private static long floor(long millis, long step) {
        return Math.floorDiv(millis, step) * step;
    }
}
