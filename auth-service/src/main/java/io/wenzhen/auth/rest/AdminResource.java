package io.wenzhen.auth.rest;

import java.time.Duration;
import java.util.Set;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.wenzhen.auth.service.AdminService;
import io.wenzhen.auth.service.ApiError;
import io.wenzhen.auth.service.ApiException;

/** Admin sign-in, and JWTs for services and hospital IT. */
@Path("/api/v1/admin")
@Tag(name = "admin")
public class AdminResource {

    @Inject
    AdminService admins;

    public record LoginRequest(String username, String password) {
    }

    /** @param appIds the apps a hospital-it token may read (required with that role); service tokens are global */
    public record ServiceTokenRequest(String subject, Set<String> roles, Long validitySeconds, Set<Long> appIds) {
    }

    @POST
    @Path("/login")
    @PermitAll
    @Operation(summary = "Exchange an admin's username and password for an admin JWT (ES256)")
    public Uni<AdminService.SignedToken> login(LoginRequest request, @Context HttpServerRequest http) {
        if (request == null || request.username() == null || request.password() == null) {
            throw new ApiException(ApiError.INVALID_REQUEST, "username and password are required");
        }
        String address = http.remoteAddress() == null ? "" : http.remoteAddress().hostAddress();
        return admins.login(request.username(), request.password(), address);
    }

    @POST
    @Path("/service-tokens")
    @RolesAllowed(AdminService.ROLE_ADMIN)
    @Operation(summary = "Issue a JWT with roles service and/or hospital-it")
    public AdminService.SignedToken serviceToken(ServiceTokenRequest request) {
        if (request == null) {
            throw new ApiException(ApiError.INVALID_REQUEST, "a JSON body is required");
        }
        long seconds = request.validitySeconds() == null ? Duration.ofDays(30).toSeconds() : request.validitySeconds();
        return admins.issueServiceToken(request.subject(), request.roles(), Duration.ofSeconds(seconds), request.appIds());
    }
}
