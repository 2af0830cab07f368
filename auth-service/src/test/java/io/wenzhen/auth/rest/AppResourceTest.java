package io.wenzhen.auth.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.wenzhen.testing.RealInfrastructure;
import io.wenzhen.testing.RealInfrastructureResource;

@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
class AppResourceTest {

    @Test
    void createsAnAppWithAZegoShapedIdAndSecretShownOnce() throws Exception {
        JsonPath created = Admin.createApp("Ruijin tele-consultation");
        long appId = created.getLong("appId");
        String secret = created.getString("serverSecret");

        assertTrue(appId >= 1_000_000_000L && appId <= 4_294_967_295L, "AppID " + appId);
        assertTrue(secret.matches("[0-9a-f]{32}"), "a 32-character hex ServerSecret");
        assertEquals("ACTIVE", created.getString("status"));
        assertEquals(4, created.getInt("maxMembersPerRoom"));

        given().auth().oauth2(Admin.token()).get("/api/v1/apps/" + appId).then().statusCode(200)
                .body("name", equalTo("Ruijin tele-consultation")).body("serverSecret", nullValue());
        JsonPath all = given().auth().oauth2(Admin.token()).get("/api/v1/apps").then().statusCode(200)
                .body("serverSecret", not(hasItem(notNullValue()))).extract().jsonPath();
        assertTrue(all.getList("appId", Long.class).contains(appId));

        // at rest the secret is sealed, never the plaintext
        try (Connection db = DriverManager.getConnection(RealInfrastructure.get().jdbcUrl(), "wenzhen",
                RealInfrastructure.get().postgres().password());
                PreparedStatement query = db.prepareStatement("select secret_sealed from auth.app where app_id = ?")) {
            query.setLong(1, appId);
            try (ResultSet row = query.executeQuery()) {
                assertTrue(row.next());
                assertTrue(row.getString(1).startsWith("v1."));
                assertFalse(row.getString(1).contains(secret));
            }
        }
    }

    @Test
    void rotatesTheSecretAndKeepsThePreviousForAGracePeriod() {
        JsonPath created = Admin.createApp("rotation");
        long appId = created.getLong("appId");

        JsonPath rotated = given().auth().oauth2(Admin.token()).post("/api/v1/apps/" + appId + "/secret/rotate")
                .then().statusCode(200).body("previousSecretValidUntil", notNullValue()).body("revision", equalTo(2))
                .extract().jsonPath();

        assertTrue(rotated.getString("serverSecret").matches("[0-9a-f]{32}"));
        assertFalse(rotated.getString("serverSecret").equals(created.getString("serverSecret")));
    }

    @Test
    void disablesAndEnables() {
        long appId = Admin.createApp("toggle").getLong("appId");

        given().auth().oauth2(Admin.token()).post("/api/v1/apps/" + appId + "/disable").then().statusCode(200)
                .body("status", equalTo("DISABLED"));
        given().auth().oauth2(Admin.token()).post("/api/v1/apps/" + appId + "/enable").then().statusCode(200)
                .body("status", equalTo("ACTIVE")).body("revision", equalTo(3));
    }

    @Test
    void refusesBadInputWithDocumentedCodes() {
        given().auth().oauth2(Admin.token()).contentType(ContentType.JSON).body(Map.of("name", ""))
                .post("/api/v1/apps").then().statusCode(400).body("code", equalTo(10001));
        given().auth().oauth2(Admin.token()).contentType(ContentType.JSON)
                .body(Map.of("name", "x", "allowedOrigins", List.of("javascript:alert(1)")))
                .post("/api/v1/apps").then().statusCode(400).body("error", equalTo("INVALID_REQUEST"));
        given().auth().oauth2(Admin.token()).contentType(ContentType.JSON).body("{not json")
                .post("/api/v1/apps").then().statusCode(400).body("code", equalTo(10001));
        given().auth().oauth2(Admin.token()).get("/api/v1/apps/123").then().statusCode(404)
                .body("error", equalTo("APP_NOT_FOUND")).body("code", equalTo(10004));
    }

