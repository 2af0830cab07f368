package io.wenzhen.auth.service;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.wenzhen.auth.config.AuthConfig;
import io.wenzhen.auth.model.App;
import io.wenzhen.token04.RoomPrivileges;
import io.wenzhen.token04.Token04Format;
import io.wenzhen.token04.Token04Issuer;
import io.wenzhen.token04.Token04Verifier;

/** Issues Token04 client tokens to a hospital back end holding its app's credentials, and verifies them. */
@ApplicationScoped
public class ClientTokenService {

    private final AppService apps;
    private final AuthConfig config;
    private final Token04Issuer issuer = new Token04Issuer();
    private final Token04Verifier verifier = new Token04Verifier();

    @Inject
    public ClientTokenService(AppService apps, AuthConfig config) {
        this.apps = apps;
        this.config = config;
    }

    /** What to put in a token; {@code privileges} null makes ZEGO's basic token (empty payload). */
    public record TokenRequest(String userId, long effectiveSeconds, RoomPrivileges privileges, Token04Format format) {
    }

    public record IssuedToken(String token, long expireTime) {
    }

    public Uni<IssuedToken> issue(long appId, String serverSecret, TokenRequest request) {
        Duration max = config.auth().maxClientTokenValidity();
        if (request.effectiveSeconds() <= 0 || request.effectiveSeconds() > max.toSeconds()) {
            throw new ApiException(ApiError.INVALID_REQUEST,
                    "effectiveTimeInSeconds must be between 1 and " + max.toSeconds());
        }
        return Panache.withSession(() -> App.<App>findById(appId)).map(app -> {
            // the same answer for an unknown app and a wrong secret: no probing for AppIDs
            String secret = app == null ? null : apps.currentSecret(app);
            if (app == null || !constantTimeEquals(secret, serverSecret)) {
                throw new ApiException(ApiError.APP_CREDENTIALS_INVALID, "AppID or ServerSecret is wrong");
            }
            if (app.status != App.Status.ACTIVE) {
                throw new ApiException(ApiError.APP_DISABLED, "app " + appId + " is disabled");
            }
            try {
                Token04Issuer.Issued issued = issuer.issueWithExpiry(appId, request.userId(), secret,
                        request.effectiveSeconds(), request.privileges(), request.format());
                return new IssuedToken(issued.token(), issued.expire());
            } catch (IllegalArgumentException e) {
                throw new ApiException(ApiError.INVALID_REQUEST, e.getMessage());
            }
        });
    }

    /**
     * Verifies a token for an app, and optionally that it lets its user into {@code roomId} and publish
     * {@code streamId}. Throws TokenException (a documented refusal) or ApiException.
     */
    public Uni<Token04Verifier.VerifiedToken> verify(long appId, String token, String userId, String roomId,
            String streamId) {
        return Panache.withSession(() -> AppService.find(appId)).map(app -> {
            if (app.status != App.Status.ACTIVE) {
                throw new ApiException(ApiError.APP_DISABLED, "app " + appId + " is disabled");
            }
            Token04Verifier.VerifiedToken verified = verifier.verify(token, appId, apps.verificationSecrets(app), userId);
            if (roomId != null) {
                verified.authorizeLogin(roomId);
            }
            if (streamId != null) {
                verified.authorizePublish(roomId == null ? "" : roomId, streamId);
            }
            return verified;
        });
    }

    private static boolean constantTimeEquals(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }
}
