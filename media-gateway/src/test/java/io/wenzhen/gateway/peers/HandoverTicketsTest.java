package io.wenzhen.gateway.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HandoverTicketsTest {

    static final long NOW = 1_800_000_000L;
    private final HandoverTickets tickets = new HandoverTickets(new byte[32]);
    private final String ticket = tickets.issue(new HandoverTickets.Handover("session-1", 7, "room-1", "patient_1", "gateway-b"), NOW);

    @Test
    void aTicketHandsOverItsSessionAtItsGatewayForItsLoginOnly() {
        assertEquals("session-1", tickets.verify(ticket, 7, "room-1", "patient_1", "gateway-b", NOW + 60));
        assertThrows(HandoverTickets.MeantForAnother.class, () -> tickets.verify(ticket, 7, "room-1", "patient_1", "gateway-c", NOW));
        assertThrows(SecurityException.class, () -> tickets.verify(ticket, 7, "room-1", "doctor_7", "gateway-b", NOW));
        assertThrows(SecurityException.class, () -> tickets.verify(ticket, 7, "room-2", "patient_1", "gateway-b", NOW));
        assertThrows(SecurityException.class, () -> tickets.verify(ticket, 8, "room-1", "patient_1", "gateway-b", NOW));
        assertThrows(SecurityException.class, () -> tickets.verify(ticket, 7, "room-1", "patient_1", "gateway-b",
                NOW + HandoverTickets.VALIDITY_SECONDS + 1), "expired");
    }

    @Test
    void aForgedOrAlteredTicketIsRefused() {
        String forged = new HandoverTickets(new byte[] {1}).issue(new HandoverTickets.Handover("session-1", 7, "room-1", "patient_1",
                "gateway-b"), NOW);
        assertThrows(SecurityException.class, () -> tickets.verify(forged, 7, "room-1", "patient_1", "gateway-b", NOW));
        String other = tickets.issue(new HandoverTickets.Handover("session-2", 7, "room-1", "patient_1", "gateway-b"), NOW);
        String spliced = other.substring(0, other.indexOf('.')) + ticket.substring(ticket.indexOf('.'));
        assertThrows(SecurityException.class, () -> tickets.verify(spliced, 7, "room-1", "patient_1", "gateway-b", NOW));
        assertThrows(SecurityException.class, () -> tickets.verify("no-dot", 7, "room-1", "patient_1", "gateway-b", NOW));
        assertThrows(SecurityException.class, () -> tickets.verify("!!!." + ticket.substring(ticket.indexOf('.') + 1), 7, "room-1",
                "patient_1", "gateway-b", NOW));
    }
}
