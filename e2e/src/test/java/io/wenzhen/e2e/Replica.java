package io.wenzhen.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.wenzhen.devstack.DevstackException;
import io.wenzhen.devstack.Ports;
import io.wenzhen.devstack.QuarkusService;

/** One more replica of a suite service, started and ready, for a test that needs its own. */
final class Replica {

    private Replica() {
    }

    /**
     * Starts {@code module}'s jar on a free port. The port is picked free but bound only when the service
     * starts, and other tests' media ports and sockets are random: when it was taken meanwhile, another one
     * (three tries). {@code log} is the log file's name without its ".log"; tries after the first add "-2", "-3".
     */
    static QuarkusService start(String name, String module, Map<String, String> env, Path logs, String log) throws Exception {
        for (int attempt = 1;; attempt++) {
            QuarkusService service = null;
            try {
                service = QuarkusService.start(name, QuarkusService.jar(SuiteProcess.ROOT, module), Ports.ephemeral(), env,
                        logs.resolve(log + (attempt == 1 ? "" : "-" + attempt) + ".log"));
                service.awaitReady(Duration.ofMinutes(2));
                return service;
            } catch (DevstackException e) {
                if (service != null) {
                    service.close();
                }
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }
}
