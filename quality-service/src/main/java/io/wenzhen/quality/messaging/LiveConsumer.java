package io.wenzhen.quality.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.cloudevents.CloudEvent;
import io.wenzhen.events.WenzhenEvents;
import io.wenzhen.quality.events.QualityAlert;
import io.wenzhen.quality.events.StreamStatus;
import io.wenzhen.quality.live.LiveView;

/** Feeds the live view from quality-status and quality-alerts; each replica reads both whole (a group of its own). */
@ApplicationScoped
public class LiveConsumer {

    @Inject
    LiveView live;

    @Incoming("status-live")
    public void status(byte[] value) {
        try {
            CloudEvent event = WenzhenEvents.deserialize(value);
            if (StreamStatus.TYPE.equals(event.getType())) {
                live.status(WenzhenEvents.data(event, StreamStatus.class));
            }
        } catch (IllegalArgumentException e) {
            // not a status: nothing to show
        }
    }

    @Incoming("alerts-live")
    public void alert(byte[] value) {
        try {
            CloudEvent event = WenzhenEvents.deserialize(value);
            if (QualityAlert.TYPE.equals(event.getType())) {
                live.alert(WenzhenEvents.data(event, QualityAlert.class));
            }
        } catch (IllegalArgumentException e) {
            // not an alert
        }
    }
}
