package io.wenzhen.gateway.rest;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.smallrye.mutiny.Uni;
import io.wenzhen.gateway.apps.AppDirectory;
import io.wenzhen.gateway.config.GatewayConfig;
import io.wenzhen.token04.RoomPrivileges;
import io.wenzhen.token04.Token04Format;
import io.wenzhen.token04.Token04Issuer;

/**
 * Client tokens for the demo page in {@code ./wenzhen up} mode: only when {@code wenzhen.gateway.dev-tokens}
 * is on, and only for the app named {@code demo}. In production an app's own back end issues tokens
 * with its ServerSecret (auth-service's {@code POST /api/v1/tokens}); this endpoint answers 404 there.
 */
@Path("/dev/token")
public class DevTokenResource {

    static final String DEMO_APP = "demo";
    static final long VALIDITY_SECONDS = Duration.ofHours(1).toSeconds();

    public record DevTokenRequest(long appId, String userID, String roomID) {
    }

    public record DevToken(String token, long expireTime) {
    }

    @Inject
    GatewayConfig config;

    @Inject
    AppDirectory apps;

    private final Token04Issuer issuer = new Token04Issuer();

    @POST
    @Operation(summary = "A client token for the demo app (./wenzhen up only)")
    public Uni<DevToken> issue(DevTokenRequest request) {
        if (!config.devTokens()) {
            throw new NotFoundException();
        }
        if (request == null || request.userID() == null || request.userID().isEmpty() || request.userID().length() > 64) {
            throw new WebApplicationException("userID is 1 to 64 characters", Response.Status.BAD_REQUEST);
        }
        if (request.roomID() == null || request.roomID().isEmpty()) {
            // a token for one room: an empty room in the payload would mean every room
            throw new WebApplicationException("roomID is required", Response.Status.BAD_REQUEST);
        }
        return apps.find(request.appId(), Duration.ofSeconds(2)).map(app -> {
            if (app == null || !app.active() || !DEMO_APP.equals(app.name())) {
                throw new WebApplicationException("dev tokens are only for the active app named 'demo'", Response.Status.FORBIDDEN);
            }
            RoomPrivileges privileges = new RoomPrivileges(request.roomID(), true, true,
                    List.of());
            Token04Issuer.Issued issued = issuer.issueWithExpiry(app.appId(), request.userID(), app.secret(), VALIDITY_SECONDS,
                    privileges, Token04Format.CBC);
            return new DevToken(issued.token(), issued.expire());
        });
    }
}
