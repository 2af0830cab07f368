package io.wenzhen.auth.service;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Failed admin sign-ins, counted per client address and per username over a sliding window: past
 * either limit, sign-ins from that address or for that username are refused (ADMIN_LOGIN_THROTTLED,
 * 10006, HTTP 429) until the window has moved on. Guessing a password costs bcrypt's tens of
 * milliseconds per try anyway; this turns millions of tries into a handful per window. Usernames are
 * kept as given (never logged); both maps are bounded.
 */
@ApplicationScoped
public class LoginThrottle {

    static final Duration WINDOW = Duration.ofMinutes(15);
    static final int MAX_FAILURES_PER_ADDRESS = 20;
    static final int MAX_FAILURES_PER_USERNAME = 10;
    /** Keys kept at most, per map: a spray of random usernames cannot grow the maps without limit. */
    static final int MAX_KEYS = 100_000;

    private final Map<String, Deque<Long>> byAddress = new ConcurrentHashMap<>();
    private final Map<String, Deque<Long>> byUsername = new ConcurrentHashMap<>();

    /** Throws ADMIN_LOGIN_THROTTLED when the address or the username has failed too often lately. */
    public void check(String address, String username, long nowNanos) {
        if (recent(byAddress, address, nowNanos) >= MAX_FAILURES_PER_ADDRESS
                || recent(byUsername, username, nowNanos) >= MAX_FAILURES_PER_USERNAME) {
            throw new ApiException(ApiError.ADMIN_LOGIN_THROTTLED, "too many failed sign-ins; try again later");
        }
    }

    public void failed(String address, String username, long nowNanos) {
        record(byAddress, address, nowNanos);
        record(byUsername, username, nowNanos);
    }

    public void succeeded(String username) {
        byUsername.remove(username);
    }

    private static int recent(Map<String, Deque<Long>> failures, String key, long nowNanos) {
        Deque<Long> times = failures.get(key);
        if (times == null) {
            return 0;
        }
        synchronized (times) {
            expire(times, nowNanos);
            return times.size();
        }
    }

    private static void record(Map<String, Deque<Long>> failures, String key, long nowNanos) {
        if (failures.size() >= MAX_KEYS && !failures.containsKey(key)) {
            failures.entrySet().removeIf(entry -> {
                synchronized (entry.getValue()) {
                    expire(entry.getValue(), nowNanos);
                    return entry.getValue().isEmpty();
                }
            });
            if (failures.size() >= MAX_KEYS) {
                failures.clear(); // still full of live keys: a spray; forget and start over rather than grow
            }
        }
        Deque<Long> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (times) {
            expire(times, nowNanos);
            times.addLast(nowNanos);
        }
    }

    private static void expire(Deque<Long> times, long nowNanos) {
        while (!times.isEmpty() && nowNanos - times.peekFirst() > WINDOW.toNanos()) {
            times.removeFirst();
        }
    }
}
