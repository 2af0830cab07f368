package io.wenzhen.gateway.quality;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.wenzhen.events.WenzhenEvents;
import io.wenzhen.events.quality.ServerSample;
import io.wenzhen.events.room.RoomEvent;
import io.wenzhen.gateway.config.CloudEventHeaders;
import io.wenzhen.gateway.config.GatewayIdentity;
import io.wenzhen.gateway.rooms.RoomView;
import io.wenzhen.gateway.rooms.RoomViews;
import io.wenzhen.gateway.session.Session;
import io.wenzhen.gateway.session.SessionRegistry;
import io.wenzhen.gateway.webrtc.Consumer;
import io.wenzhen.gateway.webrtc.Producer;
import io.wenzhen.gateway.webrtc.Sfu;

/**
 * Every few seconds ({@code wenzhen.gateway.quality-sample-interval}, 3 s like the SDK's reports), the
 * gateway's own view of each publisher and each player goes to {@code quality-samples} as a
 * {@code wenzhen.quality.server-sample.v1}: so quality-service knows a stream's quality even from
 * clients that report nothing, and sees the uplink before any player does.
 */
@ApplicationScoped
public class ServerSamples {

    @Inject
    Sfu sfu;

    @Inject
    SessionRegistry sessions;

    @Inject
    RoomViews rooms;

    @Inject
    GatewayIdentity identity;

    @Inject
    @Channel("quality-samples-out")
    MutinyEmitter<byte[]> samples;

    @Inject
    MeterRegistry metrics;

    /** Byte totals at the last sample, per publisher or player, for the bitrate over the interval. */
    private final Map<String, long[]> previous = new HashMap<>();

    @Scheduled(every = "${wenzhen.gateway.quality-sample-interval:3s}", delayed = "3s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sample() {
        long now = System.nanoTime();
        Instant at = Instant.now();
        Map<String, long[]> seen = new HashMap<>();
        for (Sfu.StreamStats stream : sfu.stats()) {
            int slash = stream.roomKey().indexOf('/');
            long appId = Long.parseLong(stream.roomKey().substring(0, slash));
            String roomId = stream.roomKey().substring(slash + 1);
            RoomView view = rooms.find(stream.roomKey());
            RoomEvent.Stream published = view == null ? null : view.stream(stream.streamId());
            if (published == null) {
                continue; // the room has not confirmed the stream (or no longer has it): nobody to attribute it to
            }
            Producer.Report report = stream.publisher();
            String publisherKey = stream.roomKey() + "/" + stream.streamId() + "/publish";
            double[] kbps = kbps(publisherKey, report.video().bytes(), report.bytes() - report.video().bytes(), now, seen);
            if (kbps != null) { // the first look at it has no baseline for a bitrate
                send(new ServerSample(appId, roomId, stream.streamId(), published.userId(), "publish", identity.id(), at, kbps[2],
                        new ServerSample.Media(report.video().packets(), kbps[0], report.video().lossFraction(),
                                report.video().jitterMillis(), report.video().framesPerSecond(), report.video().freezes(),
                                report.video().frozenMillis()),
                        new ServerSample.Media(report.audio().packets(), kbps[1], report.audio().lossFraction(),
                                report.audio().jitterMillis(), null, null, null),
                        null, report.nacksSent(), report.retransmissionsReceived(), report.keyframeRequests()));
            }
            stream.players().forEach((sessionId, player) -> {
                Session session = sessions.byId(sessionId);
                if (session == null) {
                    return;
                }
                String playerKey = stream.roomKey() + "/" + stream.streamId() + "/play/" + sessionId;
                double[] rate = kbps(playerKey, player.videoBytesSent(), player.bytesSent() - player.videoBytesSent(), now, seen);
                if (rate == null) {
                    return; // no baseline yet
                }
                send(new ServerSample(appId, roomId, stream.streamId(), session.userId(), "play", identity.id(), at, rate[2],
                        new ServerSample.Media(0, rate[0], player.videoLossFraction(), player.videoJitterMillis(), null, null, null),
                        new ServerSample.Media(0, rate[1], player.audioLossFraction(), player.audioJitterMillis(), null, null, null),
                        player.rttMillis() < 0 ? null : (double) player.rttMillis(), player.nacks(), player.retransmitted(),
                        player.keyframeRequests()));
            });
        }
        previous.clear();
        previous.putAll(seen); // those gone are forgotten
    }

    /** Video and audio kbit/s since the last sample, and the interval in seconds; null at the first sample. */
    private double[] kbps(String key, long videoBytes, long audioBytes, long now, Map<String, long[]> seen) {
        long[] before = previous.get(key);
        seen.put(key, new long[] {videoBytes, audioBytes, now});
        if (before == null || now <= before[2]) {
            return null;
        }
        double seconds = (now - before[2]) / 1e9;
        return new double[] {Math.max(0, videoBytes - before[0]) * 8 / seconds / 1000,
                Math.max(0, audioBytes - before[1]) * 8 / seconds / 1000, seconds};
    }

    private void send(ServerSample sample) {
        String key = sample.appId() + "/" + sample.streamId();
        byte[] event = WenzhenEvents.serialize(WenzhenEvents.create(ServerSample.TYPE, identity.source(), key, sample));
        samples.sendMessage(Message.of(event).addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key)
                .withHeaders(CloudEventHeaders.structured()).build())).subscribe().with(x -> {
                }, e -> {
                    // the next sample carries cumulative figures: a lost one costs quality-service a window's detail, not totals
                    metrics.counter("wenzhen.gateway.quality.samples.failed").increment();
                    Logger.getLogger(ServerSamples.class).debugf("server sample of %s not sent: %s", key, e);
                });
    }
}
