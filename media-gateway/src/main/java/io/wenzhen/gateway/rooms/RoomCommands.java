package io.wenzhen.gateway.rooms;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.wenzhen.events.WenzhenEvents;
import io.wenzhen.events.room.RoomCommand;
import io.wenzhen.events.room.RoomEvent;
import io.wenzhen.gateway.config.CloudEventHeaders;
import io.wenzhen.gateway.config.GatewayConfig;
import io.wenzhen.gateway.config.GatewayIdentity;
import io.wenzhen.gateway.errors.GatewayError;
import io.wenzhen.gateway.errors.SignalingException;

/** Sends commands to room-service and hands back its command-result, matched by commandId. */
@ApplicationScoped
public class RoomCommands {

    private static final Logger LOG = Logger.getLogger(RoomCommands.class);
    /** How long an end-of-session command is sent again while room-service does not apply it. */
    static final Duration TELL_PATIENCE = Duration.ofMinutes(10);

    private final Map<String, CompletableFuture<RoomEvent>> pending = new ConcurrentHashMap<>();
    private final MutinyEmitter<byte[]> commands;
    private final GatewayConfig config;
    private final GatewayIdentity identity;

    @Inject
    public RoomCommands(@Channel("room-commands-out") MutinyEmitter<byte[]> commands, GatewayConfig config,
            GatewayIdentity identity) {
        this.commands = commands;
        this.config = config;
        this.identity = identity;
    }

    /** The command's result; fails with TIMEOUT when room-service does not answer in time. */
    public Uni<RoomEvent> send(RoomCommand command) {
        byte[] event = WenzhenEvents.serialize(WenzhenEvents.create(RoomCommand.TYPE, identity.source(), command.key(),
                command));
        Message<byte[]> message = Message.of(event).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(command.key()).withHeaders(CloudEventHeaders.structured()).build());
        // registered before sending: the answer may come back before the send's acknowledgement does
        CompletableFuture<RoomEvent> result = new CompletableFuture<>();
        pending.put(command.commandId(), result);
        return commands.sendMessage(message)
                .chain(() -> Uni.createFrom().completionStage(result))
                .ifNoItem().after(config.commandTimeout()).failWith(() -> new SignalingException(GatewayError.TIMEOUT))
                .eventually(() -> pending.remove(command.commandId()));
    }

    /**
     * Sends a command whose result nobody waits for (a session that ended on this side), again and again
     * until room-service applies it (the same commandId: applied once) or {@link #TELL_PATIENCE} passes;
     * after that the heartbeat's live sessions let room-service find the member nobody backs.
     */
    public void tell(RoomCommand command) {
        // deferred: each attempt registers for its result anew (send() forgets it when an attempt ends)
        Uni.createFrom().deferred(() -> send(command)).onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30)).expireIn(
                TELL_PATIENCE.toMillis()).subscribe().with(ignored -> { },
                failure -> LOG.warnf("command %s (%s) not applied in %s: %s", command.commandId(), command.kind(), TELL_PATIENCE,
                        failure.toString()));
    }

    /** Called with every command-result seen on room-events; results of other gateways are ignored. */
    void complete(RoomEvent result) {
        CompletableFuture<RoomEvent> waiting = pending.remove(result.commandId());
        if (waiting != null) {
            waiting.complete(result);
        }
    }
}
