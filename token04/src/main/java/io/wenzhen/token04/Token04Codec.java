package io.wenzhen.token04;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads and writes ZEGO's Token04, byte for byte as their open-source server assistants do:
 *
 * <pre>
 * "04" + Base64( expire:int64 BE | ivLength:uint16 BE | iv | ctLength:uint16 BE | ciphertext [| mode:uint8] )
 * </pre>
 *
 * CBC tokens have a 16-byte IV and no mode byte; GCM tokens a 12-byte nonce, the 16-byte tag at the
 * end of the ciphertext (counted in ctLength, no AAD) and mode byte 1. The cipher is the JCA's AES;
 * nothing here implements a primitive.
 */
public final class Token04Codec {

    /** Far above any real token (a 64-char userID and a long stream list make ~1 KiB). */
    public static final int MAX_TOKEN_CHARS = 4096;
    public static final int SECRET_LENGTH = 32;
    private static final String VERSION = "04";
    private static final int GCM_TAG_BITS = 128;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ThreadLocal<Cipher> CBC = ThreadLocal.withInitial(() -> cipher("AES/CBC/PKCS5Padding"));
    private static final ThreadLocal<Cipher> GCM = ThreadLocal.withInitial(() -> cipher("AES/GCM/NoPadding"));

    private Token04Codec() {
    }

    /** What the clear framing says, before anything is decrypted. */
    record Envelope(Token04Format format, long expire, byte[] iv, byte[] ciphertext) {
    }

    /** A decrypted token: its format, the clear expiry from the framing, and the sealed claims. */
    public record Decoded(Token04Format format, long headerExpire, Token04Claims claims) {
    }

    /** Encodes {@code claims} under {@code secret} with a fresh random IV/nonce. */
    public static String encode(Token04Claims claims, String secret, Token04Format format) {
        byte[] iv = new byte[format.ivLength()];
        RANDOM.nextBytes(iv);
        return encode(claims, secret, format, iv);
    }

