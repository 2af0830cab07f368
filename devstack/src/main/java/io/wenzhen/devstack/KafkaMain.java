package io.wenzhen.devstack;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Entry point of the Kafka child JVM: runs the broker, prints {@value EmbeddedKafka#READY_MARKER}
 * once a client can reach it, and exits when the JVM that started it is gone, so that a killed
 * test run or launcher never leaves a broker behind.
 *
 * <p>Arguments: parent pid, server.properties path, bootstrap address.
 */
public final class KafkaMain {

    private KafkaMain() {
    }

    public static void main(String[] args) throws Exception {
        long parent = Long.parseLong(args[0]);
        ProcessHandle.of(parent).ifPresentOrElse(
                handle -> handle.onExit().thenRun(() -> Runtime.getRuntime().halt(0)),
                () -> Runtime.getRuntime().halt(0));

        Thread broker = new Thread(() -> kafka.Kafka.main(new String[] {args[1]}), "kafka-main");
        broker.start();

        Map<String, Object> config = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[2],
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 4000);
        try (Admin admin = Admin.create(config)) {
            while (broker.isAlive()) {
                try {
                    admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    System.out.println(EmbeddedKafka.READY_MARKER);
                    System.out.flush();
                    break;
                } catch (Exception notYet) {
                    Thread.sleep(100);
                }
            }
        }
        broker.join();
    }
}
