package io.wenzhen.k8s;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.ws.rs.Path;

import org.apache.kafka.clients.admin.NewTopic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.config.WithDefault;
import io.wenzhen.events.Topics;
import io.wenzhen.gateway.config.GatewayConfig;
import io.wenzhen.gateway.rest.DrainResource;

/**
 * The rendered manifests against the code, each check returning its problems (empty: none): what a
 * schema cannot know — that a probe asks the path the service answers, that a variable sets something
 * the service reads, that the topics are the ones the services create, that a file a service opens is
 * mounted, that the gateway announces the ports it listens on.
 */
final class CrossChecks {

    /** Quarkus's health endpoints, by the probe that asks them. */
    private static final Map<String, String> PROBE_PATHS = Map.of(
            "startupProbe", "/q/health/started", "readinessProbe", "/q/health/ready", "livenessProbe", "/q/health/live");
    /** Read by the image's entrypoint (run-java.sh of the UBI OpenJDK runtime image), not by the service. */
    private static final Set<String> ENTRYPOINT_VARIABLES = Set.of("JAVA_OPTS_APPEND", "JAVA_MAX_MEM_RATIO");
    /** The gateway's drain endpoint (rest/DrainResource) and its default grace (GatewayConfig.drainGrace). */
    private static final String DRAIN_PATH = DrainResource.class.getAnnotation(Path.class).value();
    private static final String DEFAULT_DRAIN_GRACE = defaultDrainGrace();
    /** Quarkus's quarkus.http.idle-timeout when a service does not set it. */
    private static final String QUARKUS_IDLE_TIMEOUT = "30M";
    /** An image reference pinned by digest: name@sha256:64 hex digits. */
    private static final Pattern DIGEST_PINNED = Pattern.compile("[^@\\s]+@sha256:[0-9a-f]{64}");
    /** A property reference in a value: ${name} or ${name:default}. */
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^:}]+)");

    private final Map<String, ServiceSettings> services;

    CrossChecks(Map<String, ServiceSettings> services) {
        this.services = services;
    }

    private static String defaultDrainGrace() {
        try {
            return GatewayConfig.class.getMethod("drainGrace").getAnnotation(WithDefault.class).value();
        } catch (NoSuchMethodException e) {
            throw new AssertionError("GatewayConfig has no drainGrace()", e);
        }
    }

    List<String> all(List<ObjectNode> objects) {
        List<String> problems = new ArrayList<>();
        problems.addAll(probes(objects));
        problems.addAll(variables(objects));
        problems.addAll(topics(objects));
        problems.addAll(secretFiles(objects));
        problems.addAll(gatewayMedia(objects));
        problems.addAll(gatewayDrain(objects));
        problems.addAll(gatewayRelay(objects));
        problems.addAll(turn(objects));
        problems.addAll(images(objects));
        return problems;
    }

    /** Every service runs, and each of its probes asks its health endpoint on the port it serves HTTP on. */
    List<String> probes(List<ObjectNode> objects) {
        List<String> problems = new ArrayList<>();
        for (String service : services.keySet()) {
            JsonNode container = container(objects, service);
            if (container == null) {
                problems.add(service + ": no workload runs it");
                continue;
            }
            int port = Integer.parseInt(services.get(service).property("quarkus.http.port"));
            for (Map.Entry<String, String> probe : PROBE_PATHS.entrySet()) {
                JsonNode get = container.path(probe.getKey()).path("httpGet");
                if (get.isMissingNode()) {
                    problems.add(service + ": no " + probe.getKey());
                    continue;
                }
                if (!probe.getValue().equals(get.path("path").asText())) {
                    problems.add(service + ": " + probe.getKey() + " asks " + get.path("path").asText() + ", the service answers " + probe.getValue());
                }
                int asked = portNumber(container, get.path("port"));
                if (asked != port) {
                    problems.add(service + ": " + probe.getKey() + " asks port " + asked + ", the service serves HTTP on " + port);
                }
            }
        }
        return problems;
    }

    /** Every variable a container sets (env and envFrom ConfigMaps) is a setting its service reads. */
    List<String> variables(List<ObjectNode> objects) {
        List<String> problems = new ArrayList<>();
        for (String service : services.keySet()) {
            JsonNode container = container(objects, service);
            if (container == null) {
                continue;
            }
            List<String> values = new ArrayList<>();
            container.path("env").forEach(env -> values.add(env.path("value").asText("")));
            Map<String, String> variables = new HashMap<>();
            container.path("env").forEach(env -> variables.put(env.path("name").asText(), "env"));
            container.path("envFrom").forEach(from -> {
                String map = from.path("configMapRef").path("name").asText();
                Rendered.find(objects, "ConfigMap", map).ifPresentOrElse(
                        config -> config.path("data").fieldNames().forEachRemaining(key -> variables.put(key, "ConfigMap " + map)),
                        () -> problems.add(service + ": envFrom names ConfigMap " + map + ", which is not in the rendering"));
            });
            for (Map.Entry<String, String> variable : variables.entrySet()) {
                String name = variable.getKey();
                // a variable other values are built from ($(POD_NAME)) is the manifest's own, not the service's
                boolean referenced = values.stream().anyMatch(value -> value.contains("$(" + name + ")"));
                if (!referenced && !ENTRYPOINT_VARIABLES.contains(name) && !services.get(service).reads(name)) {
                    problems.add(service + ": " + name + " (" + variable.getValue() + ") sets nothing the service reads");
                }
            }
        }
        return problems;
    }

    /** A KafkaTopic for each topic Topics creates, with its partitions and policies, and none other. */
    List<String> topics(List<ObjectNode> objects) {
        List<String> problems = new ArrayList<>();
        Set<String> expected = new HashSet<>();
        for (NewTopic topic : Topics.all((short) 1)) {
            expected.add(topic.name());
            var found = Rendered.find(objects, "KafkaTopic", topic.name());
            if (found.isEmpty()) {
                problems.add("topic " + topic.name() + ": no KafkaTopic");
                continue;
            }
            JsonNode spec = found.get().path("spec");
            String name = spec.path("topicName").asText(topic.name());
            if (!name.equals(topic.name())) {
                problems.add("topic " + topic.name() + ": the KafkaTopic names " + name);
            }
            if (spec.path("partitions").asInt() != topic.numPartitions()) {
                problems.add("topic " + topic.name() + ": " + spec.path("partitions").asInt() + " partitions, Topics gives it " + topic.numPartitions());
            }
            Map<String, String> configs = topic.configs() == null ? Map.of() : topic.configs();
            Map<String, String> declared = new HashMap<>();
            spec.path("config").properties().forEach(entry -> declared.put(entry.getKey(), entry.getValue().asText()));
            for (String key : Set.of("cleanup.policy", "retention.ms")) {
                String want = configs.get(key);
                String have = declared.get(key);
                if (want == null ? have != null : !want.equals(have)) {
                    problems.add("topic " + topic.name() + ": " + key + " is " + have + ", Topics gives it " + want);
                }
            }
        }
        objects.stream().filter(o -> "KafkaTopic".equals(o.path("kind").asText()))
                .map(o -> o.path("metadata").path("name").asText())
                .filter(name -> !expected.contains(name))
                .forEach(name -> problems.add("topic " + name + ": a KafkaTopic Topics does not create"));
        return problems;
    }

    /**
     * Every file setting a service reads (key files, JWT keys) points into a mounted volume whose items
     * include that file, and every Secret key a container names is one the secrets are made with.
     */
    List<String> secretFiles(List<ObjectNode> objects) {
        List<String> problems = new ArrayList<>();
        for (String service : services.keySet()) {
            JsonNode container = container(objects, service);
            JsonNode pod = podSpec(objects, service);
            if (container == null) {
                continue;
            }
            ServiceSettings settings = services.get(service);
            Map<String, String> env = new HashMap<>();
            container.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText(null)));
            // the file settings the service reads with a value in its properties: each must be set to a mounted file
            for (String name : settings.names) {
                boolean file = name.endsWith("-file") || name.endsWith(".location");
                String own = settings.property(name);
                if (!file || own == null || own.isBlank() || own.startsWith("${") && own.endsWith(":}")) {
                    continue;
                }
                // ${other:default}: the variable of either name sets it
                String path = env.get(ServiceSettings.env(name));
                Matcher reference = REFERENCE.matcher(own);
                if (path == null && reference.lookingAt()) {
                    path = env.get(ServiceSettings.env(reference.group(1)));
                }
                if (path == null) {
                    problems.add(service + ": " + name + " is left at " + own + ", a path inside the image; set "
                            + ServiceSettings.env(name) + " to a mounted file");
                } else if (!mounted(container, pod, path)) {
                    problems.add(service + ": " + ServiceSettings.env(name) + "=" + path + " is not a file of a mounted volume");
                }
            }
            for (Map.Entry<String, String> variable : env.entrySet()) {
                String path = variable.getValue();
                if (path != null && (variable.getKey().endsWith("_FILE") || variable.getKey().endsWith("_LOCATION"))
                        && !mounted(container, pod, path)) {
                    problems.add(service + ": " + variable.getKey() + "=" + path + " is not a file of a mounted volume");
                }
            }
        }
        return problems;
    }

    /** The gateway listens where it announces: media and RTMP ports, the node's address, its RTMP URLs. */
    List<String> gatewayMedia(List<ObjectNode> objects) {
        List<String> problems = new ArrayList<>();
        JsonNode container = container(objects, "media-gateway");
        if (container == null) {
            return List.of("media-gateway: no workload runs it");
        }
        Map<String, JsonNode> env = new HashMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(), e));
        int mediaPort = Integer.parseInt(value(env, "WENZHEN_GATEWAY_MEDIA_PORT", "40000"));
        int rtmpPort = Integer.parseInt(value(env, "WENZHEN_GATEWAY_RTMP_PORT", "1935"));
        for (String[] port : new String[][] {{"UDP", "" + mediaPort}, {"TCP", "" + mediaPort}, {"TCP", "" + rtmpPort}}) {
            boolean published = false;
            for (JsonNode declared : container.path("ports")) {
                if (declared.path("protocol").asText("TCP").equals(port[0]) && declared.path("containerPort").asText().equals(port[1])) {
                    published = declared.path("hostPort").asText().equals(port[1]);
                }
            }
            if (!published) {
                problems.add("media-gateway: " + port[0] + " " + port[1] + " (what it listens on) is not published on the node as the same hostPort");
            }
        }
        String address = value(env, "WENZHEN_GATEWAY_MEDIA_ADDRESS", "127.0.0.1");
        String hostIp = address.startsWith("$(") ? address.substring(2, address.length() - 1) : null;
        JsonNode source = hostIp == null ? null : env.get(hostIp);
        if (source == null || !"status.hostIP".equals(source.path("valueFrom").path("fieldRef").path("fieldPath").asText())) {
            problems.add("media-gateway: WENZHEN_GATEWAY_MEDIA_ADDRESS (" + address + ") is not the node's address (status.hostIP)");
        }
        // unset, RTMP addresses name the announced address and the RTMP port; set, it must say the same
        String rtmp = value(env, "WENZHEN_GATEWAY_RTMP_PUBLIC_URL", null);
        if (rtmp != null && !rtmp.equals("rtmp://" + address + ":" + rtmpPort)) {
            problems.add("media-gateway: WENZHEN_GATEWAY_RTMP_PUBLIC_URL (" + rtmp + ") is not rtmp://" + address + ":" + rtmpPort);
        }
        // HTTP-FLV goes through the Ingress: its addresses must name the host that routes /live, over TLS
        for (ObjectNode ingress : objects.stream().filter(o -> "Ingress".equals(o.path("kind").asText())).toList()) {
            for (JsonNode rule : ingress.path("spec").path("rules")) {
                boolean live = false;
                for (JsonNode path : rule.path("http").path("paths")) {
                    live |= "/live".equals(path.path("path").asText()) && "media-gateway".equals(path.path("backend").path("service").path("name").asText());
                }
                String flv = value(env, "WENZHEN_GATEWAY_FLV_PUBLIC_URL", null);
                String wanted = "https://" + rule.path("host").asText();
                if (live && !wanted.equals(flv)) {
                    problems.add("media-gateway: WENZHEN_GATEWAY_FLV_PUBLIC_URL (" + flv + ") is not " + wanted
                            + ", the host the Ingress routes /live on");
                }
            }
        }
        JsonNode node = env.get("WENZHEN_GATEWAY_NODE_NAME");
        if (node != null && !"spec.nodeName".equals(node.path("valueFrom").path("fieldRef").path("fieldPath").asText())) {
            problems.add("media-gateway: WENZHEN_GATEWAY_NODE_NAME is not the pod's node (spec.nodeName): the public address of another node would be announced");
        }
        return problems;
    }

    /**
     * Each workload runs the image its service's build makes (quarkus.container-image group, name and
     * tag; an overlay's images: entry may move it to a registry, keeping the name), the build has Jib,
     * and its base image is pinned by digest, the same for every service.
     */
    List<String> images(List<ObjectNode> objects) {
        List<String> problems = new ArrayList<>();
        Set<String> bases = new HashSet<>();
        for (String service : services.keySet()) {
            ServiceSettings settings = services.get(service);
            String name = settings.property("quarkus.container-image.name") != null
                    ? settings.property("quarkus.container-image.name") : settings.property("quarkus.application.name");
            String built = settings.property("quarkus.container-image.group") + "/" + name + ":" + settings.property("quarkus.container-image.tag");
            JsonNode container = container(objects, service);
            if (container != null && !container.path("image").asText().endsWith(built)) {
                problems.add(service + ": runs " + container.path("image").asText() + ", its build makes " + built);
            }
            String base = settings.property("quarkus.jib.base-jvm-image");
            if (base == null || !DIGEST_PINNED.matcher(base).matches()) {
                problems.add(service + ": the image's base (" + base + ") is not pinned by digest");
            }
            bases.add(String.valueOf(base));
            if (!settings.buildsWith("quarkus-container-image-jib")) {
                problems.add(service + ": its build has no quarkus-container-image-jib");
            }
        }
        if (bases.size() > 1) {
            problems.add("the services' images have different bases: " + bases);
        }
        return problems;
    }

    /**
     * Where coturn runs, the gateways hand out its credentials: they know TURN URLs and make the credentials
     * with the very secret coturn checks them with (the same Secret and key its TURN_SECRET reads).
     */
    List<String> turn(List<ObjectNode> objects) {
        JsonNode coturn = container(objects, "coturn");
        if (coturn == null) {
            return List.of(); // no TURN server in this overlay: the gateways hand out none
        }
        List<String> problems = new ArrayList<>();
        JsonNode gateway = container(objects, "media-gateway");
        if (gateway == null) {
            return List.of("media-gateway: no workload runs it");
        }
        Map<String, JsonNode> env = new HashMap<>();
        gateway.path("env").forEach(e -> env.put(e.path("name").asText(), e));
        String urls = value(env, "WENZHEN_GATEWAY_TURN_URLS", "");
        if (urls.isBlank()) {
            problems.add("media-gateway: coturn runs but WENZHEN_GATEWAY_TURN_URLS names no TURN server for clients");
        }
        for (String url : urls.split(",")) {
            if (!url.isBlank() && !url.strip().matches("turns?:.+")) {
                problems.add("media-gateway: WENZHEN_GATEWAY_TURN_URLS has '" + url.strip() + "', not a turn: or turns: URL");
            }
        }
        JsonNode ours = env.getOrDefault("WENZHEN_GATEWAY_TURN_SECRET", MissingNode.getInstance()).path("valueFrom").path("secretKeyRef");
        JsonNode theirs = MissingNode.getInstance();
        for (JsonNode variable : coturn.path("env")) {
            if (variable.path("name").asText().equals("TURN_SECRET")) {
                theirs = variable.path("valueFrom").path("secretKeyRef");
            }
        }
        if (ours.isMissingNode() || !ours.path("name").equals(theirs.path("name")) || !ours.path("key").equals(theirs.path("key"))) {
            problems.add("media-gateway: WENZHEN_GATEWAY_TURN_SECRET is not read from the Secret and key coturn's secret is ("
                    + theirs.path("name").asText("?") + "/" + theirs.path("key").asText("?") + ")");
        }
        return problems;
    }

    /**
     * The gateway drains before it stops: its preStop asks the drain endpoint on its HTTP port, and the
     * drain grace it runs with (its variable, or the code's default) ends before the pod's termination grace.
     */
    List<String> gatewayDrain(List<ObjectNode> objects) {
        List<String> problems = new ArrayList<>();
        JsonNode container = container(objects, "media-gateway");
        JsonNode pod = podSpec(objects, "media-gateway");
        if (container == null) {
            return List.of("media-gateway: no workload runs it");
        }
        JsonNode preStop = container.path("lifecycle").path("preStop").path("httpGet");
        if (!DRAIN_PATH.equals(preStop.path("path").asText())) {
            problems.add("media-gateway: the preStop does not ask " + DRAIN_PATH + " (it asks " + preStop.path("path").asText(null) + ")");
        } else if (portNumber(container, preStop.path("port")) != Integer.parseInt(services.get("media-gateway").property("quarkus.http.port"))) {
            problems.add("media-gateway: the preStop asks another port than the gateway's HTTP port");
        }
        Map<String, JsonNode> env = new HashMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(), e));
        Duration grace = Duration.parse(value(env, "WENZHEN_GATEWAY_DRAIN_GRACE", DEFAULT_DRAIN_GRACE));
        long termination = pod.path("terminationGracePeriodSeconds").asLong(30);
        if (grace.toSeconds() >= termination) {
            problems.add("media-gateway: its drain grace (" + grace + ") does not end before the pod's termination grace (" + termination + " s)");
        }
        // the preStop's request waits silently for the whole drain: an HTTP idle timeout shorter than it cuts it
        String idle = services.get("media-gateway").property("quarkus.http.idle-timeout");
        Duration idleTimeout = quarkusDuration(idle == null ? QUARKUS_IDLE_TIMEOUT : idle);
        if (grace.compareTo(idleTimeout) >= 0) {
            problems.add("media-gateway: its drain grace (" + grace + ") does not end before its HTTP idle timeout (" + idleTimeout
                    + "), which would cut the preStop's request");
        }
        if (!"true".equals(value(env, "WENZHEN_GATEWAY_DRAIN_FROM_NETWORK", "false"))) {
            problems.add("media-gateway: WENZHEN_GATEWAY_DRAIN_FROM_NETWORK is not true: the kubelet's preStop, from the node, would be refused");
        }
        return problems;
    }

    /**
     * Gateways relay clients to a room's home (docs/architecture.md, "Placement and failover"): each announces
     * its pod's address and HTTP port as its signaling URL, and a NetworkPolicy lets gateways reach that port on
     * each other, both ways (default-deny covers ingress and egress).
     */
    List<String> gatewayRelay(List<ObjectNode> objects) {
        List<String> problems = new ArrayList<>();
        JsonNode container = container(objects, "media-gateway");
        if (container == null) {
            return List.of("media-gateway: no workload runs it");
        }
        int http = Integer.parseInt(services.get("media-gateway").property("quarkus.http.port"));
        Map<String, JsonNode> env = new HashMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(), e));
        String url = value(env, "WENZHEN_GATEWAY_SIGNALING_URL", "");
        Matcher reference = Pattern.compile("^ws://\\$\\(([A-Z_]+)\\):(\\d+)/ws$").matcher(url);
        if (!reference.matches()) {
            problems.add("media-gateway: WENZHEN_GATEWAY_SIGNALING_URL (" + url + ") is not ws://$(<the pod's address>):" + http + "/ws");
        } else {
            JsonNode address = env.get(reference.group(1));
            if (address == null || !"status.podIP".equals(address.path("valueFrom").path("fieldRef").path("fieldPath").asText())) {
                problems.add("media-gateway: WENZHEN_GATEWAY_SIGNALING_URL's $(" + reference.group(1) + ") is not the pod's address (status.podIP)");
            }
            if (Integer.parseInt(reference.group(2)) != http) {
                problems.add("media-gateway: WENZHEN_GATEWAY_SIGNALING_URL's port " + reference.group(2) + " is not its HTTP port " + http);
            }
        }
        if (!value(env, "WENZHEN_GATEWAY_PUBLIC_URL", "").startsWith("wss://")) {
            problems.add("media-gateway: WENZHEN_GATEWAY_PUBLIC_URL is not a wss:// address for clients");
        }
        Matcher pipeHost = Pattern.compile("^\\$\\(([A-Z_]+)\\)$").matcher(value(env, "WENZHEN_GATEWAY_PIPE_HOST", ""));
        JsonNode pipeAddress = pipeHost.matches() ? env.get(pipeHost.group(1)) : null;
        if (pipeAddress == null || !"status.podIP".equals(pipeAddress.path("valueFrom").path("fieldRef").path("fieldPath").asText())) {
            problems.add("media-gateway: WENZHEN_GATEWAY_PIPE_HOST is not $(<the pod's address>): other gateways could not reach its pipes");
        }
        int pipe = Integer.parseInt(value(env, "WENZHEN_GATEWAY_PIPE_PORT", "40001")); // the gateway's default
        boolean ingress = false;
        boolean egress = false;
        boolean pipesIn = false;
        boolean pipesOut = false;
        for (ObjectNode policy : objects) {
            if (!policy.path("kind").asText().equals("NetworkPolicy")
                    || !"media-gateway".equals(policy.at("/spec/podSelector/matchLabels/app.kubernetes.io~1name").asText())) {
                continue;
            }
            ingress |= allows(policy.at("/spec/ingress"), "from", "TCP", http);
            egress |= allows(policy.at("/spec/egress"), "to", "TCP", http);
            pipesIn |= allows(policy.at("/spec/ingress"), "from", "UDP", pipe);
            pipesOut |= allows(policy.at("/spec/egress"), "to", "UDP", pipe);
        }
        if (!ingress || !egress) {
            problems.add("media-gateway: no NetworkPolicy lets gateways reach each other's port " + http + " (" + (ingress ? "egress" : "ingress")
                    + " missing): relays to a room's home would be dropped");
        }
        if (!pipesIn || !pipesOut) {
            problems.add("media-gateway: no NetworkPolicy lets gateways reach each other's pipe port UDP " + pipe + " ("
                    + (pipesIn ? "egress" : "ingress") + " missing): a drain could not move its calls");
        }
        return problems;
    }

    /** Whether one of these rules names media-gateway pods (only) as its peers and the port. */
    private static boolean allows(JsonNode rules, String side, String protocol, int port) {
        for (JsonNode rule : rules) {
            boolean peers = false;
            for (JsonNode peer : rule.path(side)) {
                peers |= "media-gateway".equals(peer.at("/podSelector/matchLabels/app.kubernetes.io~1name").asText());
            }
            boolean onPort = false;
            for (JsonNode allowed : rule.path("ports")) {
                onPort |= allowed.path("port").asInt() == port && protocol.equals(allowed.path("protocol").asText("TCP"));
            }
            if (peers && onPort) {
                return true;
            }
        }
        return false;
    }

    /** A Quarkus duration: ISO-8601, or a number with a unit (30M, 10S) read as PT30M. */
    private static Duration quarkusDuration(String text) {
        return text.startsWith("P") ? Duration.parse(text) : Duration.parse("PT" + text.toUpperCase());
    }

    private static String value(Map<String, JsonNode> env, String name, String otherwise) {
        JsonNode variable = env.get(name);
        return variable == null || !variable.has("value") ? otherwise : variable.path("value").asText();
    }

    private static boolean mounted(JsonNode container, JsonNode pod, String path) {
        for (JsonNode mount : container.path("volumeMounts")) {
            String at = mount.path("mountPath").asText();
            if (!path.startsWith(at + "/")) {
                continue;
            }
            String file = path.substring(at.length() + 1);
            for (JsonNode volume : pod.path("volumes")) {
                if (!volume.path("name").asText().equals(mount.path("name").asText())) {
                    continue;
                }
                JsonNode items = volume.path("secret").path("items");
                if (volume.has("secret") && items.isArray() && !items.isEmpty()) {
                    for (JsonNode item : items) {
                        if (item.path("path").asText().equals(file)) {
                            return true;
                        }
                    }
                    return false;
                }
                return true; // a whole volume (every key of a Secret, an emptyDir, a claim)
            }
        }
        return false;
    }

    private static int portNumber(JsonNode container, JsonNode port) {
        if (port.isInt()) {
            return port.asInt();
        }
        for (JsonNode declared : container.path("ports")) {
            if (declared.path("name").asText().equals(port.asText())) {
                return declared.path("containerPort").asInt();
            }
        }
        return -1;
    }

    static JsonNode podSpec(List<ObjectNode> objects, String service) {
        for (ObjectNode object : objects) {
            String kind = object.path("kind").asText();
            if ((kind.equals("Deployment") || kind.equals("StatefulSet") || kind.equals("DaemonSet"))
                    && object.path("metadata").path("name").asText().equals(service)) {
                return object.path("spec").path("template").path("spec");
            }
        }
        return null;
    }

    static JsonNode container(List<ObjectNode> objects, String service) {
        JsonNode pod = podSpec(objects, service);
        if (pod == null) {
            return null;
        }
        for (JsonNode container : pod.path("containers")) {
            if (container.path("name").asText().equals(service)) {
                return container;
            }
        }
        return null;
    }
}
