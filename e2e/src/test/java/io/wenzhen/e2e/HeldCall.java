package io.wenzhen.e2e;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A Chromium call (e2e/browser/call.mjs: doctor_7 publishes, patient_1 plays) held for a while, with
 * something done to the suite once the patient decodes: the result has {@code player.framesDuringHold}.
 */
final class HeldCall {

    interface Action {
        void run() throws Exception;
    }

    private HeldCall() {
    }

    static JsonNode run(Suite suite, Suite.App app, String room, int holdSeconds, Action during) throws Exception {
        String gateway = "http://127.0.0.1:" + suite.env.get("WENZHEN_GATEWAY_PORT");
        Process node = new ProcessBuilder("node", "call.mjs", gateway, Long.toString(app.appId()), suite.token(app, "doctor_7"),
                suite.token(app, "patient_1"), room, "VP8", "30", Integer.toString(holdSeconds))
                .directory(SuiteProcess.ROOT.resolve("e2e/browser").toFile()).redirectErrorStream(true).start();
        String result = null;
        StringBuilder output = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null;) {
                output.append(line).append('\n');
                if (line.equals("HOLDING")) {
                    during.run();
                } else if (line.startsWith("RESULT ")) {
                    result = line.substring("RESULT ".length());
                }
            }
        }
        if (!node.waitFor(3, TimeUnit.MINUTES) || result == null) {
            throw new AssertionError("no result from the browsers:\n" + output);
        }
        return Suite.JSON.readTree(result);
    }
}
