package io.wenzhen.token04;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Mutated and random tokens must be refused with a TokenException, never another exception: a
 * client-supplied token reaches this code before anything else checks it. Seeded, so a failure
 * reproduces.
 */
class Token04FuzzTest {

    @Test
    void mutatedTokensOnlyEverFailWithATokenError() {
        String secret = "0123456789abcdef0123456789abcdef";
        Token04Verifier verifier = new Token04Verifier(Clock.fixed(Instant.ofEpochSecond(1_800_000_000L), ZoneOffset.UTC),
                Duration.ofMinutes(5));
        Random random = new Random(20261125);
        String[] seeds = {
            Token04Codec.encode(new Token04Claims(7, "u", 1, 1_800_000_000L, 1_800_000_600L, ""), secret, Token04Format.CBC),
            Token04Codec.encode(new Token04Claims(7, "u", 1, 1_800_000_000L, 1_800_000_600L,
                    new RoomPrivileges("r", true, true, List.of("s")).toPayload()), secret, Token04Format.GCM),
        };
        for (int i = 0; i < 20_000; i++) {
            byte[] raw = Base64.getDecoder().decode(seeds[i % 2].substring(2));
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits; e++) {
                switch (random.nextInt(3)) {
                    case 0 -> raw[random.nextInt(raw.length)] = (byte) random.nextInt(256);
                    case 1 -> raw = Arrays.copyOf(raw, random.nextInt(raw.length + 1));
                    default -> {
                        byte[] longer = Arrays.copyOf(raw, raw.length + random.nextInt(40));
                        random.nextBytes(new byte[0]);
                        raw = longer;
                    }
                }
                if (raw.length == 0) {
                    break;
                }
            }
            String token = "04" + Base64.getEncoder().encodeToString(raw);
            try {
                verifier.verify(token, 7, List.of(secret), null);
            } catch (TokenException expected) {
                // refused with a documented code
            } catch (RuntimeException e) {
                fail("iteration " + i + " threw " + e + " for " + token);
            }
        }
    }
}
