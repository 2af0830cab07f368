package io.wenzhen.room.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;

import io.smallrye.mutiny.Uni;
import io.wenzhen.events.AppUpdated;
import io.wenzhen.events.room.RoomCommand;
import io.wenzhen.events.room.RoomError;
import io.wenzhen.events.room.RoomEvent;
import io.wenzhen.events.room.RoomIds;
import io.wenzhen.room.model.AppScopedId;
import io.wenzhen.room.model.Consultation;
import io.wenzhen.room.model.LiveStream;
import io.wenzhen.room.model.Member;
import io.wenzhen.room.model.Participation;
import io.wenzhen.room.model.ProcessedCommand;
import io.wenzhen.room.model.Room;
import io.wenzhen.room.model.StreamRecord;
import io.wenzhen.room.service.RoomMembership.Departure;

/**
 * The rules of rooms, applied to one command inside the caller's transaction. Every command ends in
 * exactly one {@code command-result} event; refusals change nothing else. A command seen before
 * (same commandId) is skipped, so a redelivery after a rebalance changes nothing.
 */
@ApplicationScoped
public class RoomCommandHandler {

    static final int MAX_TEXT_BYTES = 1024;
    /** A consultation is two people at least: no token makes a room smaller than that. */
    static final int MIN_MEMBER_LIMIT = 2;

    @Inject
    RoomEventWriter events;

    @Inject
    RoomMembership membership;

    @Inject
    AppLimits limits;

    @Inject
    RoomHoming homing;

    public Uni<Void> handle(RoomCommand command) {
        return ProcessedCommand.<ProcessedCommand>findById(command.commandId()).chain(seen -> {
            if (seen != null) {
                return Uni.createFrom().voidItem();
            }
            ProcessedCommand processed = new ProcessedCommand();
            processed.commandId = command.commandId();
            processed.processedAt = Instant.now();
            return processed.persist().chain(() -> dispatch(command));
        });
    }

    private Uni<Void> dispatch(RoomCommand command) {
        if (!RoomIds.validRoomId(command.roomId())) {
            return refuse(command, RoomError.ROOM_ID_INVALID);
        }
        return switch (command.kind()) {
            case LOGIN -> login(command);
            case LOGOUT -> leave(command, Departure.LOGOUT);
            case SESSION_EXPIRED -> leave(command, new Departure("session-expired", RoomError.SESSION_EXPIRED, false));
            case TOKEN_EXPIRED -> leave(command, new Departure("token-expired", RoomError.TOKEN_EXPIRED, false));
            case PUBLISH -> publish(command);
            case UNPUBLISH -> unpublish(command);
            case BROADCAST -> broadcast(command);
            case MOVE -> move(command);
        };
    }

    private Uni<Void> login(RoomCommand command) {
        RoomCommand.Grant grant = command.grant();
        if (!RoomIds.validUserId(command.userId())) {
            return refuse(command, RoomError.USER_ID_INVALID);
        }
        if (grant == null || !command.userId().equals(grant.tokenUserId())) {
            return refuse(command, RoomError.USER_ID_MISMATCH);
        }
        if (!grant.loginRoom() || !grant.allowsRoom(command.roomId())) {
            return refuse(command, RoomError.LOGIN_DENIED);
        }
        return RoomMembership.lockMember(command.appId(), command.userId()).chain(existing -> {
            if (existing != null && existing.sessionId.equals(command.sessionId())
                    && existing.roomId.equals(command.roomId())) {
                // the same session asking again (a gateway retry): answer as before
                return RoomMembership.lockRoom(command.appId(), command.roomId())
                        .chain(room -> membership.snapshot(room).chain(s -> events.result(command, room, null, null, s)));
            }
            if (existing != null && command.handoverSession() != null && command.gatewayId() != null
                    && existing.sessionId.equals(command.handoverSession()) && existing.roomId.equals(command.roomId())) {
                return handOver(existing, command);
            }
            Uni<Void> evict = existing == null ? Uni.createFrom().voidItem()
                    : membership.remove(existing, new Departure("duplicate-login", RoomError.KICKED_DUPLICATE_LOGIN, true),
                            !existing.roomId.equals(command.roomId()));
            return evict.chain(() -> join(command));
        });
    }

    private Uni<Void> join(RoomCommand command) {
        return RoomMembership.lockRoom(command.appId(), command.roomId()).chain(found -> command.gatewayId() == null
                ? joinHere(command, found)
                : homing.homeFor(command, found).chain(home -> home.gateway().equals(command.gatewayId())
                        ? joinHere(command, found)
                        // the asking gateway relays its client's signaling to the home, which logs in there
                        : (home.moved() ? closeIfEmpty(found) : Uni.createFrom().voidItem())
                                .chain(() -> events.elsewhere(command, home.gateway()))));
    }

