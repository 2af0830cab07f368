package io.wenzhen.gateway.rest;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.wenzhen.gateway.config.GatewayConfig;
import io.wenzhen.gateway.relay.CallMover;

/**
 * Drains the gateway (see {@link CallMover}: calls moved to other gateways, or let finish) and answers when its calls have left or ended, or the grace has
 * passed. GET as well as POST, because a Kubernetes preStop hook can only GET. A drain cannot be
 * undone, so it is taken from this machine only, unless drain-from-network is on (k8s/, where the
 * kubelet asks from the node and NetworkPolicies keep 8080 to the cluster); never routed by k8s/'s
 * Ingress.
 */
@Path("/internal/drain")
@Produces(MediaType.APPLICATION_JSON)
public class DrainResource {

    /** What the drain answers. */
    public record DrainReport(boolean drained, int sessionsLeft, long tookMs) {
    }

    @Inject
    CallMover mover;

    @Inject
    GatewayConfig config;

    @Context
    HttpServerRequest request;

    @GET
    @Operation(summary = "Drain: not ready, no new rooms; answers once no session is left or the drain grace has passed")
    public Uni<DrainReport> get() {
        return post();
    }

    @POST
    @Operation(summary = "Drain: not ready, no new rooms; answers once no session is left or the drain grace has passed")
    public Uni<DrainReport> post() {
        boolean local = request.remoteAddress() != null && request.remoteAddress().hostAddress() != null
                && isLoopback(request.remoteAddress().hostAddress());
        if (!local && !config.drainFromNetwork()) {
            throw new WebApplicationException(Response.status(Response.Status.FORBIDDEN).type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("error", "DRAIN_FORBIDDEN", "message", "a drain is taken from this machine only (drain-from-network is off)"))
                    .build());
        }
        return mover.drain().map(outcome -> new DrainReport(outcome.drained(), outcome.sessionsLeft(), outcome.took().toMillis()));
    }

    private static boolean isLoopback(String address) {
        return address.startsWith("127.") || address.equals("::1") || address.equals("0:0:0:0:0:0:0:1");
    }
}
