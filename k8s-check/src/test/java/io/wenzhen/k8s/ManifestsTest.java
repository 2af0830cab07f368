package io.wenzhen.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Consumer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * k8s/ as a cluster would get it: every overlay renders, matches its schemas strictly and agrees with
 * the code; and each check fails on a manifest broken on purpose (a check that cannot fail checks
 * nothing).
 */
class ManifestsTest {

    private static CrossChecks checks;
    private static Rendered production;

    @BeforeAll
    static void render() {
        checks = new CrossChecks(ServiceSettings.all());
        production = Rendered.of("production");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void everyOverlayMatchesItsSchemasStrictly(String overlay) {
        Rendered rendered = Rendered.of(overlay);
        Command.Run run = Schemas.validate(rendered.file());
        System.out.print(overlay + ": " + run.output());
        assertEquals(0, run.exit(), run.output());
        assertTrue(run.output().contains(rendered.objects().size() + " objects checked"), run.output());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void everyOverlayAgreesWithTheCode(String overlay) {
        List<String> problems = checks.all(Rendered.of(overlay).objects());
        assertEquals(List.of(), problems, overlay + " disagrees with the code");
    }

    @Test
    void theSchemaCheckFailsOnAMisspelledFieldAWrongTypeAMissingFieldAndAnUnknownKind() throws Exception {
        List<ObjectNode> broken = new ArrayList<>(production.copy());
        probe(broken, "auth-service", "readinessProbe").set("periodSecond", probe(broken, "auth-service", "readinessProbe").remove("periodSeconds"));
        ((ObjectNode) Rendered.get(broken, "KafkaTopic", "room-commands").path("spec")).put("partitions", "six");
        ((ObjectNode) Rendered.get(broken, "Cluster", "wenzhen-postgres").path("spec")).remove("instances");
        ObjectNode unknown = Rendered.get(broken, "ConfigMap", "wenzhen-kafka").deepCopy();
        unknown.put("apiVersion", "example.com/v1");
        broken.add(unknown);
        Command.Run run = Schemas.validate(Rendered.write(broken, "broken-schema"));
        System.out.print(run.output());
        assertNotEquals(0, run.exit());
        assertTrue(run.output().contains("Deployment/auth-service") && run.output().contains("'\"periodSecond\"' does not exist"), run.output());
        assertTrue(run.output().contains("KafkaTopic/room-commands") && run.output().contains("partitions"), run.output());
        assertTrue(run.output().contains("Cluster/wenzhen-postgres: data/spec must have required property instances"), run.output());
        assertTrue(run.output().contains("no schema for example.com/v1 ConfigMap"), run.output());
    }

    @Test
    void kustomizeFailsOnAnOverlayThatNamesAMissingBase() throws Exception {
        Path overlay = Rendered.WORK.resolve("k8s/overlays/broken");
        Files.createDirectories(overlay);
        Files.writeString(overlay.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - ../../base/common
                  - ../../base/no-such-service
                """);
        Command.Run run = Command.run(List.of(Kubectl.path().toString(), "kustomize", overlay.toString()));
        assertNotEquals(0, run.exit(), run.output());
        assertTrue(run.output().contains("no-such-service"), run.output());
    }

    @Test
    void theProbeCheckFailsOnAWrongPathOrPort() {
        assertFails(CrossChecks::probes, objects -> ((ObjectNode) probe(objects, "room-service", "livenessProbe").path("httpGet")).put("path", "/health"),
                "room-service: livenessProbe asks /health");
        assertFails(CrossChecks::probes, objects -> ((ObjectNode) probe(objects, "quality-service", "startupProbe").path("httpGet")).put("port", 8080),
                "quality-service: startupProbe asks port 8080, the service serves HTTP on 8083");
    }

    @Test
    void theVariableCheckFailsOnASettingNoServiceReads() {
        assertFails(CrossChecks::variables, objects -> env(objects, "media-gateway").addObject().put("name", "WENZHEN_GATEWAY_MEDIA_ADRESS").put("value", "1.2.3.4"),
                "media-gateway: WENZHEN_GATEWAY_MEDIA_ADRESS (env) sets nothing the service reads");
        assertFails(CrossChecks::variables, objects -> ((ObjectNode) Rendered.get(objects, "ConfigMap", "wenzhen-kafka").path("data")).put("KAFKA_BOOTSTRAP", "x:9092"),
                "KAFKA_BOOTSTRAP (ConfigMap wenzhen-kafka) sets nothing the service reads");
    }

    @Test
    void theTopicCheckFailsOnOtherPartitionsAPolicyAMissingTopicOrAnExtraOne() {
        assertFails(CrossChecks::topics, objects -> ((ObjectNode) Rendered.get(objects, "KafkaTopic", "room-events").path("spec")).put("partitions", 3),
                "topic room-events: 3 partitions, Topics gives it 6");
        assertFails(CrossChecks::topics, objects -> ((ObjectNode) Rendered.get(objects, "KafkaTopic", "apps").path("spec")).remove("config"),
                "topic apps: cleanup.policy is null, Topics gives it compact");
        assertFails(CrossChecks::topics, objects -> objects.remove(Rendered.get(objects, "KafkaTopic", "gateway-heartbeats")),
                "topic gateway-heartbeats: no KafkaTopic");
        assertFails(CrossChecks::topics, objects -> {
            ObjectNode extra = Rendered.get(objects, "KafkaTopic", "room-events").deepCopy();
            ((ObjectNode) extra.path("metadata")).put("name", "room-events-v2");
            objects.add(extra);
        }, "topic room-events-v2: a KafkaTopic Topics does not create");
    }

    @Test
    void theSecretFileCheckFailsOnAFileNotMountedOrASettingLeftInsideTheImage() {
        assertFails(CrossChecks::secretFiles, objects -> {
            ArrayNode items = (ArrayNode) CrossChecks.podSpec(objects, "auth-service").path("volumes").get(1).path("secret").path("items");
            items.remove(3); // cluster.key
        }, "auth-service: WENZHEN_SECRETS_CLUSTER_KEY_FILE=/etc/wenzhen/secrets/cluster.key is not a file of a mounted volume");
        assertFails(CrossChecks::secretFiles, objects -> withoutVariable(objects, "room-service", "MP_JWT_VERIFY_PUBLICKEY_LOCATION"), "room-service: mp.jwt.verify.publickey.location is left at jwt-public.pem");
    }

    @Test
    void theGatewayCheckFailsWhenItAnnouncesOtherPortsOrAnAddressNotTheNodes() {
        assertFails(CrossChecks::gatewayMedia, objects -> ((ObjectNode) container(objects, "media-gateway").path("ports").get(2)).put("hostPort", 40001),
                "media-gateway: TCP 40000 (what it listens on) is not published on the node as the same hostPort");
        assertFails(CrossChecks::gatewayMedia, objects -> variable(objects, "media-gateway", "WENZHEN_GATEWAY_RTMP_PORT").put("value", "1936"), "media-gateway: TCP 1936 (what it listens on) is not published");
        assertFails(CrossChecks::gatewayMedia, objects -> ((ObjectNode) variable(objects, "media-gateway", "HOST_IP").path("valueFrom").path("fieldRef")).put("fieldPath", "status.podIP"), "media-gateway: WENZHEN_GATEWAY_MEDIA_ADDRESS ($(HOST_IP)) is not the node's address (status.hostIP)");
        assertFails(CrossChecks::gatewayMedia, objects -> env(objects, "media-gateway").addObject()
                .put("name", "WENZHEN_GATEWAY_RTMP_PUBLIC_URL").put("value", "rtmp://rtc.wenzhen.example:1935"),
                "media-gateway: WENZHEN_GATEWAY_RTMP_PUBLIC_URL (rtmp://rtc.wenzhen.example:1935) is not rtmp://$(HOST_IP):1935");
        assertFails(CrossChecks::gatewayMedia, objects -> ((ObjectNode) variable(objects, "media-gateway", "WENZHEN_GATEWAY_NODE_NAME").path("valueFrom").path("fieldRef"))
                .put("fieldPath", "metadata.name"), "media-gateway: WENZHEN_GATEWAY_NODE_NAME is not the pod's node");
        assertFails(CrossChecks::gatewayMedia, objects -> ((ObjectNode) Rendered.get(objects, "Ingress", "wenzhen").path("spec").path("rules").get(0))
                .put("host", "video.hospital.example"),
                "media-gateway: WENZHEN_GATEWAY_FLV_PUBLIC_URL (https://rtc.wenzhen.example) is not https://video.hospital.example");
    }

    @Test
    void theDrainCheckFailsWithoutThePreStopOrWithAGraceLongerThanThePods() {
        assertFails(CrossChecks::gatewayDrain, objects -> container(objects, "media-gateway").remove("lifecycle"),
                "media-gateway: the preStop does not ask /internal/drain");
        assertFails(CrossChecks::gatewayDrain, objects -> ((ObjectNode) CrossChecks.podSpec(objects, "media-gateway"))
                .put("terminationGracePeriodSeconds", 600), "media-gateway: its drain grace (PT25M) does not end before the pod's termination grace (600 s)");
        assertFails(CrossChecks::gatewayDrain, objects -> {
            ((ObjectNode) CrossChecks.podSpec(objects, "media-gateway")).put("terminationGracePeriodSeconds", 3600);
            env(objects, "media-gateway").addObject().put("name", "WENZHEN_GATEWAY_DRAIN_GRACE").put("value", "PT40M");
        }, "media-gateway: its drain grace (PT40M) does not end before its HTTP idle timeout (PT30M)");
        assertFails(CrossChecks::gatewayDrain, objects -> withoutVariable(objects, "media-gateway", "WENZHEN_GATEWAY_DRAIN_FROM_NETWORK"), "WENZHEN_GATEWAY_DRAIN_FROM_NETWORK is not true");
    }

    @Test
    void theRelayCheckFailsWithoutThePodsAddressOrThePolicyBetweenGateways() {
        assertFails(CrossChecks::gatewayRelay, objects -> ((ObjectNode) variable(objects, "media-gateway", "POD_IP").path("valueFrom").path("fieldRef"))
                .put("fieldPath", "status.hostIP"), "media-gateway: WENZHEN_GATEWAY_SIGNALING_URL's $(POD_IP) is not the pod's address (status.podIP)");
        assertFails(CrossChecks::gatewayRelay, objects -> variable(objects, "media-gateway", "WENZHEN_GATEWAY_SIGNALING_URL")
                .put("value", "ws://$(POD_IP):8081/ws"), "media-gateway: WENZHEN_GATEWAY_SIGNALING_URL's port 8081 is not its HTTP port 8080");
        assertFails(CrossChecks::gatewayRelay, objects -> objects.remove(Rendered.get(objects, "NetworkPolicy", "media-gateway-relay")),
                "media-gateway: no NetworkPolicy lets gateways reach each other's port 8080 (ingress missing)");
        assertFails(CrossChecks::gatewayRelay, objects -> ((ObjectNode) Rendered.get(objects, "NetworkPolicy", "media-gateway-relay").path("spec"))
                .remove("egress"), "(egress missing)");
        assertFails(CrossChecks::gatewayRelay, objects -> variable(objects, "media-gateway", "WENZHEN_GATEWAY_PIPE_HOST")
                .put("value", "$(HOST_IP)"), "media-gateway: WENZHEN_GATEWAY_PIPE_HOST is not $(<the pod's address>)");
        assertFails(CrossChecks::gatewayRelay, objects -> variable(objects, "media-gateway", "WENZHEN_GATEWAY_PIPE_PORT")
                .put("value", "40002"), "media-gateway: no NetworkPolicy lets gateways reach each other's pipe port UDP 40002 (ingress missing)");
    }

    @Test
    void theTurnCheckFailsWithoutUrlsOrWithASecretOtherThanCoturns() {
        assertFails(CrossChecks::turn, objects -> withoutVariable(objects, "media-gateway", "WENZHEN_GATEWAY_TURN_URLS"),
                "media-gateway: coturn runs but WENZHEN_GATEWAY_TURN_URLS names no TURN server");
        assertFails(CrossChecks::turn, objects -> variable(objects, "media-gateway", "WENZHEN_GATEWAY_TURN_URLS").put("value", "stun:turn.wenzhen.example"),
                "not a turn: or turns: URL");
        assertFails(CrossChecks::turn, objects -> ((ObjectNode) variable(objects, "media-gateway", "WENZHEN_GATEWAY_TURN_SECRET")
                .path("valueFrom").path("secretKeyRef")).put("key", "stream-key.secret"),
                "media-gateway: WENZHEN_GATEWAY_TURN_SECRET is not read from the Secret and key coturn's secret is (wenzhen-turn/static-auth-secret)");
    }

    @Test
    void theImageCheckFailsOnAnImageTheBuildDoesNotMake() {
        assertFails(CrossChecks::images, objects -> container(objects, "room-service").put("image", "wenzhen/room-service:latest"),
                "room-service: runs wenzhen/room-service:latest, its build makes wenzhen/room-service:0.1.0");
        assertFails(CrossChecks::images, objects -> container(objects, "auth-service").put("image", "registry.hospital.example/wenzhen/auth-sevice:0.1.0"),
                "auth-service: runs registry.hospital.example/wenzhen/auth-sevice:0.1.0");
    }

    private static void assertFails(BiFunction<CrossChecks, List<ObjectNode>, List<String>> check,
            Consumer<List<ObjectNode>> breakIt, String expected) {
        assertEquals(List.of(), check.apply(checks, production.objects()), "the unbroken production overlay passes");
        List<ObjectNode> broken = new ArrayList<>(production.copy());
        breakIt.accept(broken);
        List<String> problems = check.apply(checks, broken);
        assertTrue(problems.stream().anyMatch(problem -> problem.contains(expected)), "expected «" + expected + "» in " + problems);
    }

    private static ObjectNode container(List<ObjectNode> objects, String service) {
        return (ObjectNode) CrossChecks.container(objects, service);
    }

    private static ArrayNode env(List<ObjectNode> objects, String service) {
        return (ArrayNode) container(objects, service).path("env");
    }

    /** A container's variable by name; the test is wrong if the manifest does not set it. */
    private static ObjectNode variable(List<ObjectNode> objects, String service, String name) {
        for (JsonNode variable : env(objects, service)) {
            if (variable.path("name").asText().equals(name)) {
                return (ObjectNode) variable;
            }
        }
        throw new AssertionError(service + " sets no " + name + " to break");
    }

    private static void withoutVariable(List<ObjectNode> objects, String service, String name) {
        ArrayNode env = env(objects, service);
        for (int i = 0; i < env.size(); i++) {
            if (env.get(i).path("name").asText().equals(name)) {
                env.remove(i);
                return;
            }
        }
        throw new AssertionError(service + " sets no " + name + " to remove");
    }

    private static ObjectNode probe(List<ObjectNode> objects, String service, String probe) {
        return (ObjectNode) container(objects, service).path(probe);
    }
}
