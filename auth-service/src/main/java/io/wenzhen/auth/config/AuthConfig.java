package io.wenzhen.auth.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** auth-service's own settings; every one can come from the environment (WENZHEN_…). */
@ConfigMapping(prefix = "wenzhen")
public interface AuthConfig {

    Secrets secrets();

    Bootstrap bootstrap();

    Auth auth();

    interface Secrets {
        /** Base64 of 32 random bytes: encrypts ServerSecrets at rest in PostgreSQL. */
        Path masterKeyFile();

        /** Base64 of 32 random bytes, shared with the gateways: encrypts ServerSecrets on the apps topic. */
        Path clusterKeyFile();
    }

    interface Bootstrap {
        /** The first admin's password, read once when no admin exists yet. */
        Optional<Path> adminPasswordFile();

        @WithDefault("admin")
        String adminUsername();
    }

    interface Auth {
        /** How long tokens made with a rotated-out secret still verify. */
        @WithDefault("PT24H")
        Duration secretRotationGrace();

        @WithDefault("PT1H")
        Duration adminTokenTtl();

        /** The longest client token the REST endpoint issues. */
        @WithDefault("P7D")
        Duration maxClientTokenValidity();

        /** The longest service / hospital-IT JWT an admin can issue. */
        @WithDefault("P365D")
        Duration maxServiceTokenValidity();
    }
}
