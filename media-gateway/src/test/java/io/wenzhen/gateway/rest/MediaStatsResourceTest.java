package io.wenzhen.gateway.rest;

import static io.restassured.RestAssured.given;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.wenzhen.testing.RealInfrastructureResource;
import io.wenzhen.testing.TestJwts;

/** The SFU's per-stream statistics are for operators and hospital IT only. */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
class MediaStatsResourceTest {

    @Test
    void behindJwtRoles() {
        given().get("/api/v1/media/streams").then().statusCode(401);
        given().auth().oauth2(TestJwts.withRoles("viewer")).get("/api/v1/media/streams").then().statusCode(403);
        given().auth().oauth2(TestJwts.hospitalIt(1)).get("/api/v1/media/streams").then().statusCode(200);
    }

    @Test
    void theGatewayWideFiguresAreMetrics() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String name : new String[] { "wenzhen_sfu_publishers", "wenzhen_sfu_players", "wenzhen_sfu_ingress_bits_per_second" }) {
            if (!metrics.contains(name)) {
                throw new AssertionError(name + " missing from /q/metrics");
            }
        }
    }
}
