package io.wenzhen.auth.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.wenzhen.auth.config.AuthConfig;
import io.wenzhen.auth.model.AdminUser;

/**
 * Creates the first admin at start-up when there is none, from the password file that
 * {@code ./wenzhen up} (or a Kubernetes Secret) provides. The password is never logged; the launcher
 * shows it once and deletes the file.
 */
@ApplicationScoped
public class BootstrapAdmin {

    private static final Logger LOG = Logger.getLogger(BootstrapAdmin.class);

    @Inject
    AuthConfig config;

    void onStart(@Observes StartupEvent ignored) throws Throwable {
        Path file = config.bootstrap().adminPasswordFile().orElse(null);
        if (file == null || !Files.exists(file)) {
            return;
        }
        String password = read(file);
        if (password.length() < 12) {
            LOG.warnf("bootstrap admin password in %s is shorter than 12 characters; not used", file);
            return;
        }
        String username = config.bootstrap().adminUsername();
        String hash = BcryptUtil.bcryptHash(password);
        boolean created = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> AdminUser.count()
                .chain(count -> {
                    if (count > 0) {
                        return Uni.createFrom().item(false);
                    }
                    AdminUser admin = new AdminUser();
                    admin.username = username;
                    admin.passwordHash = hash;
                    admin.createdAt = Instant.now();
                    return admin.persist().replaceWith(true);
                })));
        if (created) {
            LOG.infof("bootstrap admin '%s' created", username);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the bootstrap admin password file " + file, e);
        }
    }
}
