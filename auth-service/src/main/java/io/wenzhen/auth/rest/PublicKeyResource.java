package io.wenzhen.auth.rest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Produces;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.common.annotation.Blocking;

/** The public half of the JWT signing key, for services that verify admin and service JWTs offline. */
@jakarta.ws.rs.Path("/api/v1/keys/jwt-public")
@Tag(name = "keys")
public class PublicKeyResource {

    @ConfigProperty(name = "mp.jwt.verify.publickey.location")
    String location;

    @GET
    @PermitAll
    @Blocking
    @Produces("application/x-pem-file")
    @Operation(summary = "The ES256 public key (PEM) that verifies the suite's JWTs")
    public String publicKey() throws IOException {
        return Files.readString(Path.of(location));
    }
}
