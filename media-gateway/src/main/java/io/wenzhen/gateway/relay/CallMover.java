package io.wenzhen.gateway.relay;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
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
    /** A session that logged in during a move hears of it after its login's reply. */
    private static final Duration AFTER_LOGIN_REPLY = Duration.ofMillis(500);

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
    private final AtomicBoolean started = new AtomicBoolean();

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
        Uni<GatewayDrain.Outcome> drained = drain.drain(); // not ready, no new rooms: from now on
        if (config.drainMovesCalls() && started.compareAndSet(false, true)) {
            Map<String, List<Session>> rooms = sessions.all().stream().collect(Collectors.groupingBy(Session::roomKey));
            rooms.forEach((roomKey, members) -> move(roomKey, members).subscribe().with(
                    moved -> { }, failure -> LOG.warnf("room %s: the calls stay here until they end (%s)", roomKey,
                            failure.getMessage())));
        }
        return drained;
    }

    /**
     * A session that logged in here while its room moves away (a login answered just before the move, or a
     * participant rejoining): told to move as well, once its login's reply is on its way.
     */
    public void joinedDuringMove(Session session) {
        String home = moving.get(session.roomKey());
        if (home != null && session.handsOver()) {
            Uni.createFrom().voidItem().onItem().delayIt().by(AFTER_LOGIN_REPLY).subscribe().with(ignored -> tell(List.of(session), home));
        }
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
            GatewayDirectory.Peer peer = directory.find(home).orElse(null);
            if (peer == null || peer.publicUrl() == null) {
                throw new IllegalStateException("gateway " + home + " has no public address");
            }
            if (loopback(config.pipeHost()) && !loopback(URI.create(peer.signalingUrl()).getHost())) {
                throw new IllegalStateException("this gateway's pipes are on loopback (pipe-host) and gateway " + home
                        + " is on another machine: set pipe-host to this machine's internal address");
            }
            moving.put(roomKey, home);
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
            // the room's sessions now: one that logged in before room-service applied the move is told too
            return allPiped.invoke(() -> tell(sessions.inRoom(roomKey), home));
        });
    }

    /** Each session gets its move event, with its ticket for the handover at {@code home}. */
    private void tell(Collection<Session> members, String home) {
        String url = directory.find(home).map(GatewayDirectory.Peer::publicUrl).orElse(null);
        if (url == null) {
            LOG.warnf("gateway %s is gone: %d sessions stay here", home, members.size());
            return;
        }
        long now = System.currentTimeMillis() / 1000;
        for (Session session : members) {
            String ticket = tickets.issue(new HandoverTickets.Handover(session.id(), session.appId(), session.roomId(),
                    session.userId(), home), now);
            session.send(ServerMessages.move(session.roomId(), home, url, ticket));
        }
        LOG.infof("%d sessions told to move to gateway %s", members.size(), home);
    }

    private static boolean loopback(String host) {
        try {
            return host != null && InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
