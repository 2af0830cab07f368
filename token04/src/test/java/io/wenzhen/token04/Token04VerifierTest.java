package io.wenzhen.token04;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class Token04VerifierTest {

    static final String SECRET = "0123456789abcdef0123456789abcdef";
    static final String OTHER_SECRET = "fedcba9876543210fedcba9876543210";
    static final long APP = 4000000001L;
    static final long NOW = 1_800_000_000L;

    final Clock clock = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
    final Token04Verifier verifier = new Token04Verifier(clock, Duration.ofMinutes(5));
    final Token04Issuer issuer = new Token04Issuer(clock);

    String token(Token04Format format, long ctime, long expire, String payload) {
        return Token04Codec.encode(new Token04Claims(APP, "doctor_7", 42, ctime, expire, payload), SECRET, format);
    }

    TokenError refusal(String token, long appId, List<String> secrets, String userId) {
        return assertThrows(TokenException.class, () -> verifier.verify(token, appId, secrets, userId)).error();
    }

    TokenError refusal(String token) {
        return refusal(token, APP, List.of(SECRET), null);
    }

    @ParameterizedTest
    @EnumSource(Token04Format.class)
    void acceptsAFreshToken(Token04Format format) {
        String token = issuer.issue(APP, "doctor_7", SECRET, 3600, null, format);

        Token04Verifier.VerifiedToken verified = verifier.verify(token, APP, List.of(SECRET), "doctor_7");

        assertEquals(format, verified.format());
        assertEquals("doctor_7", verified.userId());
        assertEquals(NOW + 3600, verified.expire());
        assertEquals(RoomPrivileges.UNRESTRICTED, verified.privileges());
    }

    @ParameterizedTest
    @EnumSource(Token04Format.class)
    void refusesExpired(Token04Format format) {
        assertEquals(TokenError.TOKEN_EXPIRED, refusal(token(format, NOW - 7200, NOW - 1, "")));
        assertEquals(TokenError.TOKEN_EXPIRED, refusal(token(format, NOW - 7200, NOW, "")));
    }

    @ParameterizedTest
    @EnumSource(Token04Format.class)
    void refusesNotYetValidBeyondTheClockSkew(Token04Format format) {
        assertEquals(TokenError.TOKEN_NOT_YET_VALID, refusal(token(format, NOW + 301, NOW + 4000, "")));
        verifier.verify(token(format, NOW + 299, NOW + 4000, ""), APP, List.of(SECRET), null);
    }

    @ParameterizedTest
    @EnumSource(Token04Format.class)
    void refusesATamperedClearExpiry(Token04Format format) {
        byte[] raw = Base64.getDecoder().decode(token(format, NOW, NOW + 60, "").substring(2));
        raw[7] ^= 0x10; // the clear expiry's low byte
        assertEquals(TokenError.TOKEN_TAMPERED, refusal("04" + Base64.getEncoder().encodeToString(raw)));
    }

    @Test
    void refusesATamperedGcmCiphertext() {
        byte[] raw = Base64.getDecoder().decode(token(Token04Format.GCM, NOW, NOW + 60, "").substring(2));
        raw[30] ^= 0x01;
        assertEquals(TokenError.TOKEN_UNDECRYPTABLE, refusal("04" + Base64.getEncoder().encodeToString(raw)));
    }

    @Test
    void refusesATamperedCbcCiphertext() {
        byte[] raw = Base64.getDecoder().decode(token(Token04Format.CBC, NOW, NOW + 60, "").substring(2));
        raw[raw.length - 1] ^= 0x01; // last block: padding no longer checks out, or the JSON breaks
        assertEquals(TokenError.TOKEN_UNDECRYPTABLE, refusal("04" + Base64.getEncoder().encodeToString(raw)));
    }

    @ParameterizedTest
    @EnumSource(Token04Format.class)
    void refusesTheWrongSecret(Token04Format format) {
        assertEquals(TokenError.TOKEN_UNDECRYPTABLE,
                refusal(token(format, NOW, NOW + 60, ""), APP, List.of(OTHER_SECRET), null));
    }

    @ParameterizedTest
    @EnumSource(Token04Format.class)
    void acceptsTheRotatedOutSecretWhileItIsOffered(Token04Format format) {
        String token = token(format, NOW, NOW + 60, "");
        verifier.verify(token, APP, List.of(OTHER_SECRET, SECRET), null);
    }

    @ParameterizedTest
    @EnumSource(Token04Format.class)
    void refusesAnotherApp(Token04Format format) {
        assertEquals(TokenError.TOKEN_APP_MISMATCH, refusal(token(format, NOW, NOW + 60, ""), APP + 1, List.of(SECRET), null));
    }

    @Test
    void refusesAnotherUser() {
        assertEquals(TokenError.TOKEN_USER_MISMATCH,
                refusal(token(Token04Format.GCM, NOW, NOW + 60, ""), APP, List.of(SECRET), "patient_1"));
    }

    @Test
    void refusesMalformedFraming() {
        String good = token(Token04Format.GCM, NOW, NOW + 60, "");
        assertEquals(TokenError.TOKEN_MALFORMED, refusal(""));
        assertEquals(TokenError.TOKEN_MALFORMED, refusal("03" + good.substring(2)));
        assertEquals(TokenError.TOKEN_MALFORMED, refusal("04***not base64***"));
        byte[] raw = Base64.getDecoder().decode(good.substring(2));
        assertEquals(TokenError.TOKEN_MALFORMED, refusal(reframe(raw, raw.length - 1, (byte) 7)), "unknown mode byte");
        assertEquals(TokenError.TOKEN_MALFORMED, refusal("04" + Base64.getEncoder().encodeToString(
                Arrays.copyOf(raw, raw.length + 1))), "stray byte after the mode");
        byte[] badIv = raw.clone();
        badIv[9] = 13;
        assertEquals(TokenError.TOKEN_MALFORMED, refusal("04" + Base64.getEncoder().encodeToString(badIv)));
    }

    @Test
    void refusesTruncated() {
        byte[] raw = Base64.getDecoder().decode(token(Token04Format.CBC, NOW, NOW + 60, "").substring(2));
        for (int length : new int[] {0, 7, 9, 20, 27, raw.length - 1}) {
            String cut = "04" + Base64.getEncoder().encodeToString(Arrays.copyOf(raw, length));
            TokenError error = refusal(cut);
            assertTrue(error == TokenError.TOKEN_TRUNCATED || (length == 0 && error == TokenError.TOKEN_MALFORMED),
                    length + " bytes gave " + error);
        }
    }

    @Test
    void refusesOversized() {
        assertEquals(TokenError.TOKEN_OVERSIZED, refusal("04" + "A".repeat(Token04Codec.MAX_TOKEN_CHARS)));
    }

    @Test
    void refusesContentThatIsNotAToken04() {
        String notJsonPayload = token(Token04Format.GCM, NOW, NOW + 60, "{not json");
        assertEquals(TokenError.TOKEN_PAYLOAD_INVALID, refusal(notJsonPayload));
        String wrongTypes = token(Token04Format.GCM, NOW, NOW + 60, "{\"privilege\":{\"1\":\"yes\"}}");
        assertEquals(TokenError.TOKEN_PAYLOAD_INVALID, refusal(wrongTypes));
    }

    @Test
    void privilegesGateLoginAndPublish() {
        RoomPrivileges loginOnly = new RoomPrivileges("consult-1", true, false, List.of());
        Token04Verifier.VerifiedToken token = verifier.verify(
                issuer.issue(APP, "patient_1", SECRET, 60, loginOnly, Token04Format.GCM), APP, List.of(SECRET), null);

        token.authorizeLogin("consult-1");
        assertEquals(TokenError.TOKEN_ROOM_NOT_ALLOWED,
                assertThrows(TokenException.class, () -> token.authorizeLogin("consult-2")).error());
        assertEquals(TokenError.TOKEN_PUBLISH_DENIED,
                assertThrows(TokenException.class, () -> token.authorizePublish("consult-1", "s1")).error());

        RoomPrivileges streams = new RoomPrivileges("", true, true, List.of("doctor-7_main"));
        Token04Verifier.VerifiedToken publisher = verifier.verify(
                issuer.issue(APP, "doctor_7", SECRET, 60, streams, Token04Format.CBC), APP, List.of(SECRET), null);
        publisher.authorizePublish("any-room", "doctor-7_main");
        assertEquals(TokenError.TOKEN_STREAM_NOT_ALLOWED,
                assertThrows(TokenException.class, () -> publisher.authorizePublish("any-room", "other")).error());

        RoomPrivileges nothing = RoomPrivileges.parse("{\"room_id\":\"r\"}");
        assertFalse(nothing.loginRoom(), "a payload that leaves a privilege out denies it");
    }

    private static String reframe(byte[] raw, int index, byte value) {
        byte[] copy = raw.clone();
        copy[index] = value;
        return "04" + Base64.getEncoder().encodeToString(copy);
    }
}
