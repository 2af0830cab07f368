package io.wenzhen.gateway.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.wenzhen.gateway.config.GatewayConfig;

/**
 * The cluster key every gateway holds, and the secrets derived from it, one per use (HMAC-SHA256 of a label):
 * the relay's signatures, the handover tickets, the media pipes' keys. The cluster key itself signs nothing,
 * and a secret of one use is no secret of another.
 */
@ApplicationScoped
public class ClusterSecrets {

    private static final String ALGORITHM = "HmacSHA256";
    private final SecretKeySpec cluster;

    @Inject
    public ClusterSecrets(GatewayConfig config) {
        try {
            this.cluster = new SecretKeySpec(Base64.getDecoder().decode(Files.readString(config.clusterKeyFile()).strip()),
                    ALGORITHM);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the cluster key " + config.clusterKeyFile(), e);
        }
    }

    /** The secret for one use, named by its label. */
    public byte[] derive(String label) {
        return hmac(cluster.getEncoded(), label.getBytes(StandardCharsets.UTF_8));
    }

    /** HMAC-SHA256 of {@code data} under {@code key}. */
    public static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }
}
