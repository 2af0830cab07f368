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
 * milliseconds per try anyway; this turns millions of tries into a handful per window. The price: anyone
 * can make a username wait out the window by failing for it (the bootstrap admin can sign in from an
 * address that has not failed once the username's window passes). Usernames are kept as given (never
 * logged); both maps are bounded.
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

    /**
     * A sign-in attempt, counted as a failure until {@link #succeeded}: throws ADMIN_LOGIN_THROTTLED when
     * the address or the username has failed too often lately.
     */
    public void attempt(String address, String username, long nowNanos) {
        if (recent(byAddress, address, nowNanos) >= MAX_FAILURES_PER_ADDRESS
                || recent(byUsername, username, nowNanos) >= MAX_FAILURES_PER_USERNAME) {
            throw new ApiException(ApiError.ADMIN_LOGIN_THROTTLED, "too many failed sign-ins; try again later");
        }
        record(byAddress, address, nowNanos);
        record(byUsername, username, nowNanos);
    }

    /** The attempt was right: it is not a failure, and the username's failures are forgotten. */
    public void succeeded(String address, String username) {
        byUsername.remove(username);
        Deque<Long> times = byAddress.get(address);
        if (times != null) {
            synchronized (times) {
                times.pollLast();
            }
        }
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
                return; // still full of live keys (a spray): a new key is not counted, no counted one is forgotten
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
