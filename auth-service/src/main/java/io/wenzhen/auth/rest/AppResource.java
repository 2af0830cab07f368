package io.wenzhen.auth.rest;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.mutiny.Uni;
import io.wenzhen.auth.mapping.AppView;
import io.wenzhen.auth.model.App;
import io.wenzhen.auth.service.AdminService;
import io.wenzhen.auth.service.AppService;

/** The project console's apps: admin JWT required (a service may read one app). */
@Path("/api/v1/apps")
@Tag(name = "apps")
@SecurityRequirement(name = "jwt")
@RolesAllowed(AdminService.ROLE_ADMIN)
public class AppResource {

    @Inject
    AppService apps;

    @POST
    @Operation(summary = "Create an app; the answer holds its ServerSecret, shown this once")
    public Uni<Response> create(CreateAppRequest request) {
        return apps.create(CreateAppRequest.validated(request))
                .map(view -> Response.status(Response.Status.CREATED).entity(view).build());
    }

    @GET
    @Operation(summary = "List apps (without secrets)")
    public Uni<List<AppView>> list() {
        return apps.list();
    }

    @GET
    @Path("/{appId}")
    @RolesAllowed({AdminService.ROLE_ADMIN, AdminService.ROLE_SERVICE})
    @Operation(summary = "One app (without its secret)")
    public Uni<AppView> get(@PathParam("appId") long appId) {
        return apps.get(appId);
    }

    @POST
    @Path("/{appId}/disable")
    @Operation(summary = "Disable an app: its tokens stop verifying, no new ones are issued")
    public Uni<AppView> disable(@PathParam("appId") long appId) {
        return apps.setStatus(appId, App.Status.DISABLED);
    }

    @POST
    @Path("/{appId}/enable")
    @Operation(summary = "Enable a disabled app again")
    public Uni<AppView> enable(@PathParam("appId") long appId) {
        return apps.setStatus(appId, App.Status.ACTIVE);
    }

    @POST
    @Path("/{appId}/secret/rotate")
    @Operation(summary = "Replace the ServerSecret; the previous one verifies tokens until previousSecretValidUntil, "
            + "or not at all with revoke=true (a leaked secret: the gateways also end the sessions only it verified)")
    public Uni<AppView> rotate(@PathParam("appId") long appId, @QueryParam("revoke") boolean revoke) {
        return apps.rotateSecret(appId, revoke);
    }
}
