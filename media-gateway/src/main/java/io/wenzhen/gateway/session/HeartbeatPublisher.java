package io.wenzhen.gateway.session;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.wenzhen.events.GatewayHeartbeat;
import io.wenzhen.events.WenzhenEvents;
import io.wenzhen.gateway.config.CloudEventHeaders;
import io.wenzhen.gateway.config.GatewayIdentity;

/**
 * Tells room-service this gateway is alive, and which sessions it holds. When the heartbeats stop (a
 * crash, a lost node), room-service ends this gateway's sessions so the others do not wait on ghosts;
 * a member this gateway does not back (a login applied after the gateway gave up waiting, an
 * end-of-session command lost) is removed too.
 */
@ApplicationScoped
public class HeartbeatPublisher {

    @Inject
    @Channel("gateway-heartbeats-out")
    MutinyEmitter<byte[]> heartbeats;

    @Inject
    GatewayIdentity identity;

    @Inject
    SessionRegistry sessions;

    @Inject
    Connections connections;

    @Scheduled(every = "${wenzhen.gateway.heartbeat-interval:5s}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> beat() {
        List<String> live = sessions.all().stream().map(Session::id).toList();
        GatewayHeartbeat beat = new GatewayHeartbeat(identity.id(), live.size(), connections.count(), Instant.now(), live);
        byte[] event = WenzhenEvents.serialize(WenzhenEvents.create(GatewayHeartbeat.TYPE, identity.source(), identity.id(),
                beat));
        return heartbeats.sendMessage(Message.of(event).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(identity.id()).withHeaders(CloudEventHeaders.structured()).build()))
                .onFailure().recoverWithNull();
    }
}
