package io.wenzhen.room.rest;

import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.mutiny.Uni;
import io.wenzhen.events.AppScope;
import io.wenzhen.events.room.RoomError;
import io.wenzhen.room.service.RoomRefusal;
import io.wenzhen.room.model.Consultation;
import io.wenzhen.room.service.RoomAdminService;

/** Rooms and consultation records for administrators (changes) and hospital IT (reads). */
@Path("/api/v1")
@Tag(name = "rooms")
@SecurityRequirement(name = "jwt")
@RolesAllowed({RoomAdminResource.ADMIN, RoomAdminResource.HOSPITAL_IT})
public class RoomAdminResource {

    @Inject
    JsonWebToken jwt;

    static final String ADMIN = "admin";
    static final String HOSPITAL_IT = "hospital-it";

    @Inject
    RoomAdminService rooms;

    public record MessageRequest(String message) {
    }

    public record MessageResponse(long messageId) {
    }

    @GET
    @Path("/apps/{appId}/rooms")
    @Operation(summary = "Open rooms of an app, with member and stream counts")
    public Uni<List<RoomAdminService.RoomSummary>> list(@PathParam("appId") long appId) {
        inScope(appId);
        return rooms.rooms(appId);
    }

    @GET
    @Path("/apps/{appId}/rooms/{roomId}")
    @Operation(summary = "A room's users and streams")
    public Uni<RoomAdminService.RoomDetail> room(@PathParam("appId") long appId, @PathParam("roomId") String roomId) {
        inScope(appId);
        return rooms.room(appId, roomId);
    }

    @POST
    @Path("/apps/{appId}/rooms/{roomId}/users/{userId}/kick")
    @RolesAllowed(ADMIN)
    @Operation(summary = "Remove a user from the room; they get roomStateUpdate DISCONNECTED with code 10207")
    public Uni<Void> kick(@PathParam("appId") long appId, @PathParam("roomId") String roomId,
            @PathParam("userId") String userId) {
        return rooms.kick(appId, roomId, userId);
    }

    @POST
    @Path("/apps/{appId}/rooms/{roomId}/close")
    @RolesAllowed(ADMIN)
    @Operation(summary = "Close the room: everyone is removed with code 10213 and the consultation ends")
    public Uni<Void> close(@PathParam("appId") long appId, @PathParam("roomId") String roomId) {
        return rooms.close(appId, roomId);
    }

    @POST
    @Path("/apps/{appId}/rooms/{roomId}/messages")
    @RolesAllowed(ADMIN)
    @Operation(summary = "Send a room broadcast message from the system user")
    public Uni<MessageResponse> message(@PathParam("appId") long appId, @PathParam("roomId") String roomId,
            MessageRequest request) {
        return rooms.message(appId, roomId, request == null ? null : request.message()).map(MessageResponse::new);
    }

    @GET
    @Path("/apps/{appId}/consultations")
    @Operation(summary = "An app's consultations, newest first (optionally of one room)")
    public Uni<List<Consultation>> consultations(@PathParam("appId") long appId, @QueryParam("roomId") String roomId,
            @QueryParam("limit") @DefaultValue("50") int limit) {
        inScope(appId);
        return rooms.consultations(appId, roomId, Math.max(1, Math.min(limit, 500)));
    }

    @GET
    @Path("/consultations/{id}")
    @Operation(summary = "A consultation record: participants with join/leave times and reasons, streams")
    public Uni<RoomAdminService.ConsultationRecord> consultation(@PathParam("id") UUID id) {
        AppScope scope = scope();
        // another app's consultation reads as absent: its existence is not this caller's to learn
        return rooms.consultation(id).invoke(record -> {
            if (!scope.allows(record.consultation().appId)) {
                throw new RoomRefusal(RoomError.CONSULTATION_NOT_FOUND);
            }
        });
    }

    /** The apps the caller may read: every one for an admin, the token's appIds for hospital IT. */
    private AppScope scope() {
        return AppScope.of(jwt.getGroups(), jwt.getClaim(AppScope.CLAIM));
    }

    private void inScope(long appId) {
        if (!scope().allows(appId)) {
            throw new RoomRefusal(RoomError.APP_NOT_IN_SCOPE);
        }
    }
}
