package io.wenzhen.gateway.session;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.wenzhen.gateway.config.GatewayConfig;

/**
 * A gateway about to stop (a rolling upgrade, a node drain) lets its calls finish: from the first
 * drain request it reports not-ready (so the Service and Ingress send new connections elsewhere),
 * refuses logins into rooms it has no member of (GATEWAY_DRAINING, 10325: the SDKs connect again and
 * reach another gateway) and still takes logins into its own rooms (a participant rejoining its
 * consultation) and resumes from clients that still reach it. The request is answered once no session
 * is left and no login is waiting on room-service — but not before the settle time, which the
 * balancers take to stop sending connections here — or when the drain grace has passed; then the
 * gateway may stop. Moving calls to another gateway instead is the relay's work.
 */
@ApplicationScoped
public class GatewayDrain {

    private static final Logger LOG = Logger.getLogger(GatewayDrain.class);
    private static final Duration POLL = Duration.ofMillis(250);

    /** How a drain ended: with every session gone, or at the grace with some left (logins under way counted). */
    public record Outcome(boolean drained, int sessionsLeft, Duration took) {
    }

    private final SessionRegistry sessions;
    private final Duration grace;
    private final Duration settle;
    /** Logins admitted and waiting on room-service: sessions to be, which a drain waits for too. */
    private final AtomicInteger loggingIn = new AtomicInteger();
    private volatile Instant since;

    @Inject
    public GatewayDrain(SessionRegistry sessions, GatewayConfig config) {
        this.sessions = sessions;
        this.grace = config.drainGrace();
        this.settle = config.drainSettle();
    }

    /** A login was admitted (call {@link #loginEnded()} once it has a session or has failed). */
    public void loginStarted() {
        loggingIn.incrementAndGet();
    }

    public void loginEnded() {
        loggingIn.decrementAndGet();
    }

    public boolean draining() {
        return since != null;
    }

    /** Whether a login into this room is taken: always while serving; while draining, only into a room with members here. */
    public boolean admits(String roomKey) {
        return since == null || !sessions.inRoom(roomKey).isEmpty();
    }

    /** Starts draining (a second call joins the first) and completes when no session is left or the grace has passed. */
    public Uni<Outcome> drain() {
        Instant started;
        synchronized (this) {
            if (since == null) {
                since = Instant.now();
                LOG.infof("draining: %d sessions; no new rooms, answering once they end or after %s", sessions.size(), grace);
            }
            started = since;
        }
        Duration left = grace.minus(Duration.between(started, Instant.now()));
        if (!left.isPositive() || empty() && settled(started)) {
            return Uni.createFrom().item(outcome(started));
        }
        return Multi.createFrom().ticks().every(POLL)
                .filter(tick -> empty() && settled(started))
                .toUni()
                .map(done -> outcome(started))
                .ifNoItem().after(left).recoverWithItem(() -> outcome(started));
    }

    private boolean empty() {
        return sessions.size() == 0 && loggingIn.get() == 0;
    }

    private boolean settled(Instant started) {
        return !Instant.now().isBefore(started.plus(settle));
    }

    private Outcome outcome(Instant started) {
        int left = sessions.size() + loggingIn.get();
        Outcome outcome = new Outcome(left == 0, left, Duration.between(started, Instant.now()));
        LOG.infof("drain %s after %d ms (%d sessions left)", outcome.drained() ? "complete" : "grace over", outcome.took().toMillis(), left);
        return outcome;
    }
}
