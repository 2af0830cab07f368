package io.wenzhen.gateway.edge;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.wenzhen.protocols.MalformedPacketException;

/**
 * The keys in RTMP and HTTP-FLV addresses: a capability for one session, one stream, one direction,
 * signed with HMAC-SHA256 under this gateway's secret, so an address cannot be forged or bent to
 * another stream. A key says nothing on its own about whether its publication or playback still
 * exists; {@link EdgeAccess} checks that against the session.
 */
public final class StreamKeys {

    public enum Action { PUBLISH, PLAY }

    /** What a verified key grants. */
    public record Claims(Action action, long appId, String roomId, String streamId, String sessionId, long expiresAt) {

        public boolean expired(Instant now) {
            return now.getEpochSecond() >= expiresAt;
        }
    }

    /** A key and when its first use must have happened by. */
    public record Issued(String key, long expiresAt) {
    }

    private static final Base64.Encoder ENCODE = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODE = Base64.getUrlDecoder();
    static final int MAX_KEY_CHARS = 1024;
    private final SecretKeySpec secret;
    private final Duration ttl;

    /** @param secret null: a random one (keys then hold on this process only) */
    public StreamKeys(String secret, Duration ttl) {
        byte[] raw;
        if (secret == null || secret.isBlank()) {
            raw = new byte[32];
            new SecureRandom().nextBytes(raw);
        } else {
            raw = secret.getBytes(StandardCharsets.UTF_8);
        }
        this.secret = new SecretKeySpec(raw, "HmacSHA256");
        this.ttl = ttl;
    }

    public Issued issue(Action action, long appId, String roomId, String streamId, String sessionId, Instant now) {
        long expiresAt = now.plus(ttl).getEpochSecond();
        String claims = String.join("\n", "1", action.name(), Long.toString(appId), roomId, streamId, sessionId,
                Long.toString(expiresAt));
        byte[] payload = claims.getBytes(StandardCharsets.UTF_8);
        return new Issued(ENCODE.encodeToString(payload) + "." + ENCODE.encodeToString(mac(payload)), expiresAt);
    }

    /** The key's claims, or {@link MalformedPacketException} for anything not signed here (expiry is the caller's). */
    public Claims verify(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_CHARS) {
            throw new MalformedPacketException("no key, or a key too long");
        }
        int dot = key.indexOf('.');
        if (dot <= 0 || dot != key.lastIndexOf('.')) {
            throw new MalformedPacketException("not a stream key");
        }
        byte[] payload;
        byte[] signature;
        try {
            payload = DECODE.decode(key.substring(0, dot));
            signature = DECODE.decode(key.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw new MalformedPacketException("not a stream key");
        }
        if (!MessageDigest.isEqual(mac(payload), signature)) {
            throw new MalformedPacketException("the key's signature does not check out");
        }
        String[] fields = new String(payload, StandardCharsets.UTF_8).split("\n", -1);
        if (fields.length != 7 || !fields[0].equals("1")) {
            throw new MalformedPacketException("unknown key version");
        }
        try {
            return new Claims(Action.valueOf(fields[1]), Long.parseLong(fields[2]), fields[3], fields[4], fields[5],
                    Long.parseLong(fields[6]));
        } catch (IllegalArgumentException e) {
            throw new MalformedPacketException("a key field is malformed"); // signed by us: only a bug gets here
        }
    }

    private byte[] mac(byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
