package io.wenzhen.e2e;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A consultation over a shaped network (e2e/browser/network-call.mjs): the doctor publishes, the patient
 * plays, and each second both browsers' figures come back as a sample, to which a scenario may react
 * (cap a link, change the patient's address).
 */
final class NetworkCall {

    /** What a scenario does when the {@code index}th sample (from 0) arrives. */
    interface OnSample {
        void accept(int index, JsonNode sample) throws Exception;
    }

    /** The figures: when the patient played, each second's sample, and the summary. */
    record Result(JsonNode playing, List<JsonNode> samples, JsonNode summary) {
    }

    private NetworkCall() {
    }

    /**
     * @param doctorBase the gateway as the doctor reaches it
     * @param options the script's options (seconds, patientBase, patientChromium, doctorVideo …)
     */
    static Result run(Suite suite, Suite.App app, String doctorBase, String room, Map<String, Object> options, OnSample onSample)
            throws Exception {
        Process node = new ProcessBuilder("node", "network-call.mjs", doctorBase, Long.toString(app.appId()), room,
                suite.token(app, "doctor_7"), suite.token(app, "patient_1"), Suite.JSON.writeValueAsString(options))
                .directory(SuiteProcess.ROOT.resolve("e2e/browser").toFile()).redirectErrorStream(true).start();
        JsonNode playing = null;
        JsonNode summary = null;
        List<JsonNode> samples = new ArrayList<>();
        StringBuilder output = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null;) {
                output.append(line).append('\n');
                if (line.startsWith("PLAYING ")) {
                    playing = Suite.JSON.readTree(line.substring("PLAYING ".length()));
                } else if (line.startsWith("SAMPLE ")) {
                    JsonNode sample = Suite.JSON.readTree(line.substring("SAMPLE ".length()));
                    samples.add(sample);
                    onSample.accept(samples.size() - 1, sample);
                } else if (line.startsWith("RESULT ")) {
                    summary = Suite.JSON.readTree(line.substring("RESULT ".length()));
                }
            }
        } catch (Exception | Error e) {
            // the scenario's own step failed: the browsers are not waited for (their Chromiums end with node)
            node.descendants().forEach(ProcessHandle::destroyForcibly);
            node.destroyForcibly();
            throw e;
        } finally {
            if (!node.waitFor(3, TimeUnit.MINUTES)) {
                node.destroyForcibly();
            }
        }
        if (playing == null || summary == null) {
            throw new AssertionError("the call did not complete:\n" + output);
        }
        return new Result(playing, samples, summary);
    }
}
