package io.wenzhen.gateway.peers;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * A draining gateway's word that a session of its own may continue on another gateway: given to the client
 * over that session (the move event), shown by the client in its login there. Signed under a secret derived
 * from the cluster key, for one session, user, room and target gateway, valid for {@link #VALIDITY_SECONDS}:
 * a token alone hands no one's session over (a token alone can only log in, and its login is seen by all).
 */
@ApplicationScoped
public class HandoverTickets {

    static final long VALIDITY_SECONDS = 120;
    private static final String LABEL = "wenzhen session handover v1";

    /**
     * A ticket that verifies but was issued for a handover at another gateway: the login is a handover all the
     * same (room-service answers it with the room's home, to which it is relayed, and the home checks the ticket).
     */
    public static final class MeantForAnother extends SecurityException {
        private final String sessionId;

        MeantForAnother(String to, String sessionId) {
            super("a handover ticket for gateway " + to);
            this.sessionId = sessionId;
        }

        public String sessionId() {
            return sessionId;
        }
    }

    /** What a verified ticket hands over. */
    public record Handover(String sessionId, long appId, String roomId, String userId, String to) {
    }

    private final byte[] key;

    @Inject
    public HandoverTickets(ClusterSecrets secrets) {
        this(secrets.derive(LABEL));
    }

    HandoverTickets(byte[] key) {
        this.key = key.clone();
    }

    public String issue(Handover handover, long nowSeconds) {
        String body = String.join("\n", "v1", handover.sessionId(), Long.toString(handover.appId()), handover.roomId(),
                handover.userId(), handover.to(), Long.toString(nowSeconds + VALIDITY_SECONDS));
        String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(body.getBytes(StandardCharsets.UTF_8));
        return encoded + "." + sign(encoded);
    }

    /**
     * The session the ticket hands over, when it verifies, has not expired, and was issued for this very
     * login (app, room, user) at this gateway ({@code self}).
     *
     * @throws MeantForAnother  when it holds but names another gateway
     * @throws SecurityException otherwise
     */
    public String verify(String ticket, long appId, String roomId, String userId, String self, long nowSeconds) {
        int dot = ticket.indexOf('.');
        if (dot <= 0 || !MessageDigest.isEqual(sign(ticket.substring(0, dot)).getBytes(StandardCharsets.US_ASCII),
                ticket.substring(dot + 1).getBytes(StandardCharsets.US_ASCII))) {
            throw new SecurityException("the handover ticket does not verify");
        }
        String[] fields;
        try {
            fields = new String(Base64.getUrlDecoder().decode(ticket.substring(0, dot)), StandardCharsets.UTF_8).split("\n", -1);
        } catch (IllegalArgumentException e) {
            throw new SecurityException("unreadable handover ticket");
        }
        if (fields.length != 7 || !fields[0].equals("v1") || !fields[2].equals(Long.toString(appId)) || !fields[3].equals(roomId)
                || !fields[4].equals(userId)) {
            throw new SecurityException("the handover ticket is for another room or user");
        }
        if (nowSeconds > Long.parseLong(fields[6])) {
            throw new SecurityException("the handover ticket has expired");
        }
        if (!fields[5].equals(self)) {
            throw new MeantForAnother(fields[5], fields[1]);
        }
        return fields[1];
    }

    private String sign(String encoded) {
        return HexFormat.of().formatHex(ClusterSecrets.hmac(key, encoded.getBytes(StandardCharsets.US_ASCII)));
    }
}
