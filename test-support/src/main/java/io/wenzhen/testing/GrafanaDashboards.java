package io.wenzhen.testing;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Grafana dashboards in k8s/components/monitoring/dashboards query metrics by name; this checks that the service under
 * test really serves every metric of a prefix they use, so a renamed metric breaks a test, not a
 * hospital's dashboard.
 */
public final class GrafanaDashboards {

    private static final Pattern METRIC = Pattern.compile("\\b(wenzhen_[a-z0-9_]+)");

    private GrafanaDashboards() {
    }

    /** Every metric named in the dashboards that starts with {@code prefix} is in this service's /q/metrics. */
    public static void assertServed(String prefix) {
        Set<String> wanted = new TreeSet<>();
        for (String dashboard : dashboards()) {
            Matcher matcher = METRIC.matcher(dashboard);
            while (matcher.find()) {
                if (matcher.group(1).startsWith(prefix)) {
                    wanted.add(matcher.group(1));
                }
            }
        }
        if (wanted.isEmpty()) {
            throw new AssertionError("no dashboard uses a metric starting with " + prefix);
        }
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        List<String> missing = new ArrayList<>();
        for (String name : wanted) {
            if (metrics.lines().noneMatch(line -> line.startsWith(name + "{") || line.startsWith(name + " "))) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            Set<String> served = new TreeSet<>();
            metrics.lines().filter(line -> line.startsWith(prefix)).forEach(line -> served.add(line.split("[{ ]")[0]));
            throw new AssertionError("the dashboards use metrics this service does not serve: " + missing + " (it serves " + served + ")");
        }
    }

    private static List<String> dashboards() {
        Path folder = Path.of(System.getProperty("wenzhen.root"), "k8s", "components", "monitoring", "dashboards");
        try (var files = Files.list(folder)) {
            List<String> out = new ArrayList<>();
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                out.add(Files.readString(file));
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError("cannot read " + folder, e);
        }
    }
}
