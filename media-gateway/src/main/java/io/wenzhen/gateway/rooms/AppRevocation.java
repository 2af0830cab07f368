package io.wenzhen.gateway.rooms;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.wenzhen.gateway.apps.AppDirectory;
import io.wenzhen.gateway.errors.GatewayError;
import io.wenzhen.gateway.session.Session;
import io.wenzhen.gateway.session.SessionRegistry;
import io.wenzhen.token04.Token04Verifier;
import io.wenzhen.token04.TokenException;

/**
 * An app changed on the {@code apps} topic: a disabled app's live sessions end (APP_DISABLED, 10005),
 * and with them its publications, playbacks and RTMP/FLV connections; after a secret is revoked, every
 * session whose token no longer verifies ends with that token's refusal.
 */
@ApplicationScoped
public class AppRevocation {

    private static final Logger LOG = Logger.getLogger(AppRevocation.class);
    private final Token04Verifier verifier = new Token04Verifier();

    @Inject
    SessionRegistry sessions;

    @Inject
    SessionEnder ender;

    void changed(@Observes AppDirectory.AppChanged change) {
        AppDirectory.KnownApp app = change.app();
        int ended = 0;
        for (Session session : sessions.all()) {
            if (session.appId() != app.appId()) {
                continue;
            }
            if (!app.active()) {
                ender.revoke(session, GatewayError.APP_DISABLED.code(), GatewayError.APP_DISABLED.name(),
                        GatewayError.APP_DISABLED.message());
                ended++;
                continue;
            }
            String raw = session.rawToken();
            try {
                if (raw != null) {
                    verifier.verify(raw, app.appId(), app.verificationSecrets(Instant.now()), session.userId());
                }
            } catch (TokenException e) {
                ender.revoke(session, e.error().code(), e.error().name(), e.error().message());
                ended++;
            }
        }
        if (ended > 0) {
            LOG.infof("app %d changed (%s): %d live session(s) ended here", app.appId(), app.active() ? "secret revoked" : "disabled",
                    ended);
        }
    }
}