    @Test
    void requiresAnAdminJwt() {
        given().get("/api/v1/apps").then().statusCode(401);
        given().auth().oauth2("not-a-jwt").get("/api/v1/apps").then().statusCode(401);
        String service = Admin.serviceToken("service");
        String hospitalIt = Admin.serviceToken("hospital-it");
        given().auth().oauth2(service).contentType(ContentType.JSON).body(Map.of("name", "x"))
                .post("/api/v1/apps").then().statusCode(403);
        given().auth().oauth2(hospitalIt).get("/api/v1/apps").then().statusCode(403);
        long appId = Admin.createApp("readable by services").getLong("appId");
        given().auth().oauth2(service).get("/api/v1/apps/" + appId).then().statusCode(200)
                .body("serverSecret", nullValue());
    }

    @Test
    void adminSignInAndServiceTokens() {
        given().contentType(ContentType.JSON).body(Map.of("username", "admin", "password", "wrong-password"))
                .post("/api/v1/admin/login").then().statusCode(401).body("code", equalTo(10002));
        given().contentType(ContentType.JSON).body(Map.of("username", "nobody", "password", "x"))
                .post("/api/v1/admin/login").then().statusCode(401).body("code", equalTo(10002));
        given().auth().oauth2(Admin.token()).contentType(ContentType.JSON)
                .body(Map.of("subject", "gw", "roles", List.of("admin")))
                .post("/api/v1/admin/service-tokens").then().statusCode(400).body("code", equalTo(10001));
        given().auth().oauth2(Admin.serviceToken("service")).contentType(ContentType.JSON)
                .body(Map.of("subject", "gw", "roles", List.of("service")))
                .post("/api/v1/admin/service-tokens").then().statusCode(403);
        given().get("/api/v1/keys/jwt-public").then().statusCode(200)
                .body(matchesPattern("(?s)-----BEGIN PUBLIC KEY-----.*-----END PUBLIC KEY-----\\s*"));
    }

    /** Tenancy: a hospital-it token must name its apps, and carries them as the claim appIds. */
    @Test
    void hospitalItTokensNameTheirApps() {
        given().auth().oauth2(Admin.token()).contentType(ContentType.JSON)
                .body(Map.of("subject", "it", "roles", List.of("hospital-it")))
                .post("/api/v1/admin/service-tokens").then().statusCode(400).body("code", equalTo(10001));
        String token = given().auth().oauth2(Admin.token()).contentType(ContentType.JSON)
                .body(Map.of("subject", "it", "roles", List.of("hospital-it"), "appIds", List.of(7, 9)))
                .post("/api/v1/admin/service-tokens").then().statusCode(200).extract().path("token");
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        Assertions.assertTrue(payload.contains("\"appIds\":[7,9]"), payload);
    }

    /** Password guessing: ten failures for one username, and that username is refused with 429 for a while. */
    @Test
    void failedSignInsAreThrottledPerUsername() {
        for (int i = 0; i < 10; i++) {
            given().contentType(ContentType.JSON).body(Map.of("username", "guessed", "password", "guess-" + i))
                    .post("/api/v1/admin/login").then().statusCode(401).body("code", equalTo(10002));
        }
        given().contentType(ContentType.JSON).body(Map.of("username", "guessed", "password", "guess-10"))
                .post("/api/v1/admin/login").then().statusCode(429).body("code", equalTo(10006))
                .body("error", equalTo("ADMIN_LOGIN_THROTTLED"));
        given().contentType(ContentType.JSON)
                .body(Map.of("username", "admin", "password", RealInfrastructure.get().bootstrapAdminPassword()))
                .post("/api/v1/admin/login").then().statusCode(200); // the address is not locked out for others
    }
}
