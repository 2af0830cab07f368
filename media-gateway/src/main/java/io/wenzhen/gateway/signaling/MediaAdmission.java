package io.wenzhen.gateway.signaling;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.wenzhen.gateway.config.GatewayConfig;
import io.wenzhen.gateway.errors.GatewayError;
import io.wenzhen.gateway.errors.SignalingException;
import io.wenzhen.gateway.session.Session;
import io.wenzhen.gateway.session.SessionRegistry;

/**
 * Caps on what one session and one app may hold on this gateway, and the memory budget, checked
 * before a new publication or playback costs a transport: a user with a basic token, or one
 * hospital's traffic, cannot take the gateway from everyone else (docs/reliability.md).
 */
@ApplicationScoped
public class MediaAdmission {

    @Inject
    GatewayConfig config;

    @Inject
    SessionRegistry sessions;

    @Inject
    MemoryBudget memory;

    /** A new login: the app's sessions here, and the memory budget. */
    public void admitLogin(long appId) {
        memory.check();
        if (sessions.countOfApp(appId) >= config.maxSessionsPerApp()) {
            throw new SignalingException(GatewayError.APP_MEDIA_LIMIT, "the app already has as many sessions on this gateway as it may");
        }
    }

    /** A stream this session does not publish yet. */
    public void admitPublish(Session session) {
        if (session.published().size() >= config.maxPublishesPerSession()) {
            throw new SignalingException(GatewayError.SESSION_MEDIA_LIMIT,
                    "a session publishes at most " + config.maxPublishesPerSession() + " streams");
        }
        admitMedia(session);
    }

    /** A stream this session does not play yet. */
    public void admitPlay(Session session) {
        if (session.played().size() >= config.maxPlaysPerSession()) {
            throw new SignalingException(GatewayError.SESSION_MEDIA_LIMIT,
                    "a session plays at most " + config.maxPlaysPerSession() + " streams");
        }
        admitMedia(session);
    }

    private void admitMedia(Session session) {
        memory.check();
        int media = 0;
        for (Session other : sessions.all()) {
            if (other.appId() == session.appId()) {
                media += other.published().size() + other.played().size();
            }
        }
        if (media >= config.maxMediaPerApp()) {
            throw new SignalingException(GatewayError.APP_MEDIA_LIMIT);
        }
    }
}
