package io.wenzhen.gateway.peers;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Function;

import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;


/**
 * What one gateway shows another when it relays a client's signaling to it: who it is, when, and the
 * client's origin and address (the home checks the origin against the app and counts connections per
 * client address, not per relaying gateway), and which gateway it is meant for, signed with HMAC-SHA256
 * under a key derived from the cluster key every gateway holds. A client cannot forge them; a signature
 * more than {@link #MAX_SKEW_SECONDS} old, or meant for another gateway (a restarted one on the old one's
 * address), is refused, so one seen on the internal network is of little use.
 */
@ApplicationScoped
public class RelayCredentials {

    public static final String FROM = "Wenzhen-Relay-From";
    public static final String TO = "Wenzhen-Relay-To";
    public static final String TIME = "Wenzhen-Relay-Time";
    public static final String ORIGIN = "Wenzhen-Relay-Origin";
    public static final String ADDRESS = "Wenzhen-Relay-Address";
    public static final String SIGNATURE = "Wenzhen-Relay-Signature";
    /** A media pipe's control request signs its body's digest in the address field, after this prefix (never a relay's). */
    public static final String PIPE_REQUEST = "pipe:";
    /** The header of a pipe control answer: its signature, bound to the request's. */
    public static final String ANSWER_SIGNATURE = "Wenzhen-Pipe-Answer";
    public static final long MAX_SKEW_SECONDS = 60;
    private static final String ALGORITHM = "HmacSHA256";
    /** The derivation label of the relay key ({@link ClusterSecrets}). */
    private static final String LABEL = "wenzhen signaling relay v1";

    private final SecretKeySpec key;

    /**
     * Verified relay credentials meant for another gateway: the one they were meant for no longer has this address
     * (a new process has it), which the relaying gateway takes as that gateway gone.
     */
    public static final class MisdirectedRelay extends SecurityException {
        public MisdirectedRelay(String to, String self) {
            super("a relay meant for gateway " + to + " (this is " + self + ")");
        }
    }

    /** What a verified relay says of its client. */
    public record Relayed(String from, String origin, String address) {
    }

    @Inject
    public RelayCredentials(ClusterSecrets secrets) {
        this.key = new SecretKeySpec(secrets.derive(LABEL), ALGORITHM);
    }

    RelayCredentials(byte[] relayKey) {
        this.key = new SecretKeySpec(relayKey, ALGORITHM);
    }

    /**
     * The headers of a relay connection from {@code from} to {@code to} for a client at {@code address} with
     * {@code origin} (may be null).
     */
    public Map<String, String> headers(String from, String to, String origin, String address, long nowSeconds) {
        String time = Long.toString(nowSeconds);
        String originValue = origin == null ? "" : origin;
        return Map.of(FROM, from, TO, to, TIME, time, ORIGIN, originValue, ADDRESS, address,
                SIGNATURE, sign(from, to, time, originValue, address));
    }

    /**
     * The relayed client, when the headers (looked up by name) carry a relay's credentials; null when they
     * carry none (an ordinary client). Throws {@link SecurityException} when they carry credentials that do
     * not verify or are out of date.
     */
    public Relayed verify(Function<String, String> header, String self, long nowSeconds) {
        String signature = header.apply(SIGNATURE);
        if (signature == null) {
            return null;
        }
        String from = header.apply(FROM);
        String to = header.apply(TO);
        String time = header.apply(TIME);
        String origin = header.apply(ORIGIN);
        String address = header.apply(ADDRESS);
        if (from == null || to == null || time == null || origin == null || address == null) {
            throw new SecurityException("incomplete relay credentials");
        }

        long sent;
        try {
            sent = Long.parseLong(time);
        } catch (NumberFormatException e) {
            throw new SecurityException("unreadable relay time");
        }
        if (Math.abs(nowSeconds - sent) > MAX_SKEW_SECONDS) {
            throw new SecurityException("relay credentials out of date");
        }
        byte[] expected = sign(from, to, time, origin, address).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
            throw new SecurityException("relay signature does not verify");
        }
        // checked once the signature holds: only a gateway's own relay can say its target is gone
        if (!to.equals(self)) {
            throw new MisdirectedRelay(to, self);
        }
        return new Relayed(from, origin.isEmpty() ? null : origin, address);
    }

    /** The signature of a pipe control answer: its body, bound to the request's signature (an answer of no other request). */
    public String signAnswer(String requestSignature, byte[] body) {
        return sign("answer", requestSignature, "", "", HexFormat.of().formatHex(body));
    }

    /** Whether a pipe control answer is the answer of a gateway of this cluster to the request signed so. */
    public boolean answerVerifies(String requestSignature, byte[] body, String signature) {
        return signature != null && MessageDigest.isEqual(signAnswer(requestSignature, body).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII));
    }

    private String sign(String from, String to, String time, String origin, String address) {
        // each field's length first: no two different field lists sign the same bytes
        StringBuilder signed = new StringBuilder("v2"); // v1 had no target: a v1 relay never verifies as v2
        for (String field : new String[] {from, to, time, origin, address}) {
            signed.append('\n').append(field.length()).append(':').append(field);
        }
        return HexFormat.of().formatHex(ClusterSecrets.hmac(key.getEncoded(), signed.toString().getBytes(StandardCharsets.UTF_8)));
    }
}
