package io.wenzhen.room.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.wenzhen.events.GatewayHeartbeat;
import io.wenzhen.events.GatewayLoad;

/** Which gateways placement may choose from (pure logic: no Kafka). */
class GatewayLoadsTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    private static GatewayLoads loads() {
        GatewayLoads loads = new GatewayLoads();
        loads.timeout = Duration.ofSeconds(30);
        return loads;
    }

    private static GatewayHeartbeat beat(String gateway, boolean draining, Instant sentAt) {
        return new GatewayHeartbeat(gateway, 0, 0, sentAt, List.of(), new GatewayLoad(1, 1, 0, 0, 0.5, 2, "east", draining), null, null);
    }

    @Test
    void liveUndrainedUnsuspectedGatewaysAndAnAskingOneNotHeardFromYet() {
        GatewayLoads loads = loads();
        loads.observe(beat("live", false, NOW), NOW);
        loads.observe(beat("draining", false, NOW), NOW);
        loads.observe(beat("draining", true, NOW.plusSeconds(1)), NOW.plusSeconds(1));
        loads.observe(beat("silent", false, NOW.minusSeconds(60)), NOW.minusSeconds(60));
        loads.observe(beat("suspect", false, NOW), NOW);
        loads.suspect("suspect", NOW.plusSeconds(1));
        assertEquals(Set.of("live", "new"), loads.candidates("new", NOW.plusSeconds(2), Set.of()).keySet());
        assertEquals(GatewayLoads.JUST_STARTED, loads.candidates("new", NOW.plusSeconds(2), Set.of()).get("new"));
        assertEquals(Set.of("live"), loads.candidates("suspect", NOW.plusSeconds(2), Set.of()).keySet(), "a suspect is not taken in");
        assertEquals(Set.of("new"), loads.candidates("new", NOW.plusSeconds(2), Set.of("live")).keySet());
    }

    @Test
    void aSuspectIsClearedOnlyByABeatArrivingWellAfterTheReportAndIsLostMeanwhile() {
        GatewayLoads loads = loads();
        loads.observe(beat("a", false, NOW), NOW);
        loads.suspect("a", NOW.plusSeconds(2));
        assertEquals(true, loads.lost("a", NOW.plusSeconds(3)));
        // the dead gateway's last beat, on its way when the report came (whatever its clock said)
        loads.observe(beat("a", false, NOW.plusSeconds(60)), NOW.plusSeconds(3));
        assertEquals(true, loads.lost("a", NOW.plusSeconds(3)));
        loads.observe(beat("a", false, NOW.minusSeconds(60)), NOW.plusSeconds(9)); // a live gateway, its clock behind
        assertEquals(false, loads.lost("a", NOW.plusSeconds(9)));
        assertEquals(true, loads.lost("a", NOW.plusSeconds(45)), "silent for a whole timeout");
    }
}
