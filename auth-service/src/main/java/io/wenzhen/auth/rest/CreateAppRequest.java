package io.wenzhen.auth.rest;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

import io.wenzhen.auth.service.ApiError;
import io.wenzhen.auth.service.ApiException;
import io.wenzhen.auth.service.AppService;

/** Body of {@code POST /api/v1/apps}; absent limits take the defaults. */
public record CreateAppRequest(String name, List<String> allowedOrigins, Integer maxRooms, Integer maxMembersPerRoom) {

    static final int MAX_ORIGINS = 50;

    static AppService.NewApp validated(CreateAppRequest request) {
        if (request == null) {
            throw new ApiException(ApiError.INVALID_REQUEST, "a JSON body is required");
        }
        if (request.name == null || request.name.isBlank() || request.name.length() > 128) {
            throw new ApiException(ApiError.INVALID_REQUEST, "name must be 1 to 128 characters");
        }
        List<String> origins = request.allowedOrigins == null ? List.of() : request.allowedOrigins;
        if (origins.size() > MAX_ORIGINS) {
            throw new ApiException(ApiError.INVALID_REQUEST, "at most " + MAX_ORIGINS + " allowed origins");
        }
        for (String origin : origins) {
            if (!isOrigin(origin)) {
                throw new ApiException(ApiError.INVALID_REQUEST,
                        "allowed origins are scheme://host[:port], without path; got " + origin);
            }
        }
        int maxRooms = request.maxRooms == null ? AppService.DEFAULT_MAX_ROOMS : request.maxRooms;
        int maxMembers = request.maxMembersPerRoom == null ? AppService.DEFAULT_MAX_MEMBERS : request.maxMembersPerRoom;
        if (maxRooms < 1 || maxRooms > 1_000_000) {
            throw new ApiException(ApiError.INVALID_REQUEST, "maxRooms must be between 1 and 1000000");
        }
        if (maxMembers < 2 || maxMembers > 10_000) {
            throw new ApiException(ApiError.INVALID_REQUEST, "maxMembersPerRoom must be between 2 and 10000");
        }
        return new AppService.NewApp(request.name.strip(), List.copyOf(origins), maxRooms, maxMembers);
    }

    private static boolean isOrigin(String origin) {
        if (origin == null || origin.length() > 256 || origin.contains("\n")) {
            return false;
        }
        try {
            URI uri = new URI(origin);
            return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null
                    && (uri.getRawPath() == null || uri.getRawPath().isEmpty()) && uri.getRawQuery() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
