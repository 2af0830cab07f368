package io.wenzhen.protocols.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.junit.jupiter.api.Test;

import io.wenzhen.protocols.srtp.SrtpContext;
import io.wenzhen.protocols.srtp.SrtpKeys;

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
        Link link = Link.create();
        DtlsSrtpServer server = new DtlsSrtpServer(serverCertificate, clientCertificate.fingerprint());
        DtlsSrtpClient client = new DtlsSrtpClient(clientCertificate, serverCertificate.fingerprint());

        CompletableFuture<Object> accepted = CompletableFuture.supplyAsync(() -> {
            try {
                return new DTLSServerProtocol().accept(server, link.server());
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        new DTLSClientProtocol().connect(client, link.client());
        accepted.get(20, TimeUnit.SECONDS);

        SrtpKeyMaterial serverKeys = server.keys();
        SrtpKeyMaterial clientKeys = client.keys();
        assertEquals(SrtpKeyMaterial.AES128_CM_HMAC_SHA1_80, serverKeys.profile());
        assertArrayEquals(serverKeys.clientKey(), clientKeys.clientKey());
        assertArrayEquals(serverKeys.serverSalt(), clientKeys.serverSalt());

        // the browser sends with the client keys; the gateway receives with the same
        byte[] rtp = HexFormat.of().parseHex("806f0001000000640000abcd" + "0102030405060708");
        byte[] srtp = new SrtpContext(SrtpKeys.forRtp(clientKeys.clientKey(), clientKeys.clientSalt())).protect(rtp, 0, rtp.length);
        byte[] received = new SrtpContext(SrtpKeys.forRtp(serverKeys.clientKey(), serverKeys.clientSalt()))
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
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThrows(java.io.IOException.class, () -> new DTLSClientProtocol().connect(client, link.client()));
        ExecutionException failed = assertThrows(ExecutionException.class, () -> accepted.get(20, TimeUnit.SECONDS));
        assertTrue(failed.getCause() instanceof IllegalStateException);
        assertNull(server.keys(), "no keys for an unverified peer");
    }

    @Test
    void fingerprintsLookLikeSdpWantsThem() {
        assertTrue(serverCertificate.fingerprint().matches("sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}"));
    }
}
