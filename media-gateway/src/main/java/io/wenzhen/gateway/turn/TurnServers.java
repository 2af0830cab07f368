package io.wenzhen.gateway.turn;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.runtime.Startup;
import io.wenzhen.gateway.config.GatewayConfig;

/**
 * The TURN servers a session is handed at login, with credentials of its own made by the REST-API
 * scheme coturn implements ({@code use-auth-secret}): the username is the credential's expiry (Unix
 * seconds) and the session's id, the password the Base64 of HMAC-SHA1 over the username keyed with the
 * secret the gateway shares with coturn. coturn checks both without asking anyone; a leaked credential
 * expires with its lifetime and names a session, never a user or patient.
 */
@Startup // a misconfiguration stops the start, not the first login
@ApplicationScoped
public class TurnServers {

    /** One ICE server as RTCPeerConnection takes it ({@code RTCIceServer}). */
    public record IceServer(List<String> urls, String username, String credential) {
    }

    private final List<String> urls;
    private final byte[] secret;
    private final Duration lifetime;
    private final Clock clock;

    @Inject
    public TurnServers(GatewayConfig config) {
        this(config.turnUrls().orElse(List.of()), config.turnSecret(), config.turnCredentialLifetime(), Clock.systemUTC());
    }

    public TurnServers(List<String> urls, Optional<String> secret, Duration lifetime, Clock clock) {
        List<String> given = urls.stream().map(String::strip).filter(url -> !url.isEmpty()).toList();
        for (String url : given) {
            if (!url.startsWith("turn:") && !url.startsWith("turns:")) {
                throw new IllegalArgumentException("wenzhen.gateway.turn-urls: '" + url + "' is not a turn: or turns: URL (RFC 7065)");
            }
        }
        if (!given.isEmpty() && secret.filter(s -> !s.isBlank()).isEmpty()) {
            throw new IllegalArgumentException("wenzhen.gateway.turn-urls is set but wenzhen.gateway.turn-secret is not:"
                    + " the credentials are made with coturn's static-auth-secret");
        }
        if (secret.filter(s -> !s.equals(s.strip())).isPresent()) {
            // coturn takes the secret as it is given: one made from a file ending in a newline would fail every credential
            throw new IllegalArgumentException("wenzhen.gateway.turn-secret begins or ends with white space (a file's final newline?)");
        }
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("wenzhen.gateway.turn-credential-lifetime must be positive");
        }
        this.urls = given;
        this.secret = secret.map(s -> s.getBytes(StandardCharsets.UTF_8)).orElse(new byte[0]);
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /** The servers for one session: none when no TURN server is configured. */
    public List<IceServer> forSession(String sessionId) {
        if (urls.isEmpty()) {
            return List.of();
        }
        long expiry = clock.instant().plus(lifetime).getEpochSecond();
        String username = expiry + ":" + sessionId;
        return List.of(new IceServer(urls, username, credential(username)));
    }

    private String credential(String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret, "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
        }
    }
}