    /** Encodes with a given IV/nonce; only tests should pick one. */
    static String encode(Token04Claims claims, String secret, Token04Format format, byte[] iv) {
        if (iv.length != format.ivLength()) {
            throw new IllegalArgumentException(format + " needs a " + format.ivLength() + "-byte IV");
        }
        byte[] plaintext = plaintext(claims);
        byte[] ciphertext;
        try {
            if (format == Token04Format.CBC) {
                Cipher cipher = cipher("AES/CBC/PKCS5Padding");
                cipher.init(Cipher.ENCRYPT_MODE, key(secret), new IvParameterSpec(iv));
                ciphertext = cipher.doFinal(plaintext);
            } else {
                Cipher cipher = cipher("AES/GCM/NoPadding");
                cipher.init(Cipher.ENCRYPT_MODE, key(secret), new GCMParameterSpec(GCM_TAG_BITS, iv));
                ciphertext = cipher.doFinal(plaintext);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES is not available", e);
        }
        if (ciphertext.length > 0xFFFF) {
            throw new IllegalArgumentException("claims too large for a Token04");
        }
        ByteBuffer out = ByteBuffer.allocate(8 + 2 + iv.length + 2 + ciphertext.length
                + (format == Token04Format.GCM ? 1 : 0));
        out.putLong(claims.expire()).putShort((short) iv.length).put(iv).putShort((short) ciphertext.length)
                .put(ciphertext);
        if (format == Token04Format.GCM) {
            out.put(Token04Format.GCM_MODE);
        }
        return VERSION + Base64.getEncoder().encodeToString(out.array());
    }

    /**
     * Decrypts {@code token} with {@code secret}. Structural problems are reported before any
     * decryption, so a malformed token is refused the same way whatever the secret.
     */
    public static Decoded decode(String token, String secret) {
        Envelope envelope = parse(token);
        byte[] plaintext = decrypt(envelope, secret);
        return new Decoded(envelope.format(), envelope.expire(), claims(plaintext, envelope.format()));
    }

    static Envelope parse(String token) {
        if (token == null || token.isEmpty()) {
            throw new TokenException(TokenError.TOKEN_MALFORMED, "empty token");
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            throw new TokenException(TokenError.TOKEN_OVERSIZED);
        }
        if (!token.startsWith(VERSION)) {
            throw new TokenException(TokenError.TOKEN_MALFORMED, "not a version 04 token");
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(token.substring(VERSION.length()));
        } catch (IllegalArgumentException e) {
            throw new TokenException(TokenError.TOKEN_MALFORMED, "not Base64");
        }
        ByteBuffer in = ByteBuffer.wrap(raw);
        try {
            long expire = in.getLong();
            int ivLength = Short.toUnsignedInt(in.getShort());
            if (ivLength != Token04Format.CBC.ivLength() && ivLength != Token04Format.GCM.ivLength()) {
                throw new TokenException(TokenError.TOKEN_MALFORMED, "IV length " + ivLength);
            }
            byte[] iv = new byte[ivLength];
            in.get(iv);
            int ctLength = Short.toUnsignedInt(in.getShort());
            byte[] ciphertext = new byte[ctLength];
            in.get(ciphertext);
            Token04Format format = format(in, ivLength);
            if (format == Token04Format.CBC ? ctLength == 0 || ctLength % 16 != 0 : ctLength <= GCM_TAG_BITS / 8) {
                throw new TokenException(TokenError.TOKEN_MALFORMED, "ciphertext length " + ctLength);
            }
            return new Envelope(format, expire, iv, ciphertext);
        } catch (BufferUnderflowException e) {
            throw new TokenException(TokenError.TOKEN_TRUNCATED);
        }
    }

    /** Nothing after the ciphertext: CBC. One byte: the mode. Anything more is not a Token04. */
    private static Token04Format format(ByteBuffer in, int ivLength) {
        Token04Format format;
        if (!in.hasRemaining()) {
            format = Token04Format.CBC;
        } else if (in.remaining() == 1) {
            byte mode = in.get();
            if (mode == Token04Format.GCM_MODE) {
                format = Token04Format.GCM;
            } else if (mode == Token04Format.CBC_MODE) {
                format = Token04Format.CBC;
            } else {
                throw new TokenException(TokenError.TOKEN_MALFORMED, "unknown mode " + mode);
            }
        } else {
            throw new TokenException(TokenError.TOKEN_MALFORMED, in.remaining() + " stray bytes after the ciphertext");
        }
        if (format.ivLength() != ivLength) {
            throw new TokenException(TokenError.TOKEN_MALFORMED, format + " with a " + ivLength + "-byte IV");
        }
        return format;
    }

    private static byte[] decrypt(Envelope envelope, String secret) {
        try {
            if (envelope.format() == Token04Format.CBC) {
                Cipher cipher = CBC.get();
                cipher.init(Cipher.DECRYPT_MODE, key(secret), new IvParameterSpec(envelope.iv()));
                return cipher.doFinal(envelope.ciphertext());
            }
            Cipher cipher = GCM.get();
            cipher.init(Cipher.DECRYPT_MODE, key(secret), new GCMParameterSpec(GCM_TAG_BITS, envelope.iv()));
            return cipher.doFinal(envelope.ciphertext());
        } catch (BadPaddingException | IllegalBlockSizeException e) { // AEADBadTagException is a BadPaddingException
            throw new TokenException(TokenError.TOKEN_UNDECRYPTABLE);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES is not available", e);
        }
    }

    private static Token04Claims claims(byte[] plaintext, Token04Format format) {
        JsonNode root;
        try {
            root = JSON.readTree(plaintext);
        } catch (IOException e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            // CBC has no integrity check: a wrong key with lucky padding yields noise, not JSON
            throw new TokenException(format == Token04Format.CBC ? TokenError.TOKEN_UNDECRYPTABLE
                    : TokenError.TOKEN_PAYLOAD_INVALID, "sealed content is not a JSON object");
        }
        long appId = integer(root, "app_id");
        if (appId < 0 || appId > 0xFFFF_FFFFL) {
            throw new TokenException(TokenError.TOKEN_PAYLOAD_INVALID, "app_id out of range");
        }
        JsonNode userId = root.path("user_id");
        if (!userId.isTextual()) {
            throw new TokenException(TokenError.TOKEN_PAYLOAD_INVALID, "user_id is not a string");
        }
        JsonNode payload = root.path("payload");
        if (!payload.isMissingNode() && !payload.isNull() && !payload.isTextual()) {
            throw new TokenException(TokenError.TOKEN_PAYLOAD_INVALID, "payload is not a string");
        }
        return new Token04Claims(appId, userId.asText(), integer(root, "nonce"), integer(root, "ctime"),
                integer(root, "expire"), payload.isTextual() ? payload.asText() : "");
    }

    private static long integer(JsonNode root, String field) {
        JsonNode value = root.path(field);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new TokenException(TokenError.TOKEN_PAYLOAD_INVALID, field + " is not an integer");
        }
        return value.asLong();
    }

    private static byte[] plaintext(Token04Claims claims) {
        ObjectNode root = JSON.createObjectNode();
        root.put("app_id", claims.appId());
        root.put("user_id", claims.userId());
        root.put("nonce", claims.nonce());
        root.put("ctime", claims.ctime());
        root.put("expire", claims.expire());
        root.put("payload", claims.payload());
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** ZEGO keys AES-256 with the secret's 32 characters themselves; anything else cannot be a ServerSecret. */
    private static SecretKeySpec key(String secret) {
        byte[] bytes = secret == null ? new byte[0] : secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length != SECRET_LENGTH) {
            throw new IllegalArgumentException("a ServerSecret is 32 characters");
        }
        return new SecretKeySpec(bytes, "AES");
    }

    private static Cipher cipher(String transformation) {
        try {
            return Cipher.getInstance(transformation);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(transformation + " is not available", e);
        }
    }

    /** A random nonce in the range ZEGO's Go assistant uses. */
    static long randomNonce() {
        return RANDOM.nextInt(Integer.MAX_VALUE);
    }
}
