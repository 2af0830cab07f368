package io.wenzhen.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

/** What every service promises operators: live, ready with named checks, metrics and OpenAPI. */
public final class ServiceHealth {

    private ServiceHealth() {
    }

    /** Ready is UP and names each of {@code checks} (e.g. the Kafka and database checks) as UP. */
    public static void assertReadyWith(String... checks) {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        var body = given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        body.body("checks.findAll { it.status == 'UP' }.name", hasItems(checks));
    }

    public static void assertOperatorEndpoints() {
        given().when().get("/q/metrics").then().statusCode(200);
        given().when().get("/q/openapi").then().statusCode(200);
    }
}
