package io.wenzhen.auth.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import io.wenzhen.events.SecretBox;

/** The two keys of auth-service, loaded once from their files. */
@ApplicationScoped
public class SecretBoxes {

    @Produces
    @Singleton
    @Named("at-rest")
    SecretBox atRest(AuthConfig config) {
        return SecretBox.fromKeyFile(config.secrets().masterKeyFile());
    }

    @Produces
    @Singleton
    @Named("cluster")
    SecretBox cluster(AuthConfig config) {
        return SecretBox.fromKeyFile(config.secrets().clusterKeyFile());
    }
}
