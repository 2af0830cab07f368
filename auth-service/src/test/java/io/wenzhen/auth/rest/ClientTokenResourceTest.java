package io.wenzhen.auth.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.wenzhen.testing.RealInfrastructureResource;
import io.wenzhen.token04.Token04Claims;
import io.wenzhen.token04.Token04Codec;
import io.wenzhen.token04.Token04Format;

/** Client tokens through the running service, against real PostgreSQL and Kafka. */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
class ClientTokenResourceTest {

    long appId;
    String secret;
    String service;

    @BeforeEach
    void app() {
        JsonPath created = Admin.createApp("tokens");
        appId = created.getLong("appId");
        secret = created.getString("serverSecret");
        service = Admin.serviceToken("service");
    }

    ValidatableResponse issue(String appCredentials, Map<String, Object> body) {
        return given().header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                appCredentials.getBytes(StandardCharsets.UTF_8))).contentType(ContentType.JSON).body(body)
                .post("/api/v1/tokens").then();
    }

    ValidatableResponse verify(String token, Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(extra);
        body.put("appId", appId);
        body.put("token", token);
        return given().auth().oauth2(service).contentType(ContentType.JSON).body(body)
                .post("/api/v1/tokens/verify").then().statusCode(200);
    }

    void refused(String token, String error, int code) {
        verify(token, Map.of()).body("valid", equalTo(false)).body("error", equalTo(error)).body("code", equalTo(code));
    }

    long now() {
        return System.currentTimeMillis() / 1000;
    }

    @Test
    void issuesTokensThatVerifyWithTheirPrivileges() {
        String gcm = issue(appId + ":" + secret, Map.of("userId", "doctor_7", "effectiveTimeInSeconds", 600,
                "roomId", "consult-1", "privileges", Map.of("loginRoom", true, "publishStream", true),
                "streamIdList", List.of("doctor-7_main"))).statusCode(200).body("token", startsWith("04"))
                .body("format", equalTo("GCM")).extract().path("token");
        verify(gcm, Map.of("userId", "doctor_7", "roomId", "consult-1", "streamId", "doctor-7_main"))
                .body("valid", equalTo(true)).body("format", equalTo("GCM")).body("roomId", equalTo("consult-1"))
                .body("streamIdList[0]", equalTo("doctor-7_main"));
        verify(gcm, Map.of("roomId", "consult-2")).body("error", equalTo("TOKEN_ROOM_NOT_ALLOWED"));
        verify(gcm, Map.of("roomId", "consult-1", "streamId", "other")).body("error", equalTo("TOKEN_STREAM_NOT_ALLOWED"));
        verify(gcm, Map.of("userId", "patient_1")).body("error", equalTo("TOKEN_USER_MISMATCH")).body("code", equalTo(10109));

        JsonPath basicCbc = issue(appId + ":" + secret, Map.of("userId", "patient_1", "format", "cbc",
                "effectiveTimeInSeconds", 900)).statusCode(200).body("format", equalTo("CBC")).extract().jsonPath();
        long sealedExpiry = verify(basicCbc.getString("token"), Map.of("roomId", "any-room", "streamId", "any-stream"))
                .body("valid", equalTo(true)).body("format", equalTo("CBC")).extract().jsonPath().getLong("expireTime");
        assertEquals(sealedExpiry, basicCbc.getLong("expireTime"), "the answer's expireTime is the sealed one");
        assertTrue(Math.abs(sealedExpiry - (now() + 900)) <= 5);
    }

    @Test
    void acceptsATokenMadeByOpensslForTheAppsSecret() throws Exception {
        // what a hospital back end running ZEGO's CBC assistant would send: made here without our code
        long expire = now() + 600;
        String json = "{\"app_id\":" + appId + ",\"user_id\":\"patient_9\",\"nonce\":1234,\"ctime\":" + now()
                + ",\"expire\":" + expire + ",\"payload\":\"\"}";
        byte[] iv = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        Process openssl = new ProcessBuilder("openssl", "enc", "-aes-256-cbc", "-K",
                HexFormat.of().formatHex(secret.getBytes(StandardCharsets.US_ASCII)), "-iv", HexFormat.of().formatHex(iv))
                .start();
        openssl.getOutputStream().write(json.getBytes(StandardCharsets.UTF_8));
        openssl.getOutputStream().close();
        byte[] ciphertext = openssl.getInputStream().readAllBytes();
        openssl.waitFor(10, TimeUnit.SECONDS);
        assertEquals(0, openssl.exitValue(), "openssl enc must be installed (CI installs it)");
        byte[] raw = ByteBuffer.allocate(8 + 2 + 16 + 2 + ciphertext.length).putLong(expire).putShort((short) 16).put(iv)
                .putShort((short) ciphertext.length).put(ciphertext).array();

        verify("04" + Base64.getEncoder().encodeToString(raw), Map.of("userId", "patient_9"))
                .body("valid", equalTo(true)).body("userId", equalTo("patient_9"));
    }

    @Test
    void refusesEveryKindOfBadTokenWithItsOwnCode() {
        Token04Claims fine = new Token04Claims(appId, "u1", 1, now(), now() + 600, "");
        String good = Token04Codec.encode(fine, secret, Token04Format.GCM);
        verify(good, Map.of()).body("valid", equalTo(true));

        refused(Token04Codec.encode(new Token04Claims(appId, "u1", 1, now() - 7200, now() - 60, ""), secret,
                Token04Format.CBC), "TOKEN_EXPIRED", 10106);
        refused(Token04Codec.encode(new Token04Claims(appId, "u1", 1, now() + 3600, now() + 7200, ""), secret,
                Token04Format.GCM), "TOKEN_NOT_YET_VALID", 10107);
        byte[] raw = Base64.getDecoder().decode(good.substring(2));
        raw[7] ^= 1;
        refused("04" + Base64.getEncoder().encodeToString(raw), "TOKEN_TAMPERED", 10105);
        refused(Token04Codec.encode(new Token04Claims(appId + 1, "u1", 1, now(), now() + 600, ""), secret,
                Token04Format.GCM), "TOKEN_APP_MISMATCH", 10108);
        refused(Token04Codec.encode(fine, "ffffffffffffffffffffffffffffffff", Token04Format.GCM), "TOKEN_UNDECRYPTABLE", 10104);
        refused("04%%%not-base64%%%", "TOKEN_MALFORMED", 10101);
        refused(good.substring(0, 30), "TOKEN_TRUNCATED", 10102);
        refused("04" + "A".repeat(5000), "TOKEN_OVERSIZED", 10103);
    }

    @Test
    void rotatedOutSecretStillVerifiesDuringTheGracePeriodButIssuesNothing() {
        String before = issue(appId + ":" + secret, Map.of("userId", "u1")).statusCode(200).extract().path("token");
        String newSecret = given().auth().oauth2(Admin.token()).post("/api/v1/apps/" + appId + "/secret/rotate")
                .then().statusCode(200).extract().path("serverSecret");

        verify(before, Map.of()).body("valid", equalTo(true));
        issue(appId + ":" + secret, Map.of("userId", "u1")).statusCode(401).body("code", equalTo(10003));
        issue(appId + ":" + newSecret, Map.of("userId", "u1")).statusCode(200);
    }

    @Test
    void refusesBadCredentialsRequestsAndDisabledApps() {
        issue(appId + ":" + "0".repeat(32), Map.of("userId", "u1")).statusCode(401).body("error", equalTo("APP_CREDENTIALS_INVALID"));
        issue("123:" + secret, Map.of("userId", "u1")).statusCode(401).body("code", equalTo(10003));
        given().contentType(ContentType.JSON).body(Map.of("userId", "u1")).post("/api/v1/tokens").then().statusCode(401);
        issue(appId + ":" + secret, Map.of("userId", "")).statusCode(400).body("code", equalTo(10001));
        issue(appId + ":" + secret, Map.of("userId", "x".repeat(65))).statusCode(400).body("code", equalTo(10001));
        issue(appId + ":" + secret, Map.of("userId", "u1", "effectiveTimeInSeconds", 0)).statusCode(400);
        issue(appId + ":" + secret, Map.of("userId", "u1", "format", "rsa")).statusCode(400);

        String token = issue(appId + ":" + secret, Map.of("userId", "u1")).statusCode(200).extract().path("token");
        given().auth().oauth2(Admin.token()).post("/api/v1/apps/" + appId + "/disable").then().statusCode(200);
        issue(appId + ":" + secret, Map.of("userId", "u1")).statusCode(403).body("error", equalTo("APP_DISABLED"));
        given().auth().oauth2(service).contentType(ContentType.JSON).body(Map.of("appId", appId, "token", token))
                .post("/api/v1/tokens/verify").then().statusCode(403).body("code", equalTo(10005));
    }

    @Test
    void verifyingNeedsAServiceOrAdminJwt() {
        given().contentType(ContentType.JSON).body(Map.of("appId", appId, "token", "04AAAA"))
                .post("/api/v1/tokens/verify").then().statusCode(401);
        given().auth().oauth2(Admin.serviceToken("hospital-it")).contentType(ContentType.JSON)
                .body(Map.of("appId", appId, "token", "04AAAA")).post("/api/v1/tokens/verify").then().statusCode(403);
    }
}
