package io.wenzhen.quality.messaging;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

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
            report = WenzhenEvents.data(value, QualityReport.TYPE, QualityReport.class);
        } catch (IllegalArgumentException e) {
            LOG.warnf("a record on quality-reports is not a report, skipped: %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        return patiently(records.store(report));
    }

    @Incoming("alerts-store")
    public Uni<Void> alert(byte[] value) {
        QualityAlert alert;
        try {
            alert = WenzhenEvents.data(value, QualityAlert.TYPE, QualityAlert.class);
        } catch (IllegalArgumentException e) {
            LOG.warnf("a record on quality-alerts is not an alert, skipped: %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        return patiently(records.store(alert));
    }

    private static Uni<Void> patiently(Uni<Void> store) {
        return store.onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).atMost(20);
    }
}
