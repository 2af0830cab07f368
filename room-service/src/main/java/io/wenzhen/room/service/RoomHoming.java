package io.wenzhen.room.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.wenzhen.events.GatewayLoad;
import io.wenzhen.events.room.RoomCommand;
import io.wenzhen.room.model.AppScopedId;
import io.wenzhen.room.model.Member;
import io.wenzhen.room.model.Room;
import io.wenzhen.room.model.RoomHome;

/**
 * A room's media home (docs/architecture.md, "Placement"): chosen by {@link Placement} when the room is
 * first asked for, kept for its life, moved only when the home is lost: a gateway reported it unreachable
 * (a login relayed there failed to connect) or its heartbeats stopped. Moving removes the members the old
 * home held (reason gateway-lost, as the liveness sweep would a little later): their SDKs log in again, and
 * are relayed to the new home. Runs inside the login's transaction with the room's row locked.
 */
@ApplicationScoped
public class RoomHoming {

    private static final Logger LOG = Logger.getLogger(RoomHoming.class);
    /** A placement whose first member never arrived (the relay to it failed, the client left) is chosen again after this. */
    static final Duration UNUSED_PLACEMENT = Duration.ofSeconds(60);

    @Inject
    GatewayLoads loads;

    @Inject
    RoomMembership membership;

    /** A room's home, and whether this login moved it there (its lost home's members removed). */
    public record Home(String gateway, boolean moved) {
    }

    /** The gateway whose client asks for {@code room} (null: not open yet) learns the home: itself or another. */
    public Uni<Home> homeFor(RoomCommand command, Room room) {
        Instant now = Instant.now();
        String asking = command.gatewayId();
        return RoomHome.<RoomHome>findById(new AppScopedId(command.appId(), command.roomId()), LockModeType.PESSIMISTIC_WRITE)
                .chain(home -> {
                    if (home == null) {
                        // an open room without a home predates placement: its members are where its media is
                        String chosen = room != null ? asking : Placement.choose(asking, loads.candidates(asking, now, Set.of()));
                        RoomHome placed = new RoomHome();
                        placed.appId = command.appId();
                        placed.id = command.roomId();
                        placed.gatewayId = chosen;
                        placed.placedAt = now;
                        return placed.persist().replaceWith(new Home(chosen, false));
                    }
                    if (home.gatewayId.equals(asking)) {
                        return Uni.createFrom().item(new Home(asking, false));
                    }
                    boolean reported = home.gatewayId.equals(command.unreachableHome());
                    if (reported || loads.lost(home.gatewayId, now)) {
                        return move(home, room, asking, reported ? "unreachable from " + asking : "silent", now);
                    }
                    if (room == null && home.placedAt.isBefore(now.minus(UNUSED_PLACEMENT))) {
                        home.gatewayId = Placement.choose(asking, loads.candidates(asking, now, Set.of()));
                        home.placedAt = now;
                    }
                    return Uni.createFrom().item(new Home(home.gatewayId, false));
                });
    }

    /**
     * The room's home is draining and moves its calls: another gateway becomes the home, chosen as for a new room
     * but never the draining one; the members stay (their sessions hand over to the new home one by one). Null
     * when no other gateway can take the room. A room whose home is already another gateway keeps it.
     */
    public Uni<String> moveAway(long appId, String roomId, String draining) {
        Instant now = Instant.now();
        return RoomHome.<RoomHome>findById(new AppScopedId(appId, roomId), LockModeType.PESSIMISTIC_WRITE).chain(home -> {
            if (home != null && !home.gatewayId.equals(draining)) {
                return Uni.createFrom().item(home.gatewayId);
            }
            Map<String, GatewayLoad> candidates = loads.candidates(draining, now, Set.of(draining));
            if (candidates.isEmpty()) {
                return Uni.createFrom().nullItem();
            }
            String chosen = Placement.choose(draining, candidates);
            LOG.infof("app %d room %s: home %s draining, calls move to %s", appId, roomId, draining, chosen);
            RoomHome moved = home == null ? new RoomHome() : home;
            moved.appId = appId;
            moved.id = roomId;
            moved.gatewayId = chosen;
            moved.placedAt = now;
            return (home == null ? moved.persist() : Uni.createFrom().item(moved)).replaceWith(chosen);
        });
    }

    /** The room's home was lost: a new one, and the members the old one held leave. */
    private Uni<Home> move(RoomHome home, Room room, String asking, String why, Instant now) {
        String lost = home.gatewayId;
        loads.suspect(lost, now);
        home.gatewayId = Placement.choose(asking, loads.candidates(asking, now, Set.of(lost)));
        home.placedAt = now;
        LOG.infof("app %d room %s: home %s lost (%s), moved to %s", home.appId, home.id, lost, why, home.gatewayId);
        Home moved = new Home(home.gatewayId, true);
        if (room == null) {
            return Uni.createFrom().item(moved);
        }
        return RoomMembership.members(room).chain(members -> removeAll(members.stream()
                .filter(m -> lost.equals(m.gatewayId)).toList())).replaceWith(moved);
    }

    /** Removes them one after another; the room stays open for the login that follows (its consultation goes on). */
    private Uni<Void> removeAll(List<Member> members) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Member member : members) {
            chain = chain.chain(() -> membership.remove(member, GatewayLiveness.GATEWAY_LOST, false));
        }
        return chain;
    }
}
