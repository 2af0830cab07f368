package io.wenzhen.gateway.rest;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

import io.wenzhen.events.AppScope;
import io.wenzhen.events.room.RoomKeys;
import io.wenzhen.gateway.webrtc.Sfu;

/**
 * The SFU's own view of every stream on this gateway: per publisher the bitrate, loss, jitter and the
 * REMB it is told; per player what was sent, the loss and jitter it reports, the round trip, NACKs and
 * keyframe requests. For operators and hospital IT (JWT roles).
 */
@Path("/api/v1/media/streams")
public class MediaStatsResource {

    @Inject
    Sfu sfu;

    @Inject
    JsonWebToken jwt;

    @GET
    @RolesAllowed({ "admin", "hospital-it", "service" })
    @Operation(summary = "Server-side statistics of every stream published on this gateway")
    public List<Sfu.StreamStats> streams() {
        // hospital IT sees its own apps' streams (the token's appIds, whenever the claim is there); admins and the
        // suite's unscoped service tokens all
        Object claim = jwt.getClaim(AppScope.CLAIM);
        AppScope scope = claim == null && jwt.getGroups().contains("service") ? AppScope.ALL : AppScope.of(jwt.getGroups(), claim);
        return sfu.stats().stream().filter(stream -> scope.allows(RoomKeys.appId(stream.roomKey()))).toList();
    }
}
