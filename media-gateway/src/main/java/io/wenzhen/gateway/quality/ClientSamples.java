package io.wenzhen.gateway.quality;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.wenzhen.events.WenzhenEvents;
import io.wenzhen.events.quality.ClientSample;
import io.wenzhen.gateway.config.CloudEventHeaders;
import io.wenzhen.gateway.config.GatewayIdentity;
import io.wenzhen.gateway.session.Session;

/**
 * Forwards the quality statistics a client reports (publishQualityUpdate / playQualityUpdate data) to
 * {@code quality-samples}, key {@code appId/streamId}, for quality-service.
 */
@ApplicationScoped
public class ClientSamples {

    @Inject
    @Channel("quality-samples-out")
    MutinyEmitter<byte[]> samples;

    @Inject
    GatewayIdentity identity;

    public Uni<Void> send(Session session, String streamId, String direction, JsonNode stats) {
        String key = session.appId() + "/" + streamId;
        ClientSample sample = new ClientSample(session.appId(), session.roomId(), session.userId(), session.id(), streamId,
                direction, stats, Instant.now());
        byte[] event = WenzhenEvents.serialize(WenzhenEvents.create(ClientSample.TYPE, identity.source(), key, sample));
        return samples.sendMessage(Message.of(event).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(key).withHeaders(CloudEventHeaders.structured()).build()));
    }
}
