package io.wenzhen.gateway.relay;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.wenzhen.events.room.RoomCommand;
import io.wenzhen.gateway.config.GatewayConfig;
import io.wenzhen.gateway.config.GatewayIdentity;
import io.wenzhen.gateway.messages.ServerMessages;
import io.wenzhen.gateway.peers.GatewayDirectory;
import io.wenzhen.gateway.peers.HandoverTickets;
import io.wenzhen.gateway.rooms.RoomCommands;
import io.wenzhen.gateway.session.GatewayDrain;
import io.wenzhen.gateway.session.Session;
import io.wenzhen.gateway.session.SessionRegistry;

/**
 * A drain that moves calls (docs/architecture.md, "Moving calls"): for each room with sessions here,
 * room-service gives the room another home (MOVE); every stream published here is piped there
 * ({@link MediaPipes}), so its players can play it there at once; then each session is told to move,
 * with a ticket for its handover. The SDKs log in there, publish and play there, and leave this gateway
 * only once their media flows there (make before break): the drain ends when the last session has left.
 * A room with a client that cannot hand over (the mini-program SDK, an older SDK), or that no other gateway
 * can take, is not moved: its calls finish here, as in a drain without moves.
 */
@ApplicationScoped
public class CallMover {

    private static final Logger LOG = Logger.getLogger(CallMover.class);

    @Inject
    GatewayDrain drain;

    @Inject
    GatewayConfig config;

    @Inject
    SessionRegistry sessions;

    @Inject
    RoomCommands commands;

    @Inject
    GatewayIdentity identity;

    @Inject
    MediaPipes pipes;

    @Inject
    GatewayDirectory directory;

    @Inject
    HandoverTickets tickets;

    /** The rooms whose calls move away from here, by their new home. */
    private final Map<String, String> moving = new ConcurrentHashMap<>();

    /** The gateway a room's calls are moving to from here, or null when they are not moving. */
    public String movingTo(String roomKey) {
        return moving.get(roomKey);
    }

    /**
     * A stream published here while its room moves away (the old session published it after the move began):
     * piped to the new home as well, so that its players there have it.
     */
    public void published(String roomKey, String streamId) {
        String home = moving.get(roomKey);
        if (home != null) {
            pipes.offer(roomKey, streamId, home).subscribe().with(piped -> { }, failure -> LOG.warnf(
                    "room %s: stream %s published during the move not piped: %s", roomKey, streamId, failure.getMessage()));
        }
    }

    /** Drains (see {@link GatewayDrain}) and, when moves are on, moves the calls; completes as the drain does. */
    public Uni<GatewayDrain.Outcome> drain() {
        boolean first = !drain.draining();
        Uni<GatewayDrain.Outcome> drained = drain.drain(); // not ready, no new rooms: from now on
        if (first && config.drainMovesCalls()) {
            Map<String, List<Session>> rooms = sessions.all().stream().collect(Collectors.groupingBy(Session::roomKey));
            rooms.forEach((roomKey, members) -> move(roomKey, members).subscribe().with(
                    moved -> { }, failure -> LOG.warnf("room %s: the calls stay here until they end (%s)", roomKey,
                            failure.getMessage())));
        }
        return drained;
    }

    private Uni<Void> move(String roomKey, Collection<Session> members) {
        Session any = members.iterator().next();
        if (!members.stream().allMatch(Session::handsOver)) {
            return Uni.createFrom().failure(new IllegalStateException("a client of the room cannot hand over"));
        }
        RoomCommand move = new RoomCommand(UUID.randomUUID().toString(), RoomCommand.Kind.MOVE, any.appId(), any.roomId(), null,
                identity.id(), null, null, null, null, null, null, null);
        return commands.send(move).chain(result -> {
            if (!Boolean.TRUE.equals(result.ok()) || result.home() == null) {
                throw new IllegalStateException("room-service did not move the room: " + result.error());
            }
            String home = result.home();
            moving.put(roomKey, home);
            String url = directory.find(home).map(GatewayDirectory.Peer::publicUrl).orElse(null);
            if (url == null) {
                throw new IllegalStateException("gateway " + home + " has no public address");
            }
            List<Uni<Void>> piped = new ArrayList<>();
            for (Session session : members) {
                for (String stream : session.published()) {
                    // a stream that cannot be piped is not fatal: its publisher publishes it there itself
                    piped.add(pipes.offer(roomKey, stream, home).onFailure().invoke(e -> LOG.warnf(
                            "room %s: stream %s not piped: %s", roomKey, stream, e.getMessage())).onFailure().recoverWithNull());
                }
            }
            Uni<Void> allPiped = piped.isEmpty() ? Uni.createFrom().voidItem()
                    : Uni.combine().all().unis(piped).discardItems();
            return allPiped.invoke(() -> {
                long now = System.currentTimeMillis() / 1000;
                for (Session session : members) {
                    String ticket = tickets.issue(new HandoverTickets.Handover(session.id(), session.appId(), session.roomId(),
                            session.userId(), home), now);
                    session.send(ServerMessages.move(session.roomId(), home, url, ticket));
                }
                LOG.infof("room %s: %d sessions told to move to gateway %s", roomKey, members.size(), home);
            });
        });
    }
}
