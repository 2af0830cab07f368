package io.wenzhen.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class EventTimeTest {

    @Test
    void readsWhatTheSuiteWritesAsOffsetDateTimeWould() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            // 1900..2200, with every precision Instant.toString() writes (none, millis, micros, nanos)
            long seconds = random.nextLong(-2_208_988_800L, 7_258_118_400L);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nanos);
            String utc = instant.toString();
            String offset = OffsetDateTime.ofInstant(instant, ZoneOffset.ofTotalSeconds(60 * random.nextInt(-18 * 60, 18 * 60 + 1))).toString();
            assertEquals(instant.toEpochMilli(), EventTime.epochMillis(utc), utc);
            assertEquals(OffsetDateTime.parse(offset).toInstant().toEpochMilli(), EventTime.epochMillis(offset), offset);
        }
    }

    @Test
    void theEdgesOfTheCalendarAgreeWithTheLibrary() {
        for (String text : new String[] {"2024-02-29T23:59:59.999Z", "2000-02-29T00:00:00Z", "1970-01-01T00:00:00Z",
            "1969-12-31T23:59:59.9Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "2026-12-06T03:01:37.1+08:00",
            "2026-12-06T03:01:37-00:00", "2026-12-06T03:01:37.12345-17:59", "2026-12-06t03:01:37z", "2026-12-06T03:01Z",
            "2026-12-06T03:01:37+18:00", "2026-12-06T03:01:37+05:30:15", "2026-12-06T03:01:37.Z"}) {
            assertEquals(OffsetDateTime.parse(text).toInstant().toEpochMilli(), EventTime.epochMillis(text), text);
        }
    }

    @Test
    void whatTheLibraryRefusesIsRefused() {
        for (String text : new String[] {"", "yesterday", "2026-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z",
            "2026-12-06T24:00:00Z", "2026-12-06T23:60:00Z", "2026-12-06T23:59:60Z", "2026-12-06T03:01:37",
            "2026-12-06T03:01:37.1234567891Z", "2026-12-06T03:01:37Zjunk", "2026-12-06T03:01:37+19:00", "2026-12-06 03:01:37Z",
            "2026-1a-06T03:01:37Z", "+2026-12-06T03:01:37Z"}) {
            assertThrows(DateTimeParseException.class, () -> OffsetDateTime.parse(text), "the library refuses " + text);
            assertThrows(IllegalArgumentException.class, () -> EventTime.epochMillis(text), text);
        }
    }
}
