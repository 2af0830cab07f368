package io.wenzhen.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.wenzhen.gateway.config.GatewayIdentity;
import io.wenzhen.gateway.peers.RelayCredentials;
import io.wenzhen.gateway.webrtc.PipePort;
import io.wenzhen.gateway.webrtc.Sfu;
import io.wenzhen.testing.RealInfrastructureResource;

/**
 * The pipe control endpoint is for the gateways of this cluster only: unsigned, misdirected, altered or
 * replayed requests are refused before anything is opened; a signed offer opens a pipe and a piped
 * publication, and its answer is signed for that request.
 */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
class PipeResourceTest {

    @Inject
    RelayCredentials credentials;

    @Inject
    GatewayIdentity identity;

    @Inject
    Sfu sfu;

    @Inject
    PipePort pipes;

    @Test
    void onlyASignedOfferOfTheClusterForThisGatewayOpensAPipe() throws Exception {
        try (DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            String room = "1/pipe-" + UUID.randomUUID();
            String offer = "{\"pipeId\":12345,\"salt\":\"" + Base64.getEncoder().encodeToString(new byte[32]) + "\",\"roomKey\":\"" + room
                    + "\",\"streamId\":\"doctor_7_main\",\"ownerSession\":\"s-a\",\"ownerUser\":\"doctor_7\",\"tracks\":[{\"kind\":\"video\","
                    + "\"ssrc\":4660,\"codec\":\"H264\",\"payloadType\":102}],\"extensions\":{},\"pipeAddress\":\"127.0.0.1:"
                    + peer.getLocalPort() + "\"}";
            int opened = pipes.pipes();

            given().contentType("application/json").body(offer).post("/internal/v1/pipes").then().statusCode(403);
            signed(offer, "another-gateway").body(offer).post("/internal/v1/pipes").then().statusCode(403);
            signed(offer, identity.id()).body(offer.replace("doctor_7_main", "patient_1_main")).post("/internal/v1/pipes").then()
                    .statusCode(403);
            assertEquals(opened, pipes.pipes(), "nothing opened for a refused request");
            assertEquals(null, sfu.source(room, "doctor_7_main"));

            Map<String, String> headers = headers(offer, identity.id());
            var response = given().contentType("application/json").headers(headers).body(offer).post("/internal/v1/pipes").then()
                    .statusCode(200).extract();
            String answer = response.asString();
            assertTrue(answer.contains(":" + pipes.port()), "the answer names this gateway's pipe port: " + answer);
            assertTrue(credentials.answerVerifies(headers.get(RelayCredentials.SIGNATURE), answer.getBytes(StandardCharsets.UTF_8),
                    response.header(RelayCredentials.ANSWER_SIGNATURE)), "the answer is signed for this request");
            assertNotNull(sfu.source(room, "doctor_7_main"), "the stream is playable here");
            assertEquals(opened + 1, pipes.pipes());
            given().contentType("application/json").headers(headers).body(offer).post("/internal/v1/pipes").then().statusCode(403);
            String again = offer.replace("\"pipeId\":12345", "\"pipeId\":12346");
            signed(again, identity.id()).body(again).post("/internal/v1/pipes").then().statusCode(409);
            assertEquals(opened + 1, pipes.pipes(), "a replayed or second offer of the stream opens nothing");

            String request = "{\"roomKey\":\"" + room + "\",\"streamId\":\"nobody_main\"}";
            given().contentType("application/json").body(request).post("/internal/v1/pipes/requests").then().statusCode(403);
            signed(request, identity.id()).body(request).post("/internal/v1/pipes/requests").then().statusCode(404);
        }
    }

    private RequestSpecification signed(String body, String to) throws Exception {
        return given().contentType("application/json").headers(headers(body, to));
    }

    private Map<String, String> headers(String body, String to) throws Exception {
        String digest = "pipe:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
        return credentials.headers("gateway-peer", to, null, digest, System.currentTimeMillis() / 1000);
    }
}
