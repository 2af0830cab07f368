package io.wenzhen.auth.rest;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.wenzhen.auth.service.ApiError;
import io.wenzhen.auth.service.ApiException;
import io.wenzhen.token04.TokenException;

/** Turns refusals into {@link ErrorBody} answers; nothing about secrets or tokens goes into them. */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return Response.status(e.error().httpStatus())
                .entity(new ErrorBody(e.error().code(), e.error().name(), e.getMessage())).build();
    }

    @ServerExceptionMapper
    public Response token(TokenException e) {
        return Response.status(Response.Status.UNAUTHORIZED)
                .entity(new ErrorBody(e.error().code(), e.error().name(), e.error().message())).build();
    }

    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e) {
        return invalid("the body is not the expected JSON");
    }

    /** RESTEasy's own 400 for a body it cannot read (broken JSON): same shape as ours. */
    @ServerExceptionMapper
    public Response badRequest(WebApplicationException e) {
        if (e.getResponse().getStatus() != 400) {
            return e.getResponse();
        }
        return invalid("the body is not the expected JSON");
    }

    @ServerExceptionMapper
    public Response badArgument(IllegalArgumentException e) {
        return invalid(e.getMessage());
    }

    static Response invalid(String message) {
        return Response.status(Response.Status.BAD_REQUEST)
                .entity(new ErrorBody(ApiError.INVALID_REQUEST.code(), ApiError.INVALID_REQUEST.name(), message)).build();
    }
}
