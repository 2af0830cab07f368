package io.wenzhen.gateway.rest;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.smallrye.mutiny.Uni;
import io.wenzhen.gateway.peers.RelayCredentials;
import io.wenzhen.gateway.relay.MediaPipes;

/**
 * Another gateway of the cluster offers a media pipe ({@link MediaPipes}): only a request signed with the
 * cluster's relay credentials, for this gateway, over this very body, is taken. Never routed by k8s/'s Ingress.
 */
@Path("/internal/v1/pipes")
public class PipeResource {

    @Inject
    MediaPipes pipes;

    @Context
    HttpHeaders headers;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A gateway's offer of a media pipe (internal: signed by a gateway of this cluster)")
    public Response offer(byte[] body) {
        if (body == null || body.length > MediaPipes.MAX_BODY_BYTES) {
            return refusal(413, "PIPE_REFUSED", "a pipe offer is at most " + MediaPipes.MAX_BODY_BYTES + " bytes");
        }
        try {
            String answer = pipes.accept(headers::getHeaderString, body);
            return Response.ok(answer).header(RelayCredentials.ANSWER_SIGNATURE, pipes.answerSignature(headers::getHeaderString, answer))
                    .build();
        } catch (MediaPipes.PipeRefused e) {
            return refusal(e.status(), "PIPE_REFUSED", e.getMessage());
        }
    }

    @POST
    @Path("/requests")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A gateway asks for a stream published here to be piped to it (internal: signed by a gateway of this cluster)")
    public Uni<Response> request(byte[] body) {
        if (body == null || body.length > MediaPipes.MAX_BODY_BYTES) {
            return Uni.createFrom().item(refusal(413, "PIPE_REFUSED", "a pipe request is at most " + MediaPipes.MAX_BODY_BYTES + " bytes"));
        }
        try {
            return pipes.acceptRequest(headers::getHeaderString, body).map(piped -> Response.ok("{}").build())
                    .onFailure(e -> !(e instanceof MediaPipes.PipeRefused)).recoverWithItem(e -> refusal(502, "PIPE_REFUSED", e.getMessage()));
        } catch (MediaPipes.PipeRefused e) {
            return Uni.createFrom().item(refusal(e.status(), "PIPE_REFUSED", e.getMessage()));
        }
    }

    private static Response refusal(int status, String error, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", error, "message", message)).build();
    }
}
