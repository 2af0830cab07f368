package io.wenzhen.room.service;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.wenzhen.events.room.RoomError;
import io.wenzhen.events.room.RoomEvent;
import io.wenzhen.events.room.RoomIds;
import io.wenzhen.outbox.OutboxRelay;
import io.wenzhen.room.model.AppScopedId;
import io.wenzhen.room.model.Consultation;
import io.wenzhen.room.model.LiveStream;
import io.wenzhen.room.model.Member;
import io.wenzhen.room.model.Participation;
import io.wenzhen.room.model.Room;
import io.wenzhen.room.model.StreamRecord;
import io.wenzhen.room.service.RoomMembership.Departure;

/**
 * What an administrator does to rooms (kick, close, message) and reads of rooms and consultation
 * records. Changes go through the same locked, sequenced path as the commands from gateways.
 */
@ApplicationScoped
public class RoomAdminService {

    private static final Logger LOG = Logger.getLogger(RoomAdminService.class);
    /** The sender of messages an administrator posts. */
    public static final RoomEvent.Member SYSTEM = new RoomEvent.Member("@system", "system");

    @Inject
    RoomMembership membership;

    @Inject
    RoomEventWriter events;

    @Inject
    OutboxRelay relay;

    public record RoomSummary(String roomId, String consultationId, long memberCount, long streamCount,
            Instant createdAt) {
    }

    public record RoomDetail(String roomId, String consultationId, Instant createdAt, int maxMembers,
            List<Member> users, List<LiveStream> streams) {
    }

    public record ConsultationRecord(Consultation consultation, List<Participation> participants,
            List<StreamRecord> streams) {
    }

    public Uni<List<RoomSummary>> rooms(long appId) {
        // three queries whatever the number of rooms: the rooms, then members and streams counted per room
        return Panache.withSession(() -> Room.<Room>list("appId = ?1 order by createdAt", appId)
                .chain(rooms -> countsByRoom("Member", appId).chain(members -> countsByRoom("LiveStream", appId)
                        .map(streams -> rooms.stream().map(room -> new RoomSummary(room.id, room.consultationId.toString(),
                                members.getOrDefault(room.id, 0L), streams.getOrDefault(room.id, 0L), room.createdAt))
                                .toList()))));
    }

    private static Uni<Map<String, Long>> countsByRoom(String entity, long appId) {
        return Panache.getSession().chain(session -> session.createSelectionQuery(
                "select roomId, count(*) from " + entity + " where appId = :app group by roomId", Object[].class)
                .setParameter("app", appId).getResultList())
                .map(rows -> {
                    Map<String, Long> counts = new HashMap<>();
                    rows.forEach(row -> counts.put((String) row[0], (Long) row[1]));
                    return counts;
                });
    }

    public Uni<RoomDetail> room(long appId, String roomId) {
        return Panache.withSession(() -> Room.<Room>findById(new AppScopedId(appId, roomId))
                .onItem().ifNull().failWith(() -> new RoomRefusal(RoomError.ROOM_NOT_FOUND))
                .chain(room -> RoomMembership.members(room).chain(members -> LiveStream.<LiveStream>list(
                        "appId = ?1 and roomId = ?2 order by startedAt", appId, roomId)
                        .map(streams -> new RoomDetail(room.id, room.consultationId.toString(), room.createdAt,
                                room.maxMembers, members, streams)))));
    }

    public Uni<Void> kick(long appId, String roomId, String userId) {
        return Panache.withTransaction(() -> RoomMembership.lockMember(appId, userId).chain(member -> {
            if (member == null || !member.roomId.equals(roomId)) {
                return Uni.createFrom().failure(new RoomRefusal(RoomError.NOT_IN_ROOM));
            }
            return membership.remove(member, new Departure("kicked", RoomError.KICKED_BY_ADMIN, true), true);
        })).invoke(() -> LOG.infof("app %d room %s: user %s kicked by an administrator", appId, roomId, userId))
                .invoke(this::publish);
    }

    public Uni<Void> close(long appId, String roomId) {
        return Panache.withTransaction(() -> RoomMembership.lockRoom(appId, roomId).chain(room -> {
            if (room == null) {
                return Uni.createFrom().failure(new RoomRefusal(RoomError.ROOM_NOT_FOUND));
            }
            return RoomMembership.members(room).chain(members -> {
                Departure closed = new Departure("room-closed", RoomError.ROOM_CLOSED, true);
                Uni<Void> chain = Uni.createFrom().voidItem();
                for (Member member : members) {
                    chain = chain.chain(() -> membership.remove(member, closed, false));
                }
                return chain.chain(() -> membership.close(room, "closed-by-admin"));
            });
        })).invoke(() -> LOG.infof("app %d room %s closed by an administrator", appId, roomId))
                .invoke(this::publish);
    }

    /** Posts a message to everyone in the room as {@link #SYSTEM}; returns its messageId. */
    public Uni<Long> message(long appId, String roomId, String text) {
        if (text == null || text.isEmpty() || !RoomIds.fitsBytes(text, RoomCommandHandler.MAX_TEXT_BYTES)) {
            return Uni.createFrom().failure(new RoomRefusal(RoomError.MESSAGE_TOO_LONG));
        }
        return Panache.withTransaction(() -> RoomMembership.lockRoom(appId, roomId).chain(room -> {
            if (room == null) {
                return Uni.createFrom().failure(new RoomRefusal(RoomError.ROOM_NOT_FOUND));
            }
            long sendTime = System.currentTimeMillis();
            long[] id = new long[1];
            return events.emit(room, RoomEvent.BROADCAST_MESSAGE, e -> {
                id[0] = e.seq();
                return e.withMessage(new RoomEvent.Message(e.seq(), SYSTEM.userId(), SYSTEM.userName(), text, sendTime));
            }).map(ignored -> id[0]);
        })).invoke(this::publish);
    }

    public Uni<List<Consultation>> consultations(long appId, String roomId, int limit) {
        return Panache.withSession(() -> roomId == null
                ? Consultation.<Consultation>find("appId = ?1 order by startedAt desc", appId).page(0, limit).list()
                : Consultation.<Consultation>find("appId = ?1 and roomId = ?2 order by startedAt desc", appId, roomId)
                        .page(0, limit).list());
    }

    public Uni<ConsultationRecord> consultation(UUID id) {
        return Panache.withSession(() -> Consultation.<Consultation>findById(id)
                .onItem().ifNull().failWith(() -> new RoomRefusal(RoomError.CONSULTATION_NOT_FOUND))
                .chain(c -> Participation.<Participation>list("consultationId = ?1 order by joinedAt", id)
                        .chain(people -> StreamRecord.<StreamRecord>list("consultationId = ?1 order by startedAt", id)
                                .map(streams -> new ConsultationRecord(c, people, streams)))));
    }

    private void publish() {
        relay.publishPending().subscribe().with(ok -> { }, failure -> { });
    }
}
