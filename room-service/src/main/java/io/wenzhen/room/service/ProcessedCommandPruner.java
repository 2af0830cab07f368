package io.wenzhen.room.service;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.wenzhen.room.model.ProcessedCommand;

/**
 * Forgets applied command ids once no copy of the command can come again: Kafka keeps room-commands
 * 7 days and gateways repeat a command for 10 minutes at most. The table stays the size of a week.
 */
@ApplicationScoped
public class ProcessedCommandPruner {

    private static final Logger LOG = Logger.getLogger(ProcessedCommandPruner.class);
    static final Duration KEEP = Duration.ofDays(8);

    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> prune() {
        Instant before = Instant.now().minus(KEEP);
        return Panache.withTransaction(() -> ProcessedCommand.delete("processedAt < ?1", before))
                .invoke(deleted -> LOG.debugf("%d processed command id(s) older than %s forgotten", deleted, KEEP))
                .onFailure().invoke(e -> LOG.debugf("pruning processed commands failed, will retry: %s", e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }
}
