package io.wenzhen.gateway.signaling;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.sun.management.GarbageCollectionNotificationInfo;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.wenzhen.gateway.config.GatewayConfig;
import io.wenzhen.gateway.errors.GatewayError;
import io.wenzhen.gateway.errors.SignalingException;

/**
 * The gateway's memory budget: new sessions and streams are refused (GATEWAY_BUSY, 10321) while the
 * heap in use after the last collection is above {@code memory-budget} of the maximum heap, so one
 * tenant's flood meets a clear refusal long before an OutOfMemoryError would end everyone's call.
 * The figure is read after each collection (the JVM's GC notifications), not the momentary use, which
 * garbage makes swing between nothing and everything; after a young collection it still counts the old
 * generation's garbage, so it errs on the side of refusing. Before the first collection: the heap in use.
 */
@ApplicationScoped
public class MemoryBudget {

    private final long maxHeap = Runtime.getRuntime().maxMemory();
    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
    private volatile long usedAfterCollection = -1;

    @Inject
    GatewayConfig config;

    @Inject
    public MemoryBudget(MeterRegistry metrics) {
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((notification, handback) -> {
                    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                        collected(GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()));
                    }
                }, null, null);
            }
        }
        Gauge.builder("wenzhen.gateway.heap.after.gc.fraction", this, MemoryBudget::usedFraction)
                .description("heap in use after the last collection, as a fraction of the maximum heap").register(metrics);
    }

    private void collected(GarbageCollectionNotificationInfo info) {
        long used = 0;
        for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(pool.getKey())) { // metaspace and code caches are in the map too
                used += pool.getValue().getUsed();
            }
        }
        usedAfterCollection = used;
    }

    /** The heap in use after the last collection (before any: now), as a fraction of the maximum. */
    public double usedFraction() {
        long used = usedAfterCollection >= 0 ? usedAfterCollection : ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return maxHeap <= 0 ? 0 : (double) used / maxHeap;
    }

    /** Throws GATEWAY_BUSY when the gateway is past its budget. */
    public void check() {
        if (usedFraction() > config.memoryBudget()) {
            throw new SignalingException(GatewayError.GATEWAY_BUSY);
        }
    }
}
