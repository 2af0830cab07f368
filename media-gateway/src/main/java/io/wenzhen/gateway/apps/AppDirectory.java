package io.wenzhen.gateway.apps;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.Record;
import io.wenzhen.events.AppUpdated;
import io.wenzhen.events.SecretBox;
import io.wenzhen.events.WenzhenEvents;
import io.wenzhen.gateway.config.GatewayConfig;

/**
 * Every app the gateway may serve, from the compacted {@code apps} topic read from its beginning: a
 * login is verified here without a call to auth-service. Secrets are opened with the cluster key and
 * kept in memory only.
 */
@ApplicationScoped
public class AppDirectory {

    private static final Logger LOG = Logger.getLogger(AppDirectory.class);

    /** An app as the gateway needs it. */
    public record KnownApp(long appId, String name, boolean active, List<String> allowedOrigins, String secret,
            String previousSecret, Instant previousValidUntil, long revision) {

        /** Secrets to verify tokens with: the current one, then the previous while its grace lasts. */
        public List<String> verificationSecrets(Instant now) {
            return previousSecret != null && previousValidUntil != null && now.isBefore(previousValidUntil)
                    ? List.of(secret, previousSecret) : List.of(secret);
        }

        public boolean allowsOrigin(String origin) {
            return origin == null || allowedOrigins.isEmpty() || allowedOrigins.contains(origin);
        }
    }

    /** An app's record changed after the gateway first knew it. */
    public record AppChanged(KnownApp app) {
    }

    private final Map<Long, KnownApp> apps = new ConcurrentHashMap<>();

    @Inject
    Event<AppChanged> changed;
    private final SecretBox cluster;

    @Inject
    public AppDirectory(GatewayConfig config) {
        this.cluster = SecretBox.fromKeyFile(config.clusterKeyFile());
    }

    @Incoming("apps")
    void onApp(Record<String, byte[]> record) {
        try {
            AppUpdated app = WenzhenEvents.data(WenzhenEvents.deserialize(record.value()), AppUpdated.class);
            String owner = "app:" + app.appId();
            KnownApp known = new KnownApp(app.appId(), app.name(), "ACTIVE".equals(app.status()), app.allowedOrigins(),
                    cluster.open(app.secrets().current(), owner),
                    app.secrets().previous() == null ? null : cluster.open(app.secrets().previous(), owner),
                    app.secrets().previousValidUntil(), app.revision());
            KnownApp before = apps.get(app.appId());
            KnownApp now = apps.merge(app.appId(), known, (old, fresh) -> fresh.revision() >= old.revision() ? fresh : old);
            if (before != null && now == known) {
                changed.fire(new AppChanged(known)); // disabled, or a secret revoked: live sessions are checked
            }
        } catch (IllegalArgumentException e) {
            // never log the record: it holds sealed secrets
            LOG.warnf("skipping an unreadable record on the apps topic (key %s): %s", record.key(), e.getMessage());
        }
    }

    /**
     * The app, waiting up to {@code patience} for it to appear: an app created a moment ago may still be
     * on its way through the apps topic.
     */
    public Uni<KnownApp> find(long appId, Duration patience) {
        KnownApp app = apps.get(appId);
        if (app != null || patience.isZero()) {
            return Uni.createFrom().item(app);
        }
        return Uni.createFrom().item(() -> apps.get(appId))
                .onItem().ifNull().failWith(IllegalStateException::new)
                .onFailure().retry().withBackOff(Duration.ofMillis(50), Duration.ofMillis(200))
                .expireIn(patience.toMillis())
                .onFailure().recoverWithNull();
    }

    public int size() {
        return apps.size();
    }
}
