package io.wenzhen.gateway.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import io.wenzhen.gateway.config.GatewayConfig;
import io.wenzhen.gateway.relay.CallMover;
import sun.misc.Signal;

/**
 * SIGTERM drains before the gateway stops (systemd's stop, {@code kill}, Kubernetes after its preStop):
 * not ready, no new rooms, the calls moved to other gateways or let finish within the drain grace ({@link CallMover}) — then the usual shutdown. A second
 * SIGTERM, or SIGINT (Ctrl-C), stops at once. The JVM would otherwise begin its shutdown on the first
 * SIGTERM and end every call; the handler takes the signal over from it. Off with
 * {@code wenzhen.gateway.drain-on-sigterm=false} (./wenzhen up, whose Ctrl-C must stop everything at once).
 */
@ApplicationScoped
public class TerminationDrain {

    private static final Logger LOG = Logger.getLogger(TerminationDrain.class);

    @Inject
    CallMover mover;

    @Inject
    GatewayConfig config;

    private volatile boolean terminating;

    void install(@Observes StartupEvent started) {
        // a test JVM's signals are its runner's: only a running gateway takes SIGTERM over
        if (!config.drainOnSigterm() || LaunchMode.current() != LaunchMode.NORMAL) {
            return;
        }
        // the JVM's signal thread has no class loader of the application: beans first made during the drain
        // (the call mover's) would not load there
        ClassLoader application = Thread.currentThread().getContextClassLoader();
        Signal.handle(new Signal("TERM"), signal -> {
            Thread.currentThread().setContextClassLoader(application);
            terminate();
        });
    }

    private void terminate() {
        if (terminating) {
            LOG.info("SIGTERM again: stopping now");
            Quarkus.asyncExit(0);
            return;
        }
        terminating = true;
        LOG.info("SIGTERM: draining before stopping (SIGTERM again stops now)");
        mover.drain().subscribe().with(outcome -> Quarkus.asyncExit(0), failure -> Quarkus.asyncExit(0));
    }
}
