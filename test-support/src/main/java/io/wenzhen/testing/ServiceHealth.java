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
        // a service may take a few seconds after start to become ready (quality-service's Kafka Streams joins its group)
        for (int i = 0; i < 300 && (given().when().get("/q/health/ready").statusCode() != 200
                || given().when().get("/q/health/live").statusCode() != 200); i++) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        var body = given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        body.body("checks.findAll { it.status == 'UP' }.name", hasItems(checks));
    }

    public static void assertOperatorEndpoints() {
        given().when().get("/q/metrics").then().statusCode(200);
        given().when().get("/q/openapi").then().statusCode(200);
    }
}
