package io.wenzhen.room.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.wenzhen.events.GatewayLoad;

/** The placement policy (docs/architecture.md, "Placement"), as pure logic. */
class PlacementTest {

    private static GatewayLoad load(double cpu, int streams, String zone) {
        return new GatewayLoad(streams, 0, 0, 0, cpu, 4, zone, false);
    }

    @Test
    void theAskingGatewayKeepsTheRoomWhileItIsNotMuchBusierThanTheLeastLoaded() {
        Map<String, GatewayLoad> gateways = Map.of("a", load(0.30, 10, null), "b", load(0.20, 2, null));
        assertEquals("a", Placement.choose("a", gateways), "0.30 is within 0.15 of 0.20");
        assertEquals("b", Placement.choose("a", Map.of("a", load(0.40, 10, null), "b", load(0.20, 2, null))), "0.40 is not");
    }

    @Test
    void theLeastLoadedByCpuThenByStreamsThenByName() {
        Map<String, GatewayLoad> gateways = Map.of("a", load(0.90, 1, null), "c", load(0.10, 5, null), "b", load(0.10, 3, null),
                "d", load(0.10, 3, null));
        assertEquals("b", Placement.choose("a", gateways));
    }

    @Test
    void onlyGatewaysInTheAskingGatewaysZoneWhileThereAreAny() {
        Map<String, GatewayLoad> gateways = Map.of("a", load(0.90, 1, "east"), "b", load(0.05, 0, "west"), "c", load(0.50, 1, "east"));
        assertEquals("c", Placement.choose("a", gateways), "c is east and less loaded than a; b is idle but west");
        assertEquals("b", Placement.choose("b", gateways));
        Map<String, GatewayLoad> alone = Map.of("a", load(0.90, 1, "east"), "b", load(0.05, 0, "west"));
        assertEquals("a", Placement.choose("a", alone), "its own zone holds only itself");
    }

    @Test
    void anAskingGatewayThatIsNoCandidateChoosesAmongTheOthersAndNoCandidatesKeepsItThere() {
        Map<String, GatewayLoad> others = Map.of("b", load(0.50, 1, null), "c", load(0.20, 1, null));
        assertEquals("c", Placement.choose("draining", others));
        assertEquals("a", Placement.choose("a", Map.of()), "no heartbeat read yet");
    }
}
