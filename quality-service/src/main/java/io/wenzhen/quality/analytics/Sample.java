package io.wenzhen.quality.analytics;

/**
 * One quality sample, from either source, in one shape: what a client measured over its last interval
 * (the SDK, every 3 s) or what the gateway measured of a publisher or a player. Figures a source does
 * not know are NaN (or 0 for the resolution). Freeze figures are running totals, so a lost sample
 * loses nothing.
 *
 * @param side       PUBLISH: the publisher's uplink; PLAY: one player's downlink
 * @param userId     the publisher's userID for PUBLISH, the player's for PLAY
 * @param atMillis   when it was measured (event time, epoch ms)
 * @param videoLoss  fraction of video packets lost, 0..1
 * @param freezes    video freezes so far (running total), NaN when unknown
 * @param freezeMs   time spent frozen so far (running total), NaN when unknown
 */
public record Sample(long appId, String roomId, String streamId, String userId, Side side, Source source, long atMillis,
        double videoKbps, double audioKbps, double fps, int width, int height, double videoLoss, double audioLoss,
        double jitterMs, double rttMs, double freezes, double freezeMs) {

    public enum Side {
        PUBLISH, PLAY
    }

    public enum Source {
        CLIENT, SERVER
    }

    public boolean hasVideo() {
        return !Double.isNaN(videoKbps) && videoKbps > 0;
    }

    public boolean hasAudio() {
        return !Double.isNaN(audioKbps) && audioKbps > 0;
    }
}
