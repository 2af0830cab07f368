package io.wenzhen.quality.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.cloudevents.CloudEvent;
import io.smallrye.mutiny.Uni;
import io.wenzhen.events.WenzhenEvents;
import io.wenzhen.quality.events.QualityAlert;
import io.wenzhen.quality.events.QualityReport;
import io.wenzhen.quality.service.QualityRecords;

/**
 * Stores what the analytics put on quality-reports and quality-alerts, for the REST API's queries. A
 * database that is briefly away is waited for (retries with back-off), not skipped.
 */
@ApplicationScoped
public class QualityRecordConsumer {

    private static final Logger LOG = Logger.getLogger(QualityRecordConsumer.class);

    @Inject
    QualityRecords records;

    @Incoming("reports-store")
    public Uni<Void> report(byte[] value) {
        QualityReport report;
        try {
            report = WenzhenEvents.data(event(value, QualityReport.TYPE), QualityReport.class);
        } catch (IllegalArgumentException e) {
            LOG.warnf("a record on quality-reports is not a report, skipped: %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        return records.store(report).onFailure().retry().withBackOff(java.time.Duration.ofMillis(200), java.time.Duration.ofSeconds(10))
                .atMost(20);
    }

    @Incoming("alerts-store")
    public Uni<Void> alert(byte[] value) {
        QualityAlert alert;
        try {
            alert = WenzhenEvents.data(event(value, QualityAlert.TYPE), QualityAlert.class);
        } catch (IllegalArgumentException e) {
            LOG.warnf("a record on quality-alerts is not an alert, skipped: %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        return records.store(alert).onFailure().retry().withBackOff(java.time.Duration.ofMillis(200), java.time.Duration.ofSeconds(10))
                .atMost(20);
    }

    private static CloudEvent event(byte[] value, String type) {
        CloudEvent event = WenzhenEvents.deserialize(value);
        if (!type.equals(event.getType())) {
            throw new IllegalArgumentException("type " + event.getType());
        }
        return event;
    }
}
