package io.wenzhen.room.service;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;

import io.smallrye.mutiny.Uni;
import io.wenzhen.events.room.RoomError;
import io.wenzhen.events.room.RoomEvent;
import io.wenzhen.room.model.AppScopedId;
import io.wenzhen.room.model.Consultation;
import io.wenzhen.room.model.LiveStream;
import io.wenzhen.room.model.Member;
import io.wenzhen.room.model.Participation;
import io.wenzhen.room.model.Room;
import io.wenzhen.room.model.RoomHome;
import io.wenzhen.room.model.StreamRecord;

/**
 * The state changes that several commands share: a member leaving (with their streams), a room
 * closing, a room's snapshot. Runs inside the caller's transaction; the room row is locked first, so a
 * room's changes and sequence numbers are serialised whichever replica or admin call makes them.
 */
@ApplicationScoped
public class RoomMembership {

    @Inject
    RoomEventWriter events;

    /** Why a member is leaving: the reason word in events and the record, and the code a kicked client sees. */
    public record Departure(String reason, RoomError code, boolean kicked) {
        public static final Departure LOGOUT = new Departure("logout", null, false);
    }

    public static Uni<Room> lockRoom(long appId, String roomId) {
        return Room.findById(new AppScopedId(appId, roomId), LockModeType.PESSIMISTIC_WRITE);
    }

    public static Uni<Member> lockMember(long appId, String userId) {
        return Member.findById(new AppScopedId(appId, userId), LockModeType.PESSIMISTIC_WRITE);
    }

    public static Uni<List<Member>> members(Room room) {
        return Member.list("appId = ?1 and roomId = ?2 order by joinedAt", room.appId, room.id);
    }

    /**
     * Removes a member and their streams, announces it, and closes the room when it is left empty and
     * {@code closeIfEmpty} (not when the same user is about to join it again).
     */
    public Uni<Void> remove(Member member, Departure why, boolean closeIfEmpty) {
        return lockRoom(member.appId, member.roomId).chain(room -> LiveStream.<LiveStream>list(
                "appId = ?1 and roomId = ?2 and userId = ?3", member.appId, member.roomId, member.id)
                .chain(streams -> endStreams(room, streams, member, why.reason()))
                .chain(() -> closeParticipation(room, member.sessionId, why.reason()))
                .chain(() -> members(room))
                .chain(all -> {
                    int remaining = (int) all.stream().filter(m -> !m.id.equals(member.id)).count();
                    RoomEvent.Member who = new RoomEvent.Member(member.id, member.userName);
                    return member.delete()
                            .chain(() -> events.emit(room, why.kicked() ? RoomEvent.USER_KICKED : RoomEvent.USER_LEFT,
                                    e -> e.withUser(who, member.sessionId, member.gatewayId)
                                            .withReason(why.reason(), why.code() == null ? null : why.code().code())
                                            .withMemberCount(remaining)))
                            .chain(() -> remaining == 0 && closeIfEmpty ? close(room, "empty") : Uni.createFrom().voidItem());
                }));
    }

    /** Ends a consultation: the record's end, the room-closed event, the live row gone, its home with it. */
    public Uni<Void> close(Room room, String reason) {
        // its next life is placed anew
        return closeKeepingHome(room, reason).chain(() -> RoomHome.delete("appId = ?1 and id = ?2", room.appId, room.id))
                .replaceWithVoid();
    }

    /** Ends a consultation but keeps the room's home: a login is on its way there and opens its next life. */
    public Uni<Void> closeKeepingHome(Room room, String reason) {
        return Consultation.<Consultation>findById(room.consultationId).chain(consultation -> {
            consultation.endedAt = Instant.now();
            consultation.endReason = reason;
            return events.emit(room, RoomEvent.ROOM_CLOSED, e -> e.withReason(reason, null))
                    .chain(() -> room.delete());
        });
    }

    public Uni<RoomEvent.Snapshot> snapshot(Room room) {
        return members(room).chain(members -> snapshot(room, members));
    }

    /** The snapshot, for a caller that has the room's members in hand. */
    public Uni<RoomEvent.Snapshot> snapshot(Room room, List<Member> members) {
        return LiveStream.<LiveStream>list("appId = ?1 and roomId = ?2 order by startedAt", room.appId, room.id)
                .map(streams -> {
                    Map<String, String> names = members.stream().collect(Collectors.toMap(m -> m.id, m -> m.userName));
                    return new RoomEvent.Snapshot(
                            members.stream().map(m -> new RoomEvent.Member(m.id, m.userName)).toList(),
                            streams.stream().map(s -> new RoomEvent.Stream(s.id, s.userId, names.getOrDefault(s.userId, ""),
                                    s.extraInfo)).toList(),
                            room.seq);
                });
    }

    public Uni<Void> endStream(Room room, LiveStream stream, String userName, String reason) {
        return StreamRecord.update("endedAt = ?1, endReason = ?2 where consultationId = ?3 and streamId = ?4 and endedAt is null",
                Instant.now(), reason, room.consultationId, stream.id)
                .chain(() -> stream.delete())
                .chain(() -> events.emit(room, RoomEvent.STREAM_REMOVED, e -> e.withStream(
                        new RoomEvent.Stream(stream.id, stream.userId, userName, stream.extraInfo)).withReason(reason, null)));
    }

    private Uni<Void> endStreams(Room room, List<LiveStream> streams, Member member, String reason) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (LiveStream stream : streams) {
            chain = chain.chain(() -> endStream(room, stream, member.userName, reason));
        }
        return chain;
    }

    static Uni<Void> closeParticipation(Room room, String sessionId, String reason) {
        return Participation.update("leftAt = ?1, leftReason = ?2 where consultationId = ?3 and sessionId = ?4 and leftAt is null",
                Instant.now(), reason, room.consultationId, sessionId).replaceWithVoid();
    }
}
