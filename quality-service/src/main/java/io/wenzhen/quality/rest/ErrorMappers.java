package io.wenzhen.quality.rest;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Refusals as {@code {code, error, message}} (docs/errors.md). */
public class ErrorMappers {

    public record ErrorBody(int code, String error, String message) {
    }

    @ServerExceptionMapper
    public Response refusal(QualityRefusal e) {
        return Response.status(e.error.status).entity(new ErrorBody(e.error.code, e.error.name(), e.error.message)).build();
    }
}
