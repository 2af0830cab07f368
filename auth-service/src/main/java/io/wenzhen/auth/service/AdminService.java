package io.wenzhen.auth.service;

import java.time.Duration;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.wenzhen.events.AppScope;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.wenzhen.auth.config.AuthConfig;
import io.wenzhen.auth.model.AdminUser;

/**
 * Admin sign-in and the ES256 JWTs the whole suite's admin and service APIs accept. Roles travel in
 * the {@code groups} claim: {@code admin}, {@code hospital-it}, {@code service}.
 */
@ApplicationScoped
public class AdminService {

    public static final String ROLE_ADMIN = "admin";
    public static final String ROLE_HOSPITAL_IT = "hospital-it";
    public static final String ROLE_SERVICE = "service";
    public static final Set<String> ISSUABLE_ROLES = Set.of(ROLE_HOSPITAL_IT, ROLE_SERVICE);

    private static final Logger LOG = Logger.getLogger(AdminService.class);
    /** Compared against when the user does not exist, so both failures take as long. */
    private static final String DUMMY_HASH = BcryptUtil.bcryptHash("wenzhen-timing-equaliser");

    private final AuthConfig config;
    private final String issuer;

    @Inject
    LoginThrottle throttle;

    @Inject
    public AdminService(AuthConfig config, @ConfigProperty(name = "mp.jwt.verify.issuer") String issuer) {
        this.config = config;
        this.issuer = issuer;
    }

    public record SignedToken(String token, long expiresIn) {
    }

    /** @param address the client's address, for the failed sign-in throttle */
    public Uni<SignedToken> login(String username, String password, String address) {
        // counted before bcrypt, given back on success: parallel guesses cannot all pass one check
        throttle.attempt(address, username, System.nanoTime());
        return Panache.withSession(() -> AdminUser.<AdminUser>findById(username))
                .chain(user -> Uni.createFrom().item(() -> {
                    // bcrypt takes tens of milliseconds: never on the event loop
                    boolean ok = BcryptUtil.matches(password, user == null ? DUMMY_HASH : user.passwordHash);
                    if (!ok || user == null) {
                        // no username in the log: a mistyped password is often someone's password
                        LOG.infof("admin sign-in refused (from %s)", address);
                        throw new ApiException(ApiError.ADMIN_CREDENTIALS_INVALID, "wrong username or password");
                    }
                    throttle.succeeded(address, username);
                    return sign(user.username, Set.of(ROLE_ADMIN), config.auth().adminTokenTtl());
                }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()));
    }

    /** A JWT for a service or hospital-IT client, issued by an admin. */
    public SignedToken issueServiceToken(String subject, Set<String> roles, Duration validity, Set<Long> appIds) {
        if (subject == null || subject.isBlank() || subject.length() > 128) {
            throw new ApiException(ApiError.INVALID_REQUEST, "subject must be 1 to 128 characters");
        }
        if (roles == null || roles.isEmpty() || !ISSUABLE_ROLES.containsAll(roles)) {
            throw new ApiException(ApiError.INVALID_REQUEST, "roles must be a non-empty subset of " + ISSUABLE_ROLES);
        }
        if (validity.isNegative() || validity.isZero() || validity.compareTo(config.auth().maxServiceTokenValidity()) > 0) {
            throw new ApiException(ApiError.INVALID_REQUEST, "validity must be positive and at most "
                    + config.auth().maxServiceTokenValidity().toDays() + " days");
        }
        boolean scoped = appIds != null && !appIds.isEmpty();
        if (roles.contains(ROLE_HOSPITAL_IT) && !scoped) {
            // one hospital's IT reads only its own apps: a hospital-it token names them (claim appIds)
            throw new ApiException(ApiError.INVALID_REQUEST, "a hospital-it token needs appIds: the apps it may read");
        }
        LOG.infof("service token issued to '%s' with roles %s%s", subject, roles, scoped ? " for apps " + appIds : "");
        return sign(subject, roles, validity, scoped ? appIds : null);
    }

    private SignedToken sign(String subject, Set<String> roles, Duration ttl) {
        return sign(subject, roles, ttl, null);
    }

    private SignedToken sign(String subject, Set<String> roles, Duration ttl, Set<Long> appIds) {
        var builder = Jwt.issuer(issuer).subject(subject).upn(subject).groups(roles).expiresIn(ttl);
        if (appIds != null) {
            builder.claim(AppScope.CLAIM, appIds.stream().sorted().toList());
        }
        String token = builder.jws().algorithm(SignatureAlgorithm.ES256).sign();
        return new SignedToken(token, ttl.toSeconds());
    }
}
