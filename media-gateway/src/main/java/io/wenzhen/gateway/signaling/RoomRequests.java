package io.wenzhen.gateway.signaling;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.wenzhen.events.room.RoomCommand;
import io.wenzhen.events.room.RoomError;
import io.wenzhen.events.room.RoomEvent;
import io.wenzhen.gateway.config.GatewayIdentity;
import io.wenzhen.gateway.errors.SignalingException;
import io.wenzhen.gateway.session.Session;
import io.wenzhen.token04.Token04Verifier;

/** What the request handlers share to ask room-service: a session's commands, and its answers turned into refusals. */
@ApplicationScoped
public class RoomRequests {

    @Inject
    GatewayIdentity identity;

    /** A command of this session, carrying what its token grants (room-service checks it again). */
    RoomCommand command(Session session, RoomCommand.Kind kind, String streamId, String extraInfo, String text) {
        return new RoomCommand(UUID.randomUUID().toString(), kind, session.appId(), session.roomId(), session.id(),
                identity.id(), session.userId(), null, null, streamId, extraInfo, text, grant(session.token()));
    }

    String gatewayId() {
        return identity.id();
    }

    static RoomCommand.Grant grant(Token04Verifier.VerifiedToken token) {
        return new RoomCommand.Grant(token.userId(), token.privileges().loginRoom(), token.privileges().publishStream(),
                token.privileges().roomId(), token.privileges().streamIds());
    }

    /** room-service said no: the client gets its code. */
    static void failIfRefused(RoomEvent result) {
        if (!Boolean.TRUE.equals(result.ok())) {
            throw new SignalingException(result.code(), result.error(), result.errorMessage());
        }
    }

    static SignalingException refusal(RoomError error) {
        return new SignalingException(error.code(), error.name(), error.message());
    }
}
