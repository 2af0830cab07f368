package io.wenzhen.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./wenzhen k8s-secrets [DIR] [--apply] [--namespace NS]}: makes the key material of a
 * Kubernetes installation as files in DIR (the dev overlay's secretGenerator reads them there), with
 * the same generators as {@code ./wenzhen up}, and prints (or, with --apply, runs) the kubectl commands
 * that make the Secrets k8s/ mounts: wenzhen-keys and wenzhen-turn. PostgreSQL's credentials are the
 * CloudNativePG operator's (wenzhen-postgres-app). Existing files are kept: running it again changes
 * nothing. No secret is printed.
 */
public final class KubernetesSecrets {

    /** The files of the Secret wenzhen-keys (k8s/base mounts them at /etc/wenzhen/secrets). */
    public static final List<String> KEYS = List.of(DevSecrets.JWT_PRIVATE, DevSecrets.JWT_PUBLIC, DevSecrets.MASTER_KEY,
            DevSecrets.CLUSTER_KEY, DevSecrets.BOOTSTRAP_ADMIN_PASSWORD, "stream-key.secret");
    /** coturn's REST-API shared secret, in the Secret wenzhen-turn. */
    public static final String TURN_SECRET = "static-auth-secret";

    private KubernetesSecrets() {
    }

    /** Creates whichever files are missing in {@code dir}. */
    public static void create(Path dir) throws IOException {
        DevSecrets.loadOrCreate(dir);
        Files.deleteIfExists(dir.resolve(DevSecrets.POSTGRES_PASSWORD)); // the operator makes PostgreSQL's
        for (String name : List.of("stream-key.secret", TURN_SECRET)) {
            Path file = dir.resolve(name);
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, DevSecrets.randomToken(32));
            }
        }
    }

    /** The kubectl commands that make the Secrets from {@code dir}. */
    public static List<List<String>> commands(Path dir, String namespace) {
        List<String> keys = new ArrayList<>(List.of("kubectl", "-n", namespace, "create", "secret", "generic", "wenzhen-keys"));
        for (String key : KEYS) {
            keys.add("--from-file=" + key + "=" + dir.resolve(key));
        }
        List<String> turn = List.of("kubectl", "-n", namespace, "create", "secret", "generic", "wenzhen-turn",
                "--from-file=" + TURN_SECRET + "=" + dir.resolve(TURN_SECRET));
        return List.of(keys, turn);
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Path dir = Path.of("k8s/overlays/dev/secrets");
        String namespace = "wenzhen";
        boolean apply = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--apply" -> apply = true;
                case "--namespace" -> namespace = args[++i];
                default -> dir = Path.of(args[i]);
            }
        }
        create(dir);
        System.out.println("wenzhen: the key material is in " + dir.toAbsolutePath() + " (mode 0600; keep it, never commit it)");
        for (List<String> command : commands(dir, namespace)) {
            if (apply) {
                int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
                if (exit != 0) {
                    System.err.println("wenzhen: kubectl failed (exit " + exit + "): " + String.join(" ", command.subList(0, 7)));
                    System.exit(1);
                }
            } else {
                System.out.println(String.join(" ", command));
            }
        }
    }
}