    /**
     * The member's session continues on the asking gateway (a draining gateway moves the room's calls), when the
     * room's home is that gateway: the member, its streams and its place in the consultation record pass to the
     * new session, and no one hears of a leave or a join. Asked of another gateway than the home, the login is
     * relayed to the home like any other.
     */
    private Uni<Void> handOver(Member member, RoomCommand command) {
        return RoomMembership.lockRoom(command.appId(), command.roomId()).chain(room -> homing.homeFor(command, room)
                .chain(home -> {
                    if (!home.gateway().equals(command.gatewayId())) {
                        return events.elsewhere(command, home.gateway());
                    }
                    if (room == null) {
                        return join(command); // a moved room that closed meanwhile: an ordinary login opens it again
                    }
                    String previous = member.sessionId;
                    Instant now = Instant.now();
                    member.sessionId = command.sessionId();
                    member.gatewayId = command.gatewayId();
                    // as of now on its new gateway: the liveness sweep gives it the margin of a new member there, whose
                    // session that gateway's last heartbeat cannot list yet
                    member.joinedAt = now;
                    Participation participation = Participation.of(room.consultationId, member, now);
                    return LiveStream.update("sessionId = ?1 where appId = ?2 and roomId = ?3 and sessionId = ?4",
                            member.sessionId, room.appId, room.id, previous)
                            .chain(() -> RoomMembership.closeParticipation(room, previous, "moved"))
                            .chain(participation::persist)
                            .chain(() -> membership.snapshot(room))
                            .chain(snapshot -> events.result(command, room, null, null, snapshot));
                }));
    }

    /** A draining gateway moves the room's calls: the room gets another home, named in the result; its members stay. */
    private Uni<Void> move(RoomCommand command) {
        return RoomMembership.lockRoom(command.appId(), command.roomId()).chain(room -> {
            if (room == null) {
                return refuse(command, RoomError.ROOM_NOT_FOUND);
            }
            return homing.moveAway(command.appId(), command.roomId(), command.gatewayId()).chain(home -> home == null
                    ? refuse(command, RoomError.NO_OTHER_GATEWAY)
                    : events.moved(command, room, home));
        });
    }

    /**
     * A room a move just left without members, to a home other than the asking gateway: closed, so that it does
     * not stay open, and counted, should the relayed login never arrive (the home opens it again when it does).
     */
    private Uni<Void> closeIfEmpty(Room room) {
        if (room == null) {
            return Uni.createFrom().voidItem();
        }
        return RoomMembership.members(room).chain(members -> members.isEmpty()
                ? membership.closeKeepingHome(room, "moved")
                : Uni.createFrom().voidItem());
    }

    /** The member joins on the asking gateway (the room's home), opening the room when it is not open. */
    private Uni<Void> joinHere(RoomCommand command, Room found) {
        AppUpdated.Limits appLimits = limits.of(command.appId());
        return Uni.createFrom().item(found).chain(ignored -> {
            if (found != null) {
                return Uni.createFrom().item(found);
            }
            return Room.count("appId", command.appId()).chain(rooms -> rooms >= appLimits.maxRooms()
                    ? Uni.createFrom().<Room>nullItem()
                    : open(command, appLimits));
        }).chain(room -> {
            if (room == null) {
                return refuse(command, RoomError.ROOM_LIMIT_REACHED);
            }
            return RoomMembership.members(room).chain(members -> {
                if (members.size() >= room.maxMembers) {
                    return events.result(command, room, RoomError.ROOM_MEMBER_LIMIT, null, null);
                }
                Instant now = Instant.now();
                Member member = new Member();
                member.appId = command.appId();
                member.id = command.userId();
                member.roomId = command.roomId();
                member.userName = command.userName() == null ? "" : command.userName();
                member.sessionId = command.sessionId();
                member.gatewayId = command.gatewayId();
                member.joinedAt = now;
                Participation participation = Participation.of(room.consultationId, member, now);
                RoomEvent.Member who = new RoomEvent.Member(member.id, member.userName);
                List<Member> after = new ArrayList<>(members);
                after.add(member);
                return member.persist().chain(participation::persist)
                        .chain(() -> events.emit(room, RoomEvent.USER_JOINED, e -> e.withUser(who, member.sessionId,
                                member.gatewayId).withMemberCount(after.size())))
                        // the members are known already: only the streams need reading
                        .chain(() -> membership.snapshot(room, after))
                        .chain(snapshot -> events.result(command, room, null, null, snapshot));
            });
        });
    }

    /** A new life of the room: its consultation record starts here. */
    private Uni<Room> open(RoomCommand command, AppUpdated.Limits appLimits) {
        Instant now = Instant.now();
        Consultation consultation = new Consultation();
        consultation.id = UUID.randomUUID();
        consultation.appId = command.appId();
        consultation.roomId = command.roomId();
        consultation.startedAt = now;
        Room room = new Room();
        room.appId = command.appId();
        room.id = command.roomId();
        room.consultationId = consultation.id;
        room.seq = 0;
        // a room's own member limit comes only from a login whose token was issued for this very room: with a
        // basic token (any room) the first to arrive could shut everyone else out of it (maxMemberCount 1)
        Integer asked = command.maxMemberCount();
        boolean roomToken = command.grant() != null && command.roomId().equals(command.grant().roomId());
        room.maxMembers = roomToken && asked != null && asked > 0
                ? Math.min(Math.max(asked, MIN_MEMBER_LIMIT), appLimits.maxMembersPerRoom())
                : appLimits.maxMembersPerRoom();
        room.createdAt = now;
        return consultation.persist().chain(room::persist)
                .chain(() -> events.emit(room, RoomEvent.ROOM_CREATED, e -> e))
                .replaceWith(room);
    }

