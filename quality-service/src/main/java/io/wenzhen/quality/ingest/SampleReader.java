package io.wenzhen.quality.ingest;

import com.fasterxml.jackson.databind.JsonNode;

import io.wenzhen.events.EventTime;
import io.wenzhen.events.WenzhenEvents;
import io.wenzhen.events.quality.ClientSample;
import io.wenzhen.events.quality.ServerSample;
import io.wenzhen.quality.analytics.Sample;

/**
 * Reads the two kinds of event on {@code quality-samples} into one {@link Sample}: a client's report
 * (the SDK's publish/play figures, as the gateway received them) and a gateway's own measurement.
 * Anything else, or an event missing what a sample needs, is refused with {@link IllegalArgumentException}.
 */
public final class SampleReader {

    private SampleReader() {
    }

    /** A sample event, read in one pass ({@link WenzhenEvents#envelope}: samples come by tens of thousands a second). */
    public static Sample read(byte[] value) {
        WenzhenEvents.Envelope event = WenzhenEvents.envelope(value);
        return switch (event.type()) {
            case ClientSample.TYPE -> client(event.data());
            case ServerSample.TYPE -> server(event.data());
            default -> throw new IllegalArgumentException("not a quality sample: " + event.type());
        };
    }

    static Sample client(JsonNode data) {
        JsonNode stats = data.path("stats");
        JsonNode video = stats.path("video");
        JsonNode audio = stats.path("audio");
        Sample.Side side = side(text(data, "direction"));
        double jitterSeconds = number(audio.path("audioJitter"));
        double freezeSeconds = number(video.path("totalFreezesDuration"));
        return new Sample(appId(data), text(data, "roomId"), text(data, "streamId"), text(data, "userId"), side,
                Sample.Source.CLIENT, time(data, "receivedAt"), number(video.path("videoBitrate")),
                number(audio.path("audioBitrate")), number(video.path("videoFPS")), (int) zeroIfUnknown(video.path("frameWidth")),
                (int) zeroIfUnknown(video.path("frameHeight")), fraction(video.path("videoPacketsLostRate")),
                fraction(audio.path("audioPacketsLostRate")), Double.isNaN(jitterSeconds) ? Double.NaN : jitterSeconds * 1000,
                number(stats.path("currentRoundTripTime")), number(video.path("freezeCount")),
                Double.isNaN(freezeSeconds) ? Double.NaN : freezeSeconds * 1000);
    }

    static Sample server(JsonNode data) {
        JsonNode video = data.path("video");
        JsonNode audio = data.path("audio");
        double videoJitter = number(video.path("jitterMs"));
        double audioJitter = number(audio.path("jitterMs"));
        return new Sample(appId(data), text(data, "roomId"), text(data, "streamId"), text(data, "userId"), side(text(data, "side")),
                Sample.Source.SERVER, time(data, "measuredAt"), number(video.path("kbps")), number(audio.path("kbps")),
                number(video.path("fps")), 0, 0, fraction(video.path("lossFraction")), fraction(audio.path("lossFraction")),
                Double.isNaN(audioJitter) ? videoJitter : audioJitter, number(data.path("rttMs")), number(video.path("freezes")),
                number(video.path("freezeMs")));
    }

    private static Sample.Side side(String text) {
        return switch (text) {
            case "publish" -> Sample.Side.PUBLISH;
            case "play" -> Sample.Side.PLAY;
            default -> throw new IllegalArgumentException("unknown side " + text);
        };
    }

    private static long appId(JsonNode data) {
        JsonNode id = data.path("appId");
        if (!id.canConvertToLong() || id.asLong() <= 0 || id.asLong() > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("no appId");
        }
        return id.asLong();
    }

    private static String text(JsonNode data, String field) {
        JsonNode node = data.path(field);
        if (!node.isTextual() || node.asText().isEmpty() || node.asText().length() > 256) {
            throw new IllegalArgumentException("no " + field);
        }
        return node.asText();
    }

    private static long time(JsonNode data, String field) {
        String text = text(data, field);
        try {
            return EventTime.epochMillis(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " is not a time", e);
        }
    }

    /** A non-negative finite number, or NaN. */
    private static double number(JsonNode node) {
        if (!node.isNumber()) {
            return Double.NaN;
        }
        double value = node.asDouble();
        return Double.isFinite(value) && value >= 0 ? value : Double.NaN;
    }

    private static double fraction(JsonNode node) {
        double value = number(node);
        return Double.isNaN(value) ? Double.NaN : Math.min(1, value);
    }

    private static double zeroIfUnknown(JsonNode node) {
        double value = number(node);
        return Double.isNaN(value) || value > 16384 ? 0 : value;
    }
}
