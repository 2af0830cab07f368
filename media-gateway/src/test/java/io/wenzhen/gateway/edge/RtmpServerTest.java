package io.wenzhen.gateway.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.wenzhen.protocols.amf.Amf0;
import io.wenzhen.protocols.rtmp.ChunkDecoder;
import io.wenzhen.protocols.rtmp.ChunkEncoder;
import io.wenzhen.protocols.rtmp.Handshake;
import io.wenzhen.protocols.rtmp.RtmpMessage;
import io.wenzhen.testing.RealInfrastructureResource;

/**
 * The RTMP port against clients that misbehave: each bad connection is closed on its own, and a
 * well-behaved client connecting afterwards is served as if nothing happened.
 */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
class RtmpServerTest {

    @Inject
    RtmpServer server;

    /** A client connection after the handshake. */
    final class Client implements AutoCloseable {
        final Socket socket;
        final DataInputStream in;
        final OutputStream out;
        final ChunkEncoder encoder = new ChunkEncoder();
        ChunkDecoder decoder;

        Client() throws IOException {
            socket = new Socket("127.0.0.1", server.port());
            socket.setSoTimeout(15_000);
            in = new DataInputStream(socket.getInputStream());
            out = socket.getOutputStream();
            byte[] c0c1 = new byte[1 + Handshake.PACKET];
            c0c1[0] = 3;
            out.write(c0c1);
            byte[] s0s1s2 = new byte[1 + 2 * Handshake.PACKET];
            in.readFully(s0s1s2);
            out.write(s0s1s2, 1, Handshake.PACKET); // C2 echoes S1
            decoder = new ChunkDecoder(in, 1 << 20);
        }

        void command(int streamId, Object... values) throws IOException {
            out.write(encoder.encode(new RtmpMessage(RtmpMessage.COMMAND_AMF0, streamId, 0, Amf0.encode(values)), 3));
        }

        /** Commands from the server until one named {@code name} (or the connection closes). */
        List<Object> awaitCommand(String name) throws IOException {
            while (true) {
                RtmpMessage message = decoder.read();
                if (message.typeId() == RtmpMessage.COMMAND_AMF0) {
                    List<Object> values = Amf0.decode(message.payload());
                    if (name.equals(values.getFirst())) {
                        return values;
                    }
                }
            }
        }

        /** True when the server closed the connection (end of stream) within the timeout. */
        boolean closedByServer() throws IOException {
            try {
                while (in.read() >= 0) {
                    // drain whatever the server sent before closing
                }
                return true;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (SocketException e) {
                return true; // reset
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /**
     * A slow-loris: a client that completes the handshake and then sends a byte every second, never a
     * publish or play, is closed at the admission deadline (3 s in tests, 10 s by default) — before,
     * a byte every 9 s held the socket for hours.
     */
    @Test
    void aClientThatNeverPublishesNorPlaysIsClosedAtTheAdmissionDeadline() throws Exception {
        try (Client client = new Client()) {
            long start = System.nanoTime();
            boolean closed = false;
            for (int i = 0; i < 15 && !closed; i++) {
                try {
                    client.out.write(0x03); // a chunk header's first byte, one at a time
                    client.out.flush();
                    client.socket.setSoTimeout(1000);
                    closed = client.in.read() < 0;
                } catch (SocketTimeoutException e) {
                    // still open: trickle on
                } catch (IOException e) {
                    closed = true;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(closed && seconds < 8, "closed at the 3 s deadline, not kept: " + closed + " after " + seconds + " s");
        }
    }

    @Test
    void misbehavingClientsAreClosedAndOthersServed() throws Exception {
        assertTrue(server.port() > 0);
        // not RTMP at all: an HTTP request on the RTMP port
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".repeat(200).getBytes());
            assertEquals(-1, drain(socket), "closed after the bad version byte");
        }
        // a message header announcing more than rtmp-max-message-bytes
        try (Client client = new Client()) {
            client.out.write(new byte[] {0x03, 0, 0, 0, (byte) 0x7F, (byte) 0xFF, (byte) 0xFF, 20, 0, 0, 0, 0});
            assertTrue(client.closedByServer());
        }
        // chunks that continue nothing
        try (Client client = new Client()) {
            client.out.write(new byte[] {(byte) 0xC5, 1, 2, 3, 4, 5, 6, 7, 8});
            assertTrue(client.closedByServer());
        }
        // a command that is not AMF0
        try (Client client = new Client()) {
            client.out.write(client.encoder.encode(new RtmpMessage(RtmpMessage.COMMAND_AMF0, 0, 0, new byte[] {0x11, 0x22}), 3));
            assertTrue(client.closedByServer());
        }
        // publish before connect
        try (Client client = new Client()) {
            client.command(1, "publish", 0.0, null, "stream?key=x", "live");
            assertTrue(client.closedByServer());
        }
        // a well-formed client with a forged key: told why (the documented code), then closed
        try (Client client = new Client()) {
            client.command(0, "connect", 1.0, Map.of("app", "live/1234", "tcUrl", "rtmp://127.0.0.1/live/1234"));
            List<Object> connected = client.awaitCommand("_result");
            assertEquals("NetConnection.Connect.Success", ((Map<?, ?>) connected.get(3)).get("code"));
            client.command(0, "createStream", 2.0, null);
            assertEquals(1.0, client.awaitCommand("_result").get(3), "stream id 1");
            client.command(1, "publish", 0.0, null, "patient_main?key=forged.key", "live");
            List<Object> status = client.awaitCommand("onStatus");
            Map<?, ?> info = (Map<?, ?>) status.get(3);
            assertEquals("NetStream.Publish.BadName", info.get("code"));
            assertEquals(10316.0, info.get("wenzhenCode"));
            assertTrue(String.valueOf(info.get("description")).startsWith("10316 STREAM_KEY_INVALID"));
            assertTrue(client.closedByServer());
        }
        // and the server still serves
        try (Client client = new Client()) {
            client.command(0, "connect", 1.0, Map.of("app", "live/1234"));
            assertEquals("NetConnection.Connect.Success", ((Map<?, ?>) client.awaitCommand("_result").get(3)).get("code"));
        }
        assertThrows(IOException.class, () -> {
            try (Client client = new Client()) {
                client.out.write(new byte[] {0x03, 0, 0, 0, 0, 0, 1, 20, 0, 0, 0, 0, 0x02});
                client.awaitCommand("never"); // the server closes: the read fails
            }
        });
    }

    private static int drain(Socket socket) throws IOException {
        try {
            int b;
            while ((b = socket.getInputStream().read()) >= 0) {
                // nothing expected
            }
            return b;
        } catch (SocketException e) {
            return -1;
        }
    }
}
