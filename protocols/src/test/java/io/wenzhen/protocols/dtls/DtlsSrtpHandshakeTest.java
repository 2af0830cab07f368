package io.wenzhen.protocols.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.junit.jupiter.api.Test;

import io.wenzhen.protocols.srtp.SrtpContext;
import io.wenzhen.protocols.srtp.SrtpProfile;

/** A full DTLS-SRTP handshake between our server and a BouncyCastle client, over an in-memory datagram link. */
class DtlsSrtpHandshakeTest {

    final DtlsCertificate serverCertificate = DtlsCertificate.generate("wenzhen-gateway", Duration.ofDays(30));
    final DtlsCertificate clientCertificate = DtlsCertificate.generate("browser", Duration.ofDays(30));

    record Link(QueueDatagramTransport server, QueueDatagramTransport client) {
        static Link create() {
            QueueDatagramTransport[] ends = new QueueDatagramTransport[2];
            ends[0] = new QueueDatagramTransport(datagram -> ends[1].offer(datagram));
            ends[1] = new QueueDatagramTransport(datagram -> ends[0].offer(datagram));
            return new Link(ends[0], ends[1]);
        }
    }

    @Test
    void agreesOnSrtpKeysThatProtectMediaBetweenTheTwo() throws Exception {
        SrtpKeyMaterial[] keys = handshake(new DtlsSrtpClient(clientCertificate, serverCertificate.fingerprint()));
        assertEquals(SrtpProfile.AEAD_AES_128_GCM, keys[0].profile(), "AES-GCM when the client offers it");
        assertMediaFlows(keys[0], keys[1]);
    }

    @Test
    void aClientWithoutAesGcmGetsAesCm() throws Exception {
        SrtpKeyMaterial[] keys = handshake(new DtlsSrtpClient(clientCertificate, serverCertificate.fingerprint(),
                List.of(SrtpProfile.AES128_CM_HMAC_SHA1_80)));
        assertEquals(SrtpProfile.AES128_CM_HMAC_SHA1_80, keys[0].profile());
        assertEquals(14, keys[0].clientSalt().length);
        assertMediaFlows(keys[0], keys[1]);
    }

    /** The server's and the client's exported keys. */
    private SrtpKeyMaterial[] handshake(DtlsSrtpClient client) throws Exception {
        Link link = Link.create();
        DtlsSrtpServer server = new DtlsSrtpServer(serverCertificate, clientCertificate.fingerprint());
        CompletableFuture<Object> accepted = CompletableFuture.supplyAsync(() -> {
            try {
                return new DTLSServerProtocol().accept(server, link.server());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        new DTLSClientProtocol().connect(client, link.client());
        accepted.get(20, TimeUnit.SECONDS);
        return new SrtpKeyMaterial[] {server.keys(), client.keys()};
    }

    private static void assertMediaFlows(SrtpKeyMaterial serverKeys, SrtpKeyMaterial clientKeys) {
        assertEquals(serverKeys.profile(), clientKeys.profile());
        assertArrayEquals(serverKeys.clientKey(), clientKeys.clientKey());
        assertArrayEquals(serverKeys.serverSalt(), clientKeys.serverSalt());
        // the browser sends with the client keys; the gateway receives with the same
        byte[] rtp = HexFormat.of().parseHex("806f0001000000640000abcd" + "0102030405060708");
        byte[] srtp = SrtpContext.of(clientKeys.profile(), clientKeys.clientKey(), clientKeys.clientSalt()).protect(rtp, 0, rtp.length);
        byte[] received = SrtpContext.of(serverKeys.profile(), serverKeys.clientKey(), serverKeys.clientSalt())
                .unprotect(srtp, 0, srtp.length);
        assertArrayEquals(rtp, received);
    }

    @Test
    void refusesAClientWhoseCertificateIsNotTheOneInItsSdp() {
        Link link = Link.create();
        DtlsCertificate impostor = DtlsCertificate.generate("impostor", Duration.ofDays(1));
        DtlsSrtpServer server = new DtlsSrtpServer(serverCertificate, clientCertificate.fingerprint());
        DtlsSrtpClient client = new DtlsSrtpClient(impostor, serverCertificate.fingerprint());

        CompletableFuture<Object> accepted = CompletableFuture.supplyAsync(() -> {
            try {
                return new DTLSServerProtocol().accept(server, link.server());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThrows(IOException.class, () -> new DTLSClientProtocol().connect(client, link.client()));
        ExecutionException failed = assertThrows(ExecutionException.class, () -> accepted.get(20, TimeUnit.SECONDS));
        assertTrue(failed.getCause() instanceof IllegalStateException);
        assertNull(server.keys(), "no keys for an unverified peer");
    }

    @Test
    void fingerprintsLookLikeSdpWantsThem() {
        assertTrue(serverCertificate.fingerprint().matches("sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}"));
    }
}
