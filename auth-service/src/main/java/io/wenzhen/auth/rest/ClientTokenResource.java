package io.wenzhen.auth.rest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.smallrye.mutiny.Uni;
import io.wenzhen.auth.service.AdminService;
import io.wenzhen.auth.service.ApiError;
import io.wenzhen.auth.service.ApiException;
import io.wenzhen.auth.service.ClientTokenService;
import io.wenzhen.token04.RoomPrivileges;
import io.wenzhen.token04.Token04Format;
import io.wenzhen.token04.TokenException;

/**
 * Client tokens (Token04). A hospital back end authenticates with HTTP Basic {@code AppID:ServerSecret}
 * and gets a token for one of its users; services check tokens with a service JWT.
 */
@Path("/api/v1/tokens")
@Tag(name = "client tokens")
public class ClientTokenResource {

    @Inject
    ClientTokenService tokens;

    public record Privileges(boolean loginRoom, boolean publishStream) {
    }

    /** Without roomId, privileges and streamIdList the token is ZEGO's basic token (empty payload: any room, may publish). */
    public record IssueRequest(String userId, Long effectiveTimeInSeconds, String roomId, Privileges privileges,
            List<String> streamIdList, String format) {
    }

    public record IssueResponse(String token, long expireTime, String format) {
    }

    public record VerifyRequest(Long appId, String token, String userId, String roomId, String streamId) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VerifyResponse(boolean valid, Integer code, String error, String message, Long appId, String userId,
            Long expireTime, String format, String roomId, Boolean loginRoom, Boolean publishStream,
            List<String> streamIdList) {
    }

    @POST
    @PermitAll
    @Operation(summary = "Issue a Token04 for a user (HTTP Basic AppID:ServerSecret)")
    public Uni<IssueResponse> issue(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, IssueRequest request) {
        if (request == null) {
            throw new ApiException(ApiError.INVALID_REQUEST, "a JSON body is required");
        }
        String[] credentials = basicCredentials(authorization);
        long appId;
        try {
            appId = Long.parseLong(credentials[0]);
        } catch (NumberFormatException e) {
            throw new ApiException(ApiError.APP_CREDENTIALS_INVALID, "AppID or ServerSecret is wrong");
        }
        Token04Format format = parseFormat(request.format());
        RoomPrivileges privileges = request.roomId() == null && request.privileges() == null && request.streamIdList() == null
                ? null
                : new RoomPrivileges(request.roomId(), request.privileges() == null || request.privileges().loginRoom(),
                        request.privileges() == null || request.privileges().publishStream(), request.streamIdList());
        long seconds = request.effectiveTimeInSeconds() == null ? 3600 : request.effectiveTimeInSeconds();
        return tokens.issue(appId, credentials[1],
                new ClientTokenService.TokenRequest(request.userId(), seconds, privileges, format))
                .map(issued -> new IssueResponse(issued.token(), issued.expireTime(), format.name()));
    }

    @POST
    @Path("/verify")
    @RolesAllowed({AdminService.ROLE_SERVICE, AdminService.ROLE_ADMIN})
    @Operation(summary = "Check a Token04 for an app (and optionally a room and a stream to publish)")
    public Uni<VerifyResponse> verify(VerifyRequest request) {
        if (request == null || request.appId() == null || request.token() == null) {
            throw new ApiException(ApiError.INVALID_REQUEST, "appId and token are required");
        }
        return tokens.verify(request.appId(), request.token(), request.userId(), request.roomId(), request.streamId())
                .map(v -> new VerifyResponse(true, null, null, null, v.appId(), v.userId(), v.expire(), v.format().name(),
                        v.privileges().roomId(), v.privileges().loginRoom(), v.privileges().publishStream(),
                        v.privileges().streamIds()))
                .onFailure(TokenException.class).recoverWithItem(failure -> {
                    TokenException e = (TokenException) failure;
                    return new VerifyResponse(false, e.error().code(), e.error().name(), e.error().message(), null, null,
                            null, null, null, null, null, null);
                });
    }

    private static Token04Format parseFormat(String format) {
        if (format == null) {
            return Token04Format.GCM;
        }
        try {
            return Token04Format.valueOf(format.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ApiException(ApiError.INVALID_REQUEST, "format is GCM or CBC");
        }
    }

    private static String[] basicCredentials(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw new ApiException(ApiError.APP_CREDENTIALS_INVALID, "HTTP Basic AppID:ServerSecret is required");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ApiError.APP_CREDENTIALS_INVALID, "HTTP Basic AppID:ServerSecret is required");
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            throw new ApiException(ApiError.APP_CREDENTIALS_INVALID, "HTTP Basic AppID:ServerSecret is required");
        }
        return new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    }
}
