package io.wenzhen.gateway.rooms;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.wenzhen.events.room.RoomCommand;
import io.wenzhen.gateway.config.GatewayConfig;
import io.wenzhen.gateway.config.GatewayIdentity;
import io.wenzhen.gateway.messages.ServerMessages;
import io.wenzhen.gateway.session.Connections;
import io.wenzhen.gateway.session.Session;
import io.wenzhen.gateway.session.SessionRegistry;
import io.wenzhen.token04.TokenError;

/**
 * Once a second: closes silent connections, ends sessions whose resume grace ran out, warns of and
 * enforces token expiry. Each ended session becomes a command, so room-service tells the others.
 */
@ApplicationScoped
public class SessionKeeper {

    private static final Logger LOG = Logger.getLogger(SessionKeeper.class);

    @Inject
    GatewayConfig config;

    @Inject
    SessionRegistry sessions;

    @Inject
    SessionEnder ender;

    @Inject
    RoomCommands commands;

    @Inject
    GatewayIdentity identity;

    @Inject
    Connections connections;

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        connections.closeIdle();
        Instant now = Instant.now();
        Instant graceDeadline = now.minus(config.resumeGrace());
        long nowSeconds = now.getEpochSecond();
        for (Session session : sessions.all()) {
            if (session.isDetachedSince(graceDeadline)) {
                LOG.debugf("session %s: no resume within the grace period", session.id());
                end(session, RoomCommand.Kind.SESSION_EXPIRED);
                continue;
            }
            long expire = session.token().expire();
            if (nowSeconds >= expire) {
                ender.tellAndForget(session, ServerMessages.kicked(session.roomId(), TokenError.TOKEN_EXPIRED.code(),
                        TokenError.TOKEN_EXPIRED.name(), TokenError.TOKEN_EXPIRED.message()));
                end(session, RoomCommand.Kind.TOKEN_EXPIRED);
            } else if (nowSeconds >= expire - config.tokenWarning().toSeconds() && session.markExpiryWarned()) {
                session.send(ServerMessages.tokenWillExpire(session.roomId(), expire));
            }
        }
    }

    private void end(Session session, RoomCommand.Kind why) {
        ender.forget(session);
        commands.tell(new RoomCommand(UUID.randomUUID().toString(), why, session.appId(), session.roomId(), session.id(),
                identity.id(), session.userId(), null, null, null, null, null, null));
    }
}
