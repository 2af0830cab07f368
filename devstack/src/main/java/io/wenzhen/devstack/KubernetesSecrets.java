package io.wenzhen.devstack;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * {@code ./wenzhen k8s-secrets [DIR] [--apply] [--namespace NS]}: makes the key material of a
 * Kubernetes installation as files in DIR (the dev overlay's secretGenerator reads them there), with
 * the same generators as {@code ./wenzhen up}, and prints (or, with --apply, runs) the kubectl commands
 * that make the Secrets k8s/ mounts: wenzhen-keys and wenzhen-turn. PostgreSQL's credentials are the
 * CloudNativePG operator's (wenzhen-postgres-app). Existing files are kept and the Secrets are applied,
 * not created: running it again changes nothing. No secret is printed.
 */
public final class KubernetesSecrets {

    /** The files of the Secret wenzhen-keys (k8s/base mounts them at /etc/wenzhen/secrets). */
    public static final List<String> KEYS = List.of(DevSecrets.JWT_PRIVATE, DevSecrets.JWT_PUBLIC, DevSecrets.MASTER_KEY,
            DevSecrets.CLUSTER_KEY, DevSecrets.BOOTSTRAP_ADMIN_PASSWORD, "stream-key.secret");
    /** coturn's REST-API shared secret, in the Secret wenzhen-turn. */
    public static final String TURN_SECRET = "static-auth-secret";

    private static final SecureRandom RANDOM = new SecureRandom();

    private KubernetesSecrets() {
    }

    /** Creates whichever of the files are missing in {@code dir} (and nothing else: a ./wenzhen up data folder is safe). */
    public static void create(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        if (!Files.exists(dir.resolve(DevSecrets.JWT_PRIVATE)) || !Files.exists(dir.resolve(DevSecrets.JWT_PUBLIC))) {
            KeyPair pair = DevSecrets.newEs256KeyPair();
            write(dir.resolve(DevSecrets.JWT_PRIVATE), DevSecrets.pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            write(dir.resolve(DevSecrets.JWT_PUBLIC), DevSecrets.pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        }
        for (String key : List.of(DevSecrets.MASTER_KEY, DevSecrets.CLUSTER_KEY)) {
            if (!Files.exists(dir.resolve(key))) {
                byte[] bytes = new byte[32];
                RANDOM.nextBytes(bytes);
                write(dir.resolve(key), Base64.getEncoder().encodeToString(bytes));
            }
        }
        for (String token : List.of(DevSecrets.BOOTSTRAP_ADMIN_PASSWORD, "stream-key.secret", TURN_SECRET)) {
            if (!Files.exists(dir.resolve(token))) {
                write(dir.resolve(token), DevSecrets.randomToken(token.equals(DevSecrets.BOOTSTRAP_ADMIN_PASSWORD) ? 18 : 32));
            }
        }
    }

    private static void write(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content);
    }

    /**
     * The kubectl commands that make the Secrets from {@code dir}, each rendered by create --dry-run and
     * given to apply: run again, they change nothing (or update the Secret to the files).
     */
    public static List<List<String>> commands(Path dir, String namespace) {
        List<String> keys = new ArrayList<>(List.of("kubectl", "-n", namespace, "create", "secret", "generic", "wenzhen-keys"));
        for (String key : KEYS) {
            keys.add("--from-file=" + key + "=" + dir.resolve(key));
        }
        List<String> turn = new ArrayList<>(List.of("kubectl", "-n", namespace, "create", "secret", "generic", "wenzhen-turn",
                "--from-file=" + TURN_SECRET + "=" + dir.resolve(TURN_SECRET)));
        for (List<String> command : List.of(keys, turn)) {
            command.addAll(List.of("--dry-run=client", "-o", "yaml"));
        }
        return List.of(keys, turn);
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Path dir = Path.of("k8s/overlays/dev/secrets");
        String namespace = "wenzhen";
        boolean apply = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--apply" -> apply = true;
                case "--namespace" -> {
                    if (i + 1 >= args.length || args[i + 1].startsWith("-")) {
                        fail("--namespace needs a namespace");
                    }
                    namespace = args[++i];
                }
                default -> {
                    if (args[i].startsWith("-")) {
                        fail("unknown option " + args[i] + " (k8s-secrets takes [DIR] [--apply] [--namespace NS])");
                    }
                    dir = Path.of(args[i]);
                }
            }
        }
        create(dir);
        System.out.println("wenzhen: the key material is in " + dir.toAbsolutePath() + " (mode 0600; keep it, never commit it)");
        for (List<String> command : commands(dir, namespace)) {
            String shown = String.join(" ", command) + " | kubectl apply -f -";
            if (!apply) {
                System.out.println(shown);
                continue;
            }
            Process render = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            byte[] yaml = render.getInputStream().readAllBytes();
            Process applied = new ProcessBuilder("kubectl", "apply", "-f", "-").inheritIO().redirectInput(ProcessBuilder.Redirect.PIPE).start();
            try (OutputStream in = applied.getOutputStream()) {
                in.write(yaml);
            }
            if (render.waitFor() != 0 || applied.waitFor() != 0) {
                fail("kubectl could not apply the Secret " + command.get(6) + " in namespace " + namespace + " (its output is above)");
            }
        }
    }

    private static void fail(String message) {
        System.err.println("wenzhen: " + message);
        System.exit(1);
    }
}
