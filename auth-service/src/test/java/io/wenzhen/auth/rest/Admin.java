package io.wenzhen.auth.rest;

import static io.restassured.RestAssured.given;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.wenzhen.testing.RealInfrastructure;

/** Test-side calls to auth-service's admin API, signed in as the bootstrap admin. */
final class Admin {

    private static String token;

    private Admin() {
    }

    static synchronized String token() {
        if (token == null) {
            token = given().contentType(ContentType.JSON)
                    .body(Map.of("username", "admin", "password", RealInfrastructure.get().bootstrapAdminPassword()))
                    .post("/api/v1/admin/login").then().statusCode(200).extract().path("token");
        }
        return token;
    }

    static String serviceToken(String... roles) {
        Map<String, Object> request = new HashMap<>(Map.of("subject", "test-" + String.join("-", roles),
                "roles", List.of(roles), "validitySeconds", 600));
        if (List.of(roles).contains("hospital-it")) {
            request.put("appIds", List.of(1)); // a hospital-it token names its apps
        }
        return given().auth().oauth2(token()).contentType(ContentType.JSON).body(request)
                .post("/api/v1/admin/service-tokens").then().statusCode(200).extract().path("token");
    }

    /** Creates an app and returns the creation answer (the only one holding the ServerSecret). */
    static JsonPath createApp(String name) {
        return given().auth().oauth2(token()).contentType(ContentType.JSON)
                .body(Map.of("name", name, "allowedOrigins", List.of("https://hospital.example"), "maxMembersPerRoom", 4))
                .post("/api/v1/apps").then().statusCode(201).extract().jsonPath();
    }
}
