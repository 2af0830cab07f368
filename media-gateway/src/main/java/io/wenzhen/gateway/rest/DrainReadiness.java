package io.wenzhen.gateway.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.wenzhen.gateway.session.GatewayDrain;

/** Not ready while draining: the Service and the Ingress stop sending new connections here. */
@Readiness
@ApplicationScoped
public class DrainReadiness implements HealthCheck {

    @Inject
    GatewayDrain drain;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("drain").status(!drain.draining()).withData("draining", drain.draining()).build();
    }
}
