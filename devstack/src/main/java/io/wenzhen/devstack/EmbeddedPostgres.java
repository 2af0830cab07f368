package io.wenzhen.devstack;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * A real PostgreSQL server from the relocatable binaries that zonky publishes on Maven Central.
 *
 * <p>We run the binaries ourselves rather than through zonky's {@code EmbeddedPostgres} because
 * PostgreSQL refuses to run as root and CI runs as root: when the JVM is root, initdb and postgres
 * are started through {@code unshare -U}, a user namespace in which root appears as an unprivileged
 * user that still owns its files.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    public static final String DATABASE = "wenzhen";
    public static final String USER = "wenzhen";
    private static final String BINARIES = "/postgres-linux-x86_64.txz";
    private static final String READY_LINE = "database system is ready to accept connections";

    private final ChildProcess process;
    private final int port;
    private final String password;

    private EmbeddedPostgres(ChildProcess process, int port, String password) {
        this.process = process;
        this.port = port;
        this.password = password;
    }

    /**
     * Starts PostgreSQL on {@code port} with its data in {@code dataDir}; creates the cluster and the
     * {@value #DATABASE} database, owned by {@value #USER} with {@code password}, when the folder is new.
     *
     * @param durable false for tests: no fsync, which makes schema migrations several times faster
     */
    public static EmbeddedPostgres start(Path dataDir, int port, String password, Path log, boolean durable)
            throws IOException, InterruptedException {
        Path home = binaries();
        if (!Files.exists(dataDir.resolve("PG_VERSION"))) {
            initCluster(home, dataDir, password, log);
        }
        List<String> command = withUserNamespace(List.of(
                home.resolve("bin/postgres").toString(), "-D", dataDir.toString(), "-p", Integer.toString(port),
                "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=",
                "-c", "max_connections=300", "-c", "fsync=" + (durable ? "on" : "off"),
                "-c", "synchronous_commit=" + (durable ? "on" : "off")));
        long logOffset = Files.exists(log) ? Files.size(log) : 0;
        ChildProcess process = ChildProcess.start("postgres", command, Map.of(), log);
        EmbeddedPostgres postgres = new EmbeddedPostgres(process, port, password);
        if (!awaitReady(log, logOffset, process, Duration.ofSeconds(60))) {
            String tail = process.tail(15);
            postgres.close();
            throw new DevstackException("PostgreSQL did not start on port " + port + "; its log ends with:\n" + tail);
        }
        return postgres;
    }

    public int port() {
        return port;
    }

    public String password() {
        return password;
    }

    /** The reactive client's URL; the JDBC one is the same with a {@code jdbc:} prefix. */
    public String url() {
        return "postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                // SIGINT is PostgreSQL's "fast" shutdown: it does not wait for clients still connected
                new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
            } catch (IOException e) {
                // fall through to ChildProcess's SIGTERM and SIGKILL
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        process.close();
    }

    private static void initCluster(Path home, Path dataDir, String password, Path log)
            throws IOException, InterruptedException {
        Files.createDirectories(dataDir.getParent());
        Path pwfile = Files.createTempFile("wenzhen-pg", ".pw",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(pwfile, password);
            run(withUserNamespace(List.of(home.resolve("bin/initdb").toString(), "-D", dataDir.toString(),
                    "-U", USER, "--pwfile=" + pwfile, "-A", "scram-sha-256", "-E", "UTF8", "--no-locale")),
                    null, log, "initdb");
        } finally {
            Files.deleteIfExists(pwfile);
        }
        // single-user mode creates the database before the server ever listens
        run(withUserNamespace(List.of(home.resolve("bin/postgres").toString(), "--single", "-D", dataDir.toString(),
                "postgres")), "CREATE DATABASE " + DATABASE + ";\n", log, "create database");
    }

    private static void run(List<String> command, String stdin, Path log, String what)
            throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try (OutputStream in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new DevstackException("PostgreSQL " + what + " failed; see " + log);
        }
    }

    private static boolean awaitReady(Path log, long offset, ChildProcess process, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            byte[] all = Files.readAllBytes(log);
            String fresh = new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset),
                    StandardCharsets.UTF_8);
            if (fresh.contains(READY_LINE)) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    static List<String> withUserNamespace(List<String> command) throws IOException {
        if (!isRoot()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>();
        wrapped.add("unshare");
        wrapped.add("-U");
        wrapped.addAll(command);
        return wrapped;
    }

    private static boolean isRoot() throws IOException {
        return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    }

    /** Unpacks the binaries once per version into the temp folder, atomically, and reuses them. */
    static synchronized Path binaries() throws IOException {
        URL archive = EmbeddedPostgres.class.getResource(BINARIES);
        if (archive == null) {
            throw new DevstackException("the PostgreSQL binaries jar (" + BINARIES + ") is not on the classpath");
        }
        String id = HexFormat.of().toHexDigits(archive.toString().hashCode());
        Path home = Path.of(System.getProperty("java.io.tmpdir"), "wenzhen-postgres-" + id);
        if (Files.isExecutable(home.resolve("bin/postgres"))) {
            return home;
        }
        Path staging = Files.createTempDirectory(home.getParent(), "wenzhen-postgres-unpack");
        try (InputStream in = archive.openStream();
                TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(new BufferedInputStream(in)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path target = staging.resolve(entry.getName()).normalize();
                if (!target.startsWith(staging)) {
                    throw new IOException("archive entry escapes its folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(target.getParent());
                    Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                    if ((entry.getMode() & 0100) != 0) {
                        Set<PosixFilePermission> perms = PosixFilePermissions.fromString("rwxr-xr-x");
                        Files.setPosixFilePermissions(target, perms);
                    }
                }
            }
        }
        Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
        try {
            Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException raced) {
            // another JVM unpacked the same version first; use theirs
        } catch (IOException notEmpty) {
            if (!Files.isExecutable(home.resolve("bin/postgres"))) {
                throw notEmpty;
            }
        }
        return home;
    }
}
