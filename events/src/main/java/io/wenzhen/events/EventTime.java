package io.wenzhen.events;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * RFC 3339 times of events, read to epoch milliseconds. The form every service of the suite writes
 * ({@code 2026-12-06T03:01:37.123Z}, {@code Instant.toString()}; or with a {@code ±HH:MM} offset) is read
 * here directly: at tens of thousands of quality samples a second, {@code OffsetDateTime.parse} was a
 * tenth of the analytics' stream thread. Anything else goes to {@code OffsetDateTime.parse}, which
 * decides; the fast path only ever answers what that parse would.
 */
public final class EventTime {

    private EventTime() {
    }

    /**
     * @throws IllegalArgumentException when it is not an RFC 3339 date-time
     */
    public static long epochMillis(String text) {
        long seconds = fastSeconds(text);
        if (seconds != NOT_FAST) {
            return seconds * 1000 + fractionMillis(text);
        }
        try {
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException("not an RFC 3339 time: " + (text.length() > 40 ? text.substring(0, 40) + "…" : text), e);
        }
    }

    private static final long NOT_FAST = Long.MIN_VALUE;

    /** Epoch seconds of {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|±HH:mm)}, or NOT_FAST. */
    private static long fastSeconds(String s) {
        int n = s.length();
        if (n < 20 || n > 35 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return NOT_FAST;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 28 && day > LocalDate.of(year, month, 1).lengthOfMonth()
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return NOT_FAST;
        }
        int at = 19;
        if (at < n && s.charAt(at) == '.') {
            int start = ++at;
            while (at < n && s.charAt(at) >= '0' && s.charAt(at) <= '9') {
                at++;
            }
            if (at == start || at - start > 9) {
                return NOT_FAST;
            }
        }
        int offsetSeconds;
        if (at == n - 1 && s.charAt(at) == 'Z') {
            offsetSeconds = 0;
        } else if (at == n - 6 && (s.charAt(at) == '+' || s.charAt(at) == '-') && s.charAt(at + 3) == ':') {
            int offsetHours = digits(s, at + 1, 2);
            int offsetMinutes = digits(s, at + 4, 2);
            if (offsetHours < 0 || offsetHours > 17 || offsetMinutes < 0 || offsetMinutes > 59) {
                return NOT_FAST;
            }
            offsetSeconds = (s.charAt(at) == '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
        } else {
            return NOT_FAST;
        }
        long days = LocalDate.of(year, month, day).toEpochDay();
        return days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds;
    }

    /** The milliseconds of the fraction after the seconds, if there is one (truncated, as toEpochMilli does). */
    private static int fractionMillis(String s) {
        int millis = 0;
        int at = 20; // after the '.', when there is one
        boolean fraction = s.charAt(19) == '.';
        for (int digit = 0; digit < 3; digit++) {
            char c = fraction && at < s.length() ? s.charAt(at) : 'Z';
            boolean isDigit = c >= '0' && c <= '9';
            millis = millis * 10 + (isDigit ? c - '0' : 0);
            if (isDigit) {
                at++;
            }
        }
        return millis;
    }

    /** The unsigned decimal of {@code count} digits at {@code from}, or -1. */
    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
