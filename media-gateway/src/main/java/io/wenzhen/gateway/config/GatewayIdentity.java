package io.wenzhen.gateway.config;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** This replica's name: in commands, in room-service's member rows and in the event source. */
@ApplicationScoped
public class GatewayIdentity {

    private final String id;

    @Inject
    public GatewayIdentity(GatewayConfig config) {
        this.id = config.id().orElse("gw-" + UUID.randomUUID().toString().substring(0, 8));
    }

    public String id() {
        return id;
    }

    public String source() {
        return "/media-gateway/" + id;
    }
}
