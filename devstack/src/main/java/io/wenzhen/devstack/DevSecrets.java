package io.wenzhen.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/**
 * The key material of one installation, made once at its first start and kept (mode 0600) in the
 * data folder: the ES256 key pair that signs admin/service JWTs, the key that encrypts app secrets at
 * rest, the cluster key that encrypts them on Kafka, PostgreSQL's password and the bootstrap admin's
 * first password. On Kubernetes the same files come from Secrets.
 */
public record DevSecrets(Path dir, boolean firstStart) {

    public static final String JWT_PRIVATE = "jwt-private.pem";
    public static final String JWT_PUBLIC = "jwt-public.pem";
    public static final String MASTER_KEY = "master.key";
    public static final String CLUSTER_KEY = "cluster.key";
    public static final String POSTGRES_PASSWORD = "postgres.password";
    public static final String BOOTSTRAP_ADMIN_PASSWORD = "bootstrap-admin.password";
    /** coturn's REST-API shared secret (./wenzhen up --turn), the same file name as in the Secret wenzhen-turn. */
    public static final String TURN_SECRET = KubernetesSecrets.TURN_SECRET;

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Loads the folder's secrets, creating every missing one. */
    public static DevSecrets loadOrCreate(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        boolean first = !Files.exists(dir.resolve(JWT_PRIVATE));
        if (first) {
            KeyPair pair = newEs256KeyPair();
            write(dir.resolve(JWT_PRIVATE), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            write(dir.resolve(JWT_PUBLIC), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
            write(dir.resolve(BOOTSTRAP_ADMIN_PASSWORD), randomToken(18));
        }
        for (String key : new String[] {MASTER_KEY, CLUSTER_KEY}) {
            if (!Files.exists(dir.resolve(key))) {
                byte[] bytes = new byte[32];
                RANDOM.nextBytes(bytes);
                write(dir.resolve(key), Base64.getEncoder().encodeToString(bytes));
            }
        }
        if (!Files.exists(dir.resolve(POSTGRES_PASSWORD))) {
            write(dir.resolve(POSTGRES_PASSWORD), randomToken(18));
        }
        if (!Files.exists(dir.resolve(TURN_SECRET))) {
            write(dir.resolve(TURN_SECRET), randomToken(32));
        }
        return new DevSecrets(dir, first);
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    public String read(String name) throws IOException {
        return Files.readString(dir.resolve(name)).strip();
    }

    public static KeyPair newEs256KeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no P-256 support in this JDK", e);
        }
    }

    public static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** URL-safe random text with {@code bytes} bytes of entropy. */
    public static String randomToken(int bytes) {
        byte[] raw = new byte[bytes];
        RANDOM.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    private static void write(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content);
    }
}
