package io.wenzhen.devstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The app named {@code demo} that {@code ./wenzhen up} creates at the first start of a data folder,
 * while it still holds the bootstrap admin's password, so that the demo page works out of the box.
 * Its AppID is kept in {@code demo-app-id} (not a secret: the gateway issues dev tokens for it).
 */
final class DemoApp {

    static final String FILE = "demo-app-id";
    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern APP_ID = Pattern.compile("\"appId\"\\s*:\\s*(\\d+)");

    private DemoApp() {
    }

    /** The demo app's id: the one recorded, or a new app when the admin password is at hand; else none. */
    static OptionalLong ensure(Path dataDir, String authAddress, Path adminPasswordFile) throws IOException, InterruptedException {
        Path file = dataDir.resolve(FILE);
        if (Files.exists(file)) {
            return OptionalLong.of(Long.parseLong(Files.readString(file).strip()));
        }
        if (!Files.exists(adminPasswordFile)) {
            return OptionalLong.empty(); // a data folder from before the demo app: the page asks for an AppID
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        String password = Files.readString(adminPasswordFile).strip();
        String login = post(http, authAddress + "/api/v1/admin/login", null,
                "{\"username\":\"admin\",\"password\":\"" + password.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
        String jwt = find(TOKEN, login, "admin login");
        String app = post(http, authAddress + "/api/v1/apps", jwt, "{\"name\":\"demo\"}");
        long appId = Long.parseLong(find(APP_ID, app, "app creation"));
        Files.writeString(file, appId + "\n");
        return OptionalLong.of(appId);
    }

    private static String post(HttpClient http, String url, String bearer, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            request.header("authorization", "Bearer " + bearer);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            // the body never holds the password; it may hold an error message worth showing
            throw new DevstackException("creating the demo app: " + url + " answered " + response.statusCode());
        }
        return response.body();
    }

    private static String find(Pattern pattern, String body, String what) {
        Matcher m = pattern.matcher(body);
        if (!m.find()) {
            throw new DevstackException("creating the demo app: unexpected answer to the " + what);
        }
        return m.group(1);
    }
}
