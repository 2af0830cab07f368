package io.wenzhen.testing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.wenzhen.events.Topics;
import io.wenzhen.events.WenzhenEvents;
import io.wenzhen.events.quality.ClientSample;
import io.wenzhen.events.quality.ServerSample;
import io.wenzhen.events.room.RoomEvent;

/**
 * Generated consultations for quality-service's tests and benchmark: room events as room-service puts
 * them on room-events, and quality samples as the gateway puts them on quality-samples (a client's
 * report and the gateway's own view), with event times of the caller's choosing. They go to a real
 * broker, or to any {@link Sink} (a topology test driver's input topics).
 */
public final class QualityFeed implements AutoCloseable {

    /** Where the feed's records go. */
    @FunctionalInterface
    public interface Sink {
        void send(String topic, String key, byte[] value);
    }

    private final Sink sink;
    private final KafkaProducer<String, byte[]> producer;

    /** A feed into the broker at {@code bootstrap}. */
    public QualityFeed(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        sink = (topic, key, value) -> producer.send(new ProducerRecord<>(topic, key, value));
    }

    /** A feed into {@code sink}, record by record. */
    public QualityFeed(Sink sink) {
        this.sink = sink;
        this.producer = null;
    }

    /** A room event of {@code type} for one user (joined, left) or one stream (added, removed), or the room itself. */
    public void roomEvent(String type, long appId, String roomId, String consultationId, long seq, String userId, String sessionId,
            String streamId, Instant at) {
        RoomEvent event = RoomEvent.state(appId, roomId, consultationId, seq);
        if (userId != null && streamId == null) {
            event = event.withUser(new RoomEvent.Member(userId, userId), sessionId, "gw-test");
        }
        if (streamId != null) {
            event = event.withStream(new RoomEvent.Stream(streamId, userId, userId, ""));
        }
        String key = appId + "/" + roomId;
        send(Topics.ROOM_EVENTS, key, WenzhenEvents.serialize(withTime(WenzhenEvents.create(type, "/room-service", key, event), at)));
    }

    /** A client's report as the SDK sends it (docs/sdk.md, quality figures). */
    public void clientSample(long appId, String roomId, String streamId, String userId, String direction, Instant at,
            double videoKbps, double loss, double rttMs) {
        Map<String, Object> video = new LinkedHashMap<>();
        video.put("videoBitrate", videoKbps);
        video.put("videoFPS", 30);
        video.put("frameWidth", 640);
        video.put("frameHeight", 480);
        video.put("videoPacketsLostRate", loss);
        Map<String, Object> audio = new LinkedHashMap<>();
        audio.put("audioBitrate", 32);
        audio.put("audioPacketsLostRate", loss);
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("video", video);
        stats.put("audio", audio);
        stats.put("currentRoundTripTime", rttMs);
        stats.put("quality", 0);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("appId", appId);
        data.put("roomId", roomId);
        data.put("userId", userId);
        data.put("sessionId", "session-" + userId);
        data.put("streamId", streamId);
        data.put("direction", direction);
        data.put("stats", stats);
        data.put("receivedAt", at.toString());
        String key = appId + "/" + streamId;
        send(Topics.QUALITY_SAMPLES, key, WenzhenEvents.serialize(WenzhenEvents.create(ClientSample.TYPE, "/media-gateway/gw-test", key,
                data)));
    }

    /** The gateway's view of a publisher ({@code side} publish) or of a player (play). */
    public void serverSample(long appId, String roomId, String streamId, String userId, String side, Instant at, double videoKbps,
            double loss) {
        ServerSample sample = new ServerSample(appId, roomId, streamId, userId, side, "gw-test", at, 3,
                new ServerSample.Media(270, videoKbps, loss, 4.0, 30.0, 0L, 0.0),
                new ServerSample.Media(150, 32, loss, 3.0, null, null, null), side.equals("play") ? 20.0 : null, 0, 0, 0);
        String key = appId + "/" + streamId;
        send(Topics.QUALITY_SAMPLES, key, WenzhenEvents.serialize(WenzhenEvents.create(ServerSample.TYPE, "/media-gateway/gw-test",
                key, sample)));
    }

    /** Anything, as it is. */
    public void raw(String topic, String key, String value) {
        send(topic, key, value.getBytes(StandardCharsets.UTF_8));
    }

    public void flush() {
        if (producer != null) {
            producer.flush();
        }
    }

    private void send(String topic, String key, byte[] value) {
        sink.send(topic, key, value);
    }

    private static CloudEvent withTime(CloudEvent event, Instant at) {
        return CloudEventBuilder.from(event).withTime(at.atOffset(ZoneOffset.UTC)).build();
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close();
        }
    }
}