    private Uni<Void> leave(RoomCommand command, Departure why) {
        return sessionMember(command).chain(member -> member == null
                // already gone (a duplicate login replaced the session, or a repeated logout): nothing to do
                ? events.result(command, null, null, null, null)
                : membership.remove(member, why, true).chain(() -> events.result(command, null, null, null, null)));
    }

    private Uni<Void> publish(RoomCommand command) {
        RoomCommand.Grant grant = command.grant();
        if (!RoomIds.validStreamId(command.streamId())) {
            return refuse(command, RoomError.STREAM_ID_INVALID);
        }
        if (!RoomIds.fitsBytes(command.extraInfo(), MAX_TEXT_BYTES)) {
            return refuse(command, RoomError.EXTRA_INFO_TOO_LONG);
        }
        if (grant == null || !grant.publishStream() || !grant.allowsRoom(command.roomId())
                || !grant.allowsStream(command.streamId())) {
            return refuse(command, RoomError.PUBLISH_DENIED);
        }
        return sessionMember(command).chain(member -> {
            if (member == null || !member.roomId.equals(command.roomId())) {
                return refuse(command, RoomError.NOT_IN_ROOM);
            }
            return LiveStream.<LiveStream>findById(new AppScopedId(command.appId(), command.streamId()),
                    LockModeType.PESSIMISTIC_WRITE).chain(live -> {
                        if (live != null) {
                            return live.sessionId.equals(command.sessionId()) && live.roomId.equals(command.roomId())
                                    ? events.result(command, null, null, null, null)
                                    : refuse(command, RoomError.STREAM_ID_IN_USE);
                        }
                        return RoomMembership.lockRoom(command.appId(), command.roomId())
                                .chain(room -> startStream(command, member, room));
                    });
        });
    }

    private Uni<Void> startStream(RoomCommand command, Member member, Room room) {
        Instant now = Instant.now();
        LiveStream stream = new LiveStream();
        stream.appId = command.appId();
        stream.id = command.streamId();
        stream.roomId = command.roomId();
        stream.userId = member.id;
        stream.sessionId = member.sessionId;
        stream.extraInfo = command.extraInfo() == null ? "" : command.extraInfo();
        stream.startedAt = now;
        StreamRecord record = new StreamRecord();
        record.consultationId = room.consultationId;
        record.streamId = stream.id;
        record.userId = member.id;
        record.startedAt = now;
        RoomEvent.Stream info = new RoomEvent.Stream(stream.id, member.id, member.userName, stream.extraInfo);
        return stream.persist().chain(record::persist)
                .chain(() -> events.emit(room, RoomEvent.STREAM_ADDED, e -> e.withStream(info)))
                .chain(() -> events.result(command, room, null, null, null));
    }

    private Uni<Void> unpublish(RoomCommand command) {
        return LiveStream.<LiveStream>findById(new AppScopedId(command.appId(), String.valueOf(command.streamId())),
                LockModeType.PESSIMISTIC_WRITE).chain(live -> {
                    if (live == null || !live.sessionId.equals(command.sessionId())) {
                        return refuse(command, RoomError.STREAM_NOT_FOUND);
                    }
                    return sessionMember(command).chain(member -> RoomMembership.lockRoom(command.appId(), live.roomId)
                            .chain(room -> membership.endStream(room, live, member == null ? "" : member.userName, "unpublish")
                                    .chain(() -> events.result(command, room, null, null, null))));
                });
    }

    private Uni<Void> broadcast(RoomCommand command) {
        if (command.message() == null || command.message().isEmpty()
                || !RoomIds.fitsBytes(command.message(), MAX_TEXT_BYTES)) {
            return refuse(command, RoomError.MESSAGE_TOO_LONG);
        }
        return sessionMember(command).chain(member -> {
            if (member == null || !member.roomId.equals(command.roomId())) {
                return refuse(command, RoomError.NOT_IN_ROOM);
            }
            return RoomMembership.lockRoom(command.appId(), command.roomId()).chain(room -> {
                long sendTime = System.currentTimeMillis();
                return events.emit(room, RoomEvent.BROADCAST_MESSAGE, e -> e.withMessage(new RoomEvent.Message(e.seq(),
                        member.id, member.userName, command.message(), sendTime)))
                        .chain(() -> events.result(command, room, null, null, null));
            });
        });
    }

    /** The member row of the command's session, or null when the session is not (or no longer) logged in. */
    private static Uni<Member> sessionMember(RoomCommand command) {
        if (command.userId() == null) {
            return Uni.createFrom().nullItem();
        }
        return RoomMembership.lockMember(command.appId(), command.userId())
                .map(member -> member != null && member.sessionId.equals(command.sessionId()) ? member : null);
    }

    private Uni<Void> refuse(RoomCommand command, RoomError error) {
        return events.result(command, null, error, null, null);
    }
}
