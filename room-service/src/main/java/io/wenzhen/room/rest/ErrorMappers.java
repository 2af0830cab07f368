package io.wenzhen.room.rest;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.wenzhen.room.service.RoomRefusal;

/** Refusals as {@code {code, error, message}} (docs/errors.md). */
public class ErrorMappers {

    public record ErrorBody(int code, String error, String message) {
    }

    @ServerExceptionMapper
    public Response refusal(RoomRefusal e) {
        int status = switch (e.error()) {
            case ROOM_NOT_FOUND, CONSULTATION_NOT_FOUND, NOT_IN_ROOM -> 404;
            case APP_NOT_IN_SCOPE -> 403;
            default -> 400;
        };
        return Response.status(status).entity(new ErrorBody(e.error().code(), e.error().name(), e.error().message())).build();
    }

    @ServerExceptionMapper
    public Response badRequest(WebApplicationException e) {
        if (e.getResponse().getStatus() != 400) {
            return e.getResponse();
        }
        return Response.status(400).entity(new ErrorBody(10001, "INVALID_REQUEST", "the request is not valid")).build();
    }

}
