package io.wenzhen.room.service;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.smallrye.reactive.messaging.kafka.Record;
import io.wenzhen.events.AppUpdated;
import io.wenzhen.events.WenzhenEvents;

/**
 * Each app's room limits, read from the compacted {@code apps} topic from its beginning (every replica
 * reads all of it). An app not heard of yet gets the defaults that auth-service gives new apps.
 */
@ApplicationScoped
public class AppLimits {

    private static final Logger LOG = Logger.getLogger(AppLimits.class);
    static final AppUpdated.Limits DEFAULT = new AppUpdated.Limits(1000, 50);

    private final Map<Long, AppUpdated> apps = new ConcurrentHashMap<>();

    @Incoming("apps")
    void onApp(Record<String, byte[]> record) {
        try {
            AppUpdated app = WenzhenEvents.data(WenzhenEvents.deserialize(record.value()), AppUpdated.class);
            apps.merge(app.appId(), app, (old, fresh) -> fresh.revision() >= old.revision() ? fresh : old);
        } catch (IllegalArgumentException e) {
            LOG.warnf("skipping an unreadable record on the apps topic (key %s): %s", record.key(), e.getMessage());
        }
    }

    public AppUpdated.Limits of(long appId) {
        AppUpdated app = apps.get(appId);
        return app == null ? DEFAULT : app.limits();
    }
}
