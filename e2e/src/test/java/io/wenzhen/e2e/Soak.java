package io.wenzhen.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code ./wenzhen soak MINUTES CONSULTATIONS}: that many synthetic consultations at once for that long,
 * each a doctor and a patient who log in, publish, message and leave, then start over in a new room.
 * Prints the gateway's heap after a full GC, its threads and file descriptors at the start and the end,
 * and checks that every consultation's room events are numbered without a gap.
 */
public final class Soak {

    public static void main(String[] args) throws Exception {
        int minutes = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int consultations = args.length > 1 ? Integer.parseInt(args[1]) : 150;
        // every synthetic client comes from 127.0.0.1: the per-address cap (200) is for real networks, not for this
        Suite suite = new Suite(Map.of("WENZHEN_GATEWAY_WS_MAX_CONNECTIONS_PER_ADDRESS", "5000"));
        Suite.App app = suite.createApp("soak");
        Map<String, String> tokens = new ConcurrentHashMap<>();
        ProcessHandle gateway = suite.gatewayProcess();
        Set<String> rooms = ConcurrentHashMap.newKeySet();
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        Map<String, AtomicLong> reasons = new ConcurrentHashMap<>();
        long until = System.nanoTime() + Duration.ofMinutes(minutes).toNanos();
        // a first round warms the JVM before the starting figures are read
        List<Thread> workers = new ArrayList<>();
        String[] start = new String[1];
        for (int c = 0; c < consultations; c++) {
            int index = c;
            workers.add(Thread.ofVirtual().start(() -> {
                Random random = new Random(index);
                while (System.nanoTime() < until) {
                    String room = "soak-" + index + "-" + UUID.randomUUID().toString().substring(0, 6);
                    rooms.add(room);
                    try (SignalingClient doctor = SignalingClient.connect(suite.gatewayWs());
                            SignalingClient patient = SignalingClient.connect(suite.gatewayWs())) {
                        String d = "doctor_" + index;
                        String p = "patient_" + index;
                        step("doctor's login", doctor.login(app.appId(), room, token(suite, app, tokens, d), d, true));
                        step("patient's login", patient.login(app.appId(), room, token(suite, app, tokens, p), p, true));
                        step("publish", doctor.publish(d + "_main"));
                        step("broadcast", patient.request(patient.message("broadcast").put("message", "hello")));
                        Thread.sleep(2000 + random.nextInt(6000));
                        step("patient's logout", patient.request(patient.message("logout")));
                        step("doctor's logout", doctor.request(doctor.message("logout")));
                        done.incrementAndGet();
                    } catch (Exception | AssertionError e) {
                        failed.incrementAndGet();
                        // why, counted by kind: a soak that only counts failures hides what to fix
                        String reason = String.valueOf(e.getMessage());
                        reasons.computeIfAbsent(reason.substring(0, Math.min(160, reason.length())), r -> new AtomicLong()).incrementAndGet();
                        // a failed consultation's users wait as a held one's would before the next: retrying at
                        // once would turn a slow moment into a storm of logins no real clinic sends
                        try {
                            Thread.sleep(2000 + random.nextInt(6000));
                        } catch (InterruptedException interrupted) {
                            return;
                        }
                    }
                }
            }));
        }
        Thread.sleep(60_000);
        start[0] = figures(gateway);
        Map<String, long[]> startClasses = histogram(gateway);
        System.out.println("soak: " + consultations + " consultations at once for " + minutes + " min; start (after 1 min): " + start[0]);
        long next = System.nanoTime();
        while (System.nanoTime() < until) {
            Thread.sleep(10_000);
            if (System.nanoTime() - next > 120_000_000_000L) {
                next = System.nanoTime();
                System.out.printf("soak: %d consultations done, %d failed so far; %s%n", done.get(), failed.get(), figures(gateway));
            }
        }
        for (Thread worker : workers) {
            worker.join();
        }
        Thread.sleep(10_000); // the last rooms close
        String end = figures(gateway);
        Map<String, long[]> endClasses = histogram(gateway);
        RoomEventLog log = RoomEventLog.read(suite.kafka(), app.appId(), rooms);
        System.out.printf("soak: %d consultations done, %d failed; %d rooms, %d room events, numbering gaps: %s%n", done.get(),
                failed.get(), rooms.size(), log.events(), log.gaps().isEmpty() ? "none" : log.gaps());
        reasons.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue().get(), a.getValue().get())).limit(5)
                .forEach(reason -> System.out.printf("soak: %d failed: %s%n", reason.getValue().get(), reason.getKey()));
        System.out.println("soak: start " + start[0]);
        System.out.println("soak: end   " + end);
        System.out.println("soak: the classes whose live bytes grew most from start to end (instances, bytes):");
        growth(startClasses, endClasses).limit(12).forEach(System.out::println);
        suite.process.close();
        System.exit(0);
    }

    /** A request's reply, which must be ok: otherwise the consultation fails with the step and the reply. */
    private static void step(String what, JsonNode reply) {
        if (!reply.path("ok").asBoolean()) {
            throw new AssertionError(what + ": " + reply);
        }
    }

    private static String token(Suite suite, Suite.App app, Map<String, String> tokens, String user) {
        return tokens.computeIfAbsent(user, u -> {
            try {
                return suite.token(app, u);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Live instances and bytes by class (jcmd GC.class_histogram, which collects first). */
    static Map<String, long[]> histogram(ProcessHandle process) throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process histogram = new ProcessBuilder(jcmd, Long.toString(process.pid()), "GC.class_histogram").redirectErrorStream(true).start();
        // "   1:        123456       7890123  [B (java.base@25)"
        Pattern row = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
        Map<String, long[]> classes = new HashMap<>();
        new String(histogram.getInputStream().readAllBytes()).lines().map(row::matcher).filter(Matcher::find)
                .forEach(m -> classes.put(m.group(3), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))}));
        return classes;
    }

    /** The classes by growth in live bytes, largest first: "+12,345 B (+67 instances) name". */
    static Stream<String> growth(Map<String, long[]> start, Map<String, long[]> end) {
        return end.entrySet().stream().map(e -> {
            long[] before = start.getOrDefault(e.getKey(), new long[2]);
            return Map.entry(e.getKey(), new long[] {e.getValue()[0] - before[0], e.getValue()[1] - before[1]});
        }).sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
                .map(e -> String.format("  %+,d B (%+,d instances) %s", e.getValue()[1], e.getValue()[0], e.getKey()));
    }

    /** Heap after a full GC (jcmd), threads and open file descriptors of a process. */
    static String figures(ProcessHandle process) throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        new ProcessBuilder(jcmd, Long.toString(process.pid()), "GC.run").redirectErrorStream(true).start().waitFor();
        Process info = new ProcessBuilder(jcmd, Long.toString(process.pid()), "GC.heap_info").redirectErrorStream(true).start();
        // every generation's (or G1's whole heap's) "total …K, used …K" line, summed
        Pattern used = Pattern.compile("^\\S.*total \\d+K, used (\\d+)K");
        long usedKb = new String(info.getInputStream().readAllBytes()).lines().map(used::matcher).filter(Matcher::find)
                .mapToLong(m -> Long.parseLong(m.group(1))).sum();
        String heap = (usedKb / 1024) + " MB";
        String threads = Files.readAllLines(Path.of("/proc/" + process.pid() + "/status")).stream()
                .filter(l -> l.startsWith("Threads:")).findFirst().orElse("Threads: ?").replaceAll("\\s+", " ");
        long fds;
        try (Stream<Path> list = Files.list(Path.of("/proc/" + process.pid() + "/fd"))) {
            fds = list.count();
        }
        return "heap after full GC: " + heap + "; " + threads + "; open files: " + fds;
    }
}
