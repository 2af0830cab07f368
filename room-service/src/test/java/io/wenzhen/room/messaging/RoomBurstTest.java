package io.wenzhen.room.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.wenzhen.devstack.EmbeddedPostgres;
import io.wenzhen.events.room.RoomCommand;
import io.wenzhen.testing.RealInfrastructure;
import io.wenzhen.testing.RealInfrastructureResource;

/**
 * Many rooms at once, as when a gateway's dropped sessions all expire in the same second: every
 * command is answered, none is left behind on a partition that stopped moving.
 */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
class RoomBurstTest {

    static final int ROOMS = 40;

    @Inject
    Pool pool;

    @Test
    void theDatabaseEndsATransactionLeftOpen() {
        // a stalled command's transaction is abandoned by the consumer; the database must give back its locks
        String timeout = pool.query("show idle_in_transaction_session_timeout").execute()
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getString(0);
        assertEquals("15s", timeout);
    }

    @Test
    void aBurstOfLoginsAndExpiriesAcrossRoomsIsAllAnswered() throws InterruptedException {
        RoomDriver rooms = new RoomDriver();
        List<RoomCommand> all = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < ROOMS; i++) {
            ids.add("burst-" + i + "-" + UUID.randomUUID().toString().substring(0, 6));
        }
        // in every room a doctor, a patient, and the doctor again from a new connection (the first is kicked) ...
        for (int i = 0; i < ROOMS; i++) {
            String room = ids.get(i);
            send(rooms, all, rooms.command(RoomCommand.Kind.LOGIN, room, "doctor_" + i, room + "-s1"),
                    rooms.command(RoomCommand.Kind.LOGIN, room, "patient_" + i, room + "-s2"),
                    rooms.command(RoomCommand.Kind.LOGIN, room, "doctor_" + i, room + "-s3"));
        }
        // ... then both connections drop and their sessions expire together
        for (int i = 0; i < ROOMS; i++) {
            String room = ids.get(i);
            send(rooms, all, rooms.command(RoomCommand.Kind.SESSION_EXPIRED, room, "doctor_" + i, room + "-s3"),
                    rooms.command(RoomCommand.Kind.SESSION_EXPIRED, room, "patient_" + i, room + "-s2"));
        }
        long deadline = System.nanoTime() + 60_000_000_000L;
        Set<String> answered = rooms.answered(all);
        while (answered.size() < all.size() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            answered = rooms.answered(all);
        }
        assertEquals(all.size(), answered.size(), () -> "commands answered; " + databaseActivity());
    }

    private static void send(RoomDriver rooms, List<RoomCommand> all, RoomCommand... commands) {
        for (RoomCommand command : commands) {
            rooms.sendOnly(command);
            all.add(command);
        }
        rooms.flush();
    }

    /** What the database's sessions are doing: printed when commands go unanswered, to show who waits on whom. */
    static String databaseActivity() {
        EmbeddedPostgres postgres = RealInfrastructure.get().postgres();
        StringBuilder out = new StringBuilder("database activity:\n");
        try (var connection = DriverManager.getConnection("jdbc:" + postgres.url(), EmbeddedPostgres.USER, postgres.password());
                var rows = connection.createStatement().executeQuery("select pid, state, wait_event_type, wait_event,"
                        + " pg_blocking_pids(pid), now() - xact_start, left(query, 160) from pg_stat_activity"
                        + " where datname = 'wenzhen' and pid <> pg_backend_pid() and state <> 'idle'")) {
            while (rows.next()) {
                for (int i = 1; i <= 7; i++) {
                    out.append(rows.getString(i)).append(i < 7 ? " | " : "\n");
                }
            }
        } catch (SQLException e) {
            out.append(e);
        }
        return out.toString();
    }
}
