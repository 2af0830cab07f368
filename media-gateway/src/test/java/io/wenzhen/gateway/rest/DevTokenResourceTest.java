package io.wenzhen.gateway.rest;

import static io.restassured.RestAssured.given;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.wenzhen.testing.RealInfrastructureResource;

/** Dev tokens are off unless ./wenzhen up turns them on; the SDK and the demo page are served. */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
class DevTokenResourceTest {

    @Test
    void noDevTokensByDefault() {
        given().contentType("application/json").body("{\"appId\":1,\"userID\":\"doctor_7\"}")
                .post("/dev/token").then().statusCode(404);
    }

    @Test
    void theSdkAndTheDemoPageAreServed() {
        given().get("/sdk/index.js").then().statusCode(200);
        given().get("/sdk/engine.js").then().statusCode(200);
        given().get("/demo/").then().statusCode(200);
        given().get("/demo/demo.js").then().statusCode(200);
    }
}
