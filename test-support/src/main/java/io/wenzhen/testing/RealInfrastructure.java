package io.wenzhen.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.Base64;

import io.wenzhen.devstack.DevSecrets;
import io.wenzhen.devstack.EmbeddedKafka;
import io.wenzhen.devstack.EmbeddedPostgres;
import io.wenzhen.devstack.Ports;

/**
 * One real PostgreSQL and one real Kafka per test JVM, on ports of their own, in a fresh temp folder,
 * stopped when the JVM exits. Nothing here is mocked: a test that needs them fails if they cannot start.
 */
public final class RealInfrastructure {

    private static RealInfrastructure instance;

    private final Path dir;
    private final EmbeddedPostgres postgres;
    private final EmbeddedKafka kafka;
    private final Path jwtPrivateKey;
    private final Path jwtPublicKey;
    private final Path masterKey;
    private final Path clusterKey;
    private final String bootstrapAdminPassword = DevSecrets.randomToken(18);
    private final Path bootstrapAdminPasswordFile;

    private RealInfrastructure() throws IOException, InterruptedException {
        dir = Files.createTempDirectory("wenzhen-test-");
        postgres = EmbeddedPostgres.start(dir.resolve("postgres"), Ports.ephemeral(), DevSecrets.randomToken(12),
                dir.resolve("logs/postgres.log"), false);
        Runtime.getRuntime().addShutdownHook(new Thread(postgres::close, "stop-test-postgres"));
        int kafkaPort = Ports.ephemeral();
        int controllerPort = Ports.ephemeral();
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), kafkaPort, controllerPort, dir.resolve("logs/kafka.log"));
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "stop-test-kafka"));
        KeyPair pair = DevSecrets.newEs256KeyPair();
        jwtPrivateKey = secret("jwt-private.pem", DevSecrets.pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        jwtPublicKey = secret("jwt-public.pem", DevSecrets.pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        masterKey = secret("master.key", randomKey());
        clusterKey = secret("cluster.key", randomKey());
        bootstrapAdminPasswordFile = secret("bootstrap-admin.password", bootstrapAdminPassword);
    }

    public static synchronized RealInfrastructure get() {
        if (instance == null) {
            try {
                instance = new RealInfrastructure();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return instance;
    }

    public EmbeddedPostgres postgres() {
        return postgres;
    }

    public String kafkaBootstrap() {
        return kafka.bootstrapServers();
    }

    public Path jwtPrivateKey() {
        return jwtPrivateKey;
    }

    public Path jwtPublicKey() {
        return jwtPublicKey;
    }

    public Path masterKey() {
        return masterKey;
    }

    public Path clusterKey() {
        return clusterKey;
    }

    /** The password of auth-service's bootstrap admin {@code admin} in tests. */
    public String bootstrapAdminPassword() {
        return bootstrapAdminPassword;
    }

    public Path bootstrapAdminPasswordFile() {
        return bootstrapAdminPasswordFile;
    }

    /** JDBC URL of the test PostgreSQL, for tests that look at what a service stored. */
    public String jdbcUrl() {
        return "jdbc:" + postgres.url();
    }

    public Path dir() {
        return dir;
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private Path secret(String name, String content) throws IOException {
        Path file = dir.resolve("secrets").resolve(name);
        Files.createDirectories(file.getParent());
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content);
        return file;
    }
}
