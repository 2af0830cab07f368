package io.wenzhen.gateway.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.smallrye.mutiny.Uni;
import io.wenzhen.gateway.session.GatewayDrain;

/**
 * Drains the gateway (see {@link GatewayDrain}) and answers when its calls have ended or the grace has
 * passed. GET as well as POST, because a Kubernetes preStop hook can only GET; the path is inside the
 * cluster only (k8s/'s Ingress routes /ws, /sdk and /live, nothing else).
 */
@Path("/internal/drain")
@Produces(MediaType.APPLICATION_JSON)
public class DrainResource {

    /** What the drain answers. */
    public record DrainReport(boolean drained, int sessionsLeft, long tookMs) {
    }

    @Inject
    GatewayDrain drain;

    @GET
    @Operation(summary = "Drain: not ready, no new rooms; answers once no session is left or the drain grace has passed")
    public Uni<DrainReport> get() {
        return post();
    }

    @POST
    @Operation(summary = "Drain: not ready, no new rooms; answers once no session is left or the drain grace has passed")
    public Uni<DrainReport> post() {
        return drain.drain().map(outcome -> new DrainReport(outcome.drained(), outcome.sessionsLeft(), outcome.took().toMillis()));
    }
}
