package io.wenzhen.testing;

import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;

/**
 * JWTs as auth-service makes them (ES256, roles in {@code groups}, its issuer), signed with the test
 * run's key pair, for services whose tests do not start auth-service.
 */
public final class TestJwts {

    public static final String ISSUER = "https://wenzhen.io/auth";

    private TestJwts() {
    }

    /** A hospital-it token for these apps only (the claim appIds, as auth-service issues it). */
    public static String hospitalIt(long... appIds) {
        return Jwt.issuer(ISSUER).subject("test").upn("test").groups(Set.of("hospital-it"))
                .claim("appIds", Arrays.stream(appIds).boxed().toList()).expiresIn(Duration.ofMinutes(10))
                .jws().algorithm(SignatureAlgorithm.ES256).sign(privateKey());
    }

    public static String withRoles(String... roles) {
        return Jwt.issuer(ISSUER).subject("test").upn("test").groups(Set.of(roles)).expiresIn(Duration.ofMinutes(10))
                .jws().algorithm(SignatureAlgorithm.ES256).sign(privateKey());
    }

    private static PrivateKey privateKey() {
        try {
            String pem = Files.readString(RealInfrastructure.get().jwtPrivateKey());
            byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the test JWT key", e);
        }
    }
}
