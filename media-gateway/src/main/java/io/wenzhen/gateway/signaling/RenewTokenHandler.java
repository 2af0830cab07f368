package io.wenzhen.gateway.signaling;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;
import io.wenzhen.gateway.apps.AppDirectory;
import io.wenzhen.gateway.errors.GatewayError;
import io.wenzhen.gateway.errors.SignalingException;
import io.wenzhen.gateway.messages.ClientMessage;
import io.wenzhen.gateway.messages.ServerMessages;
import io.wenzhen.gateway.session.Connection;
import io.wenzhen.gateway.session.Session;
import io.wenzhen.gateway.session.SessionRegistry;
import io.wenzhen.token04.Token04Verifier;

/** {@code renewToken}: a fresh token of the same app and user that allows the room replaces the session's. */
@ApplicationScoped
public class RenewTokenHandler implements RequestHandler {

    private final Token04Verifier verifier = new Token04Verifier();

    @Inject
    SessionRegistry sessions;

    @Inject
    AppDirectory apps;

    @Override
    public String type() {
        return "renewToken";
    }

    @Override
    public Uni<ObjectNode> handle(Connection connection, ClientMessage message) {
        Session session = sessions.loggedIn(connection.id());
        String token = message.text("token", LoginHandler.MAX_TOKEN_CHARS + 1);
        return apps.find(session.appId(), Duration.ZERO).map(app -> {
            if (app == null || !app.active()) {
                throw new SignalingException(GatewayError.APP_DISABLED);
            }
            Token04Verifier.VerifiedToken fresh = verifier.verify(token, session.appId(),
                    app.verificationSecrets(Instant.now()), session.userId());
            fresh.authorizeLogin(session.roomId());
            session.renew(fresh, token);
            ObjectNode reply = ServerMessages.ok(message.id());
            reply.putObject("data").put("tokenExpireTime", fresh.expire());
            return reply;
        });
    }
}
