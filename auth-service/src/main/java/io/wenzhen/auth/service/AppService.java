package io.wenzhen.auth.service;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.wenzhen.auth.config.AuthConfig;
import io.wenzhen.events.SecretBox;
import io.wenzhen.auth.mapping.AppMapper;
import io.wenzhen.events.AppUpdated;
import io.wenzhen.auth.mapping.AppView;
import io.wenzhen.auth.model.App;
import io.wenzhen.events.Topics;
import io.wenzhen.events.WenzhenEvents;
import io.wenzhen.outbox.OutboxEvent;
import io.wenzhen.outbox.OutboxRelay;

/**
 * Apps: create, list, get, disable/enable, rotate the ServerSecret. Every change commits together
 * with its {@code app-updated} event in the outbox.
 */
@ApplicationScoped
public class AppService {

    private static final Logger LOG = Logger.getLogger(AppService.class);
    static final String SOURCE = "/auth-service";

    /** What a new app gets when the request does not say. */
    public static final int DEFAULT_MAX_ROOMS = 1000;
    public static final int DEFAULT_MAX_MEMBERS = 50;

    private final AppMapper mapper;
    private final SecretBox atRest;
    private final OutboxRelay relay;
    private final AuthConfig config;

    @Inject
    public AppService(AppMapper mapper, @Named("at-rest") SecretBox atRest, OutboxRelay relay, AuthConfig config) {
        this.mapper = mapper;
        this.atRest = atRest;
        this.relay = relay;
        this.config = config;
    }

    /** The settings of a new app, already validated by the REST layer's request record. */
    public record NewApp(String name, List<String> allowedOrigins, int maxRooms, int maxMembersPerRoom) {
    }

    public Uni<AppView> create(NewApp request) {
        String secret = Randoms.serverSecret();
        return Panache.withTransaction(() -> freeAppId(5).chain(appId -> {
            Instant now = Instant.now();
            App app = new App();
            app.appId = appId;
            app.name = request.name();
            app.status = App.Status.ACTIVE;
            app.allowedOrigins = AppMapper.joinOrigins(request.allowedOrigins());
            app.maxRooms = request.maxRooms();
            app.maxMembersPerRoom = request.maxMembersPerRoom();
            app.secretSealed = atRest.seal(secret, AppMapper.owner(appId));
            app.revision = 1;
            app.createdAt = now;
            app.updatedAt = now;
            return app.<App>persist().chain(saved -> recordChange(saved, "created"));
        })).invoke(app -> LOG.infof("app %d created", app.appId))
                .map(app -> mapper.toViewWithSecret(app, secret))
                .call(this::kickRelay);
    }

    public Uni<List<AppView>> list() {
        return Panache.withSession(() -> App.<App>listAll()).map(apps -> apps.stream().map(mapper::toView).toList());
    }

    public Uni<AppView> get(long appId) {
        return Panache.withSession(() -> find(appId)).map(mapper::toView);
    }

    public Uni<AppView> setStatus(long appId, App.Status status) {
        return Panache.withTransaction(() -> find(appId).chain(app -> {
            if (app.status == status) {
                return Uni.createFrom().item(app);
            }
            app.status = status;
            return touch(app).chain(changed -> recordChange(changed, status == App.Status.ACTIVE ? "enabled" : "disabled"));
        })).invoke(app -> LOG.infof("app %d is now %s", app.appId, app.status))
                .map(mapper::toView)
                .call(this::kickRelay);
    }

    /**
     * A new ServerSecret; the old one keeps verifying tokens until the grace period ends, so clients
     * holding tokens made a minute ago are not thrown out.
     */
    public Uni<AppView> rotateSecret(long appId) {
        return rotateSecret(appId, false);
    }

    /**
     * @param revoke true for a leaked secret: the old one stops verifying at once (no grace period), and
     *               the gateways end the sessions whose tokens only it verified
     */
    public Uni<AppView> rotateSecret(long appId, boolean revoke) {
        String secret = Randoms.serverSecret();
        return Panache.withTransaction(() -> find(appId).chain(app -> {
            app.previousSecretSealed = revoke ? null : app.secretSealed;
            app.previousSecretValidUntil = revoke ? null : Instant.now().plus(config.auth().secretRotationGrace());
            app.secretSealed = atRest.seal(secret, AppMapper.owner(app.appId));
            return touch(app).chain(changed -> recordChange(changed, "secret-rotated"));
        })).invoke(app -> LOG.infof("app %d: ServerSecret rotated%s", app.appId, revoke ? ", the old one revoked" : ""))
                .map(app -> mapper.toViewWithSecret(app, secret))
                .call(this::kickRelay);
    }

    /** The app's plaintext secrets for verification: the current one, then the previous while in its grace period. */
    public List<String> verificationSecrets(App app) {
        String current = atRest.open(app.secretSealed, AppMapper.owner(app.appId));
        if (app.previousSecretSealed != null && app.previousSecretValidUntil != null
                && Instant.now().isBefore(app.previousSecretValidUntil)) {
            return List.of(current, atRest.open(app.previousSecretSealed, AppMapper.owner(app.appId)));
        }
        return List.of(current);
    }

    public String currentSecret(App app) {
        return atRest.open(app.secretSealed, AppMapper.owner(app.appId));
    }

    /** Loads an app inside the caller's session, or fails with APP_NOT_FOUND. */
    public static Uni<App> find(long appId) {
        return App.<App>findById(appId).onItem().ifNull()
                .failWith(() -> new ApiException(ApiError.APP_NOT_FOUND, "no app " + appId));
    }

    private Uni<App> touch(App app) {
        app.revision++;
        app.updatedAt = Instant.now();
        return Uni.createFrom().item(app);
    }

    private Uni<App> recordChange(App app, String change) {
        AppUpdated data = mapper.toEvent(app, change);
        byte[] event = WenzhenEvents.serialize(WenzhenEvents.create(AppUpdated.TYPE, SOURCE,
                Long.toString(app.appId), data));
        return OutboxEvent.append(Topics.APPS, Long.toString(app.appId), event).replaceWith(app);
    }

    private Uni<Void> kickRelay(Object ignored) {
        // publishing is best-effort here; the scheduled run retries whatever this one could not send
        relay.publishPending().subscribe().with(done -> { }, failure -> { });
        return Uni.createFrom().voidItem();
    }

    private static Uni<Long> freeAppId(int attempts) {
        long candidate = Randoms.appId();
        return App.findById(candidate).chain(existing -> {
            if (existing == null) {
                return Uni.createFrom().item(candidate);
            }
            if (attempts <= 1) {
                return Uni.createFrom().failure(new IllegalStateException("no free AppID found"));
            }
            return freeAppId(attempts - 1);
        });
    }
}
