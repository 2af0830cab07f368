package io.wenzhen.quality.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.wenzhen.events.WenzhenEvents;
import io.wenzhen.quality.events.QualityAlert;
import io.wenzhen.quality.events.StreamStatus;
import io.wenzhen.quality.live.LiveView;

/**
 * Feeds the live view from quality-status and quality-alerts; each replica reads both whole (a group of its
 * own). Read in one pass: every live stream's status comes every tick.
 */
@ApplicationScoped
public class LiveConsumer {

    @Inject
    LiveView live;

    @Incoming("status-live")
    public void status(byte[] value) {
        try {
            live.status(WenzhenEvents.data(value, StreamStatus.TYPE, StreamStatus.class));
        } catch (IllegalArgumentException e) {
            // not a status: nothing to show
        }
    }

    @Incoming("alerts-live")
    public void alert(byte[] value) {
        try {
            live.alert(WenzhenEvents.data(value, QualityAlert.TYPE, QualityAlert.class));
        } catch (IllegalArgumentException e) {
            // not an alert
        }
    }
}
