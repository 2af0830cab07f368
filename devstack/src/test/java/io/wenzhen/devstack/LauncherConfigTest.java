package io.wenzhen.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class LauncherConfigTest {

    @Test
    void gatewayKListensOnTheFirstOnesPortsPlusTenK() {
        LauncherConfig config = LauncherConfig.from(List.of("--gateways", "3"), Map.of());
        assertEquals(3, config.gateways());
        assertEquals(new LauncherConfig.GatewayPorts(0, 8080, 40000, 40000, 1935, 40001), config.gateway(0));
        assertEquals(new LauncherConfig.GatewayPorts(1, 8090, 40010, 40010, 1945, 40011), config.gateway(1));
        assertEquals(new LauncherConfig.GatewayPorts(2, 8100, 40020, 40020, 1955, 40021), config.gateway(2));
    }

    @Test
    void theFirstGatewaysVariablesMoveEveryGatewayAndOffStaysOff() {
        LauncherConfig config = LauncherConfig.from(List.of("--gateways", "2"), Map.of("WENZHEN_GATEWAY_PORT", "9000",
                "WENZHEN_GATEWAY_MEDIA_PORT", "41000", "WENZHEN_GATEWAY_MEDIA_TCP_PORT", "-1", "WENZHEN_GATEWAY_RTMP_PORT", "-1",
                "WENZHEN_GATEWAY_PIPE_PORT", "42001"));
        assertEquals(new LauncherConfig.GatewayPorts(1, 9010, 41010, -1, -1, 42011), config.gateway(1));
        LauncherConfig anyFree = LauncherConfig.from(List.of("--gateways", "2"), Map.of("WENZHEN_GATEWAY_MEDIA_PORT", "0",
                "WENZHEN_GATEWAY_RTMP_PORT", "0", "WENZHEN_GATEWAY_PIPE_PORT", "0"));
        assertEquals(new LauncherConfig.GatewayPorts(1, 8090, 0, 0, 0, 0), anyFree.gateway(1));
    }

    @Test
    void aGatewayPortOnAnotherServicesOrPast65535IsAOneLineError() {
        DevstackException clash = assertThrows(DevstackException.class, () -> LauncherConfig.from(List.of("--gateways", "2"),
                Map.of("WENZHEN_GATEWAY_PORT", "8071", "WENZHEN_POSTGRES_PORT", "1", "WENZHEN_KAFKA_PORT", "2")).checkPortsFree());
        assertTrue(clash.getMessage().contains("8081") && clash.getMessage().contains("auth-service"), clash.getMessage());
        DevstackException past = assertThrows(DevstackException.class, () -> LauncherConfig.from(List.of("--gateways", "3"),
                Map.of("WENZHEN_GATEWAY_PORT", "65520")).checkPortsFree());
        assertTrue(past.getMessage().contains("past 65535"), past.getMessage());
    }

    @Test
    void oneGatewayByDefaultAndACountOutOfRangeIsRefused() {
        assertEquals(1, LauncherConfig.from(List.of(), Map.of()).gateways());
        for (String count : new String[] {"0", "10", "two"}) {
            DevstackException refused = assertThrows(DevstackException.class, () -> LauncherConfig.from(List.of("--gateways", count), Map.of()));
            assertTrue(refused.getMessage().contains("from 1 to 9"), refused.getMessage());
        }
        assertThrows(DevstackException.class, () -> LauncherConfig.from(List.of("--gateways"), Map.of()));
    }

    @Test
    void turnRunsCoturnWhereClientsAndTheGatewaysMediaAre() {
        LauncherConfig off = LauncherConfig.from(List.of(), Map.of());
        assertEquals(false, off.turn());
        LauncherConfig local = LauncherConfig.from(List.of("--turn"), Map.of());
        assertEquals(true, local.turn());
        assertEquals("127.0.0.1", local.turnHost());
        assertEquals(3478, local.turnPort());
        assertEquals("127.0.0.1", local.gatewayMediaAddress());
        Map<String, String> lan = Map.of("WENZHEN_GATEWAY_MEDIA_ADDRESS", "192.0.2.7", "WENZHEN_TURN_PORT", "3479");
        assertEquals("127.0.0.1", LauncherConfig.from(List.of("--turn"), lan).turnHost(), "loopback only unless --public");
        LauncherConfig shown = LauncherConfig.from(List.of("--turn", "--public"), lan);
        assertEquals("192.0.2.7", shown.turnHost(), "with --public: where browsers elsewhere reach this machine");
        assertEquals("192.0.2.7", shown.gatewayMediaAddress(), "the only peer coturn relays to");
        assertEquals(3479, shown.turnPort());
        assertEquals("turn.example.org", LauncherConfig.from(List.of("--turn"), Map.of("WENZHEN_TURN_ADDRESS", "turn.example.org")).turnHost());
    }
}
