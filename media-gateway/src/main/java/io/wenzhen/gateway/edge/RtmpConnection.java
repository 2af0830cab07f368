package io.wenzhen.gateway.edge;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import io.wenzhen.gateway.config.GatewayConfig;
import io.wenzhen.gateway.errors.GatewayError;
import io.wenzhen.protocols.MalformedPacketException;
import io.wenzhen.protocols.amf.Amf0;
import io.wenzhen.protocols.flv.FlvReader;
import io.wenzhen.protocols.flv.FlvTag;
import io.wenzhen.protocols.rtmp.ChunkDecoder;
import io.wenzhen.protocols.rtmp.ChunkEncoder;
import io.wenzhen.protocols.rtmp.Handshake;
import io.wenzhen.protocols.rtmp.RtmpMessage;

/**
 * One RTMP connection (Adobe RTMP 1.0, and the command flow live-pusher, live-player and FFmpeg
 * use): handshake, {@code connect}, {@code createStream}, then one {@code publish} — whose media an
 * {@link RtmpPublisher} turns into the room's producer — or one {@code play}, served by an
 * {@link FlvSubscriber}. Anything malformed, oversized or out of order closes this connection only,
 * with one log line; keys never reach the log.
 */
final class RtmpConnection implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RtmpConnection.class);
    static final int OUT_CHUNK_SIZE = 4096;
    static final int WINDOW = 2_500_000;
    static final int HANDSHAKE_TIMEOUT_MS = 10_000;
    /** The one message stream this server hands out per connection. */
    static final int STREAM_ID = 1;
    /** Before a publish is admitted, commands are all a client sends: headers alone cannot pin more. */
    static final int MAX_COMMAND_BYTES = 64 * 1024;

    private final Socket socket;
    private final EdgeAccess access;
    private final GatewayConfig config;
    private final EdgeMetrics metrics;
    private final ChunkEncoder encoder = new ChunkEncoder();
    private final String remote;
    private ChunkDecoder decoder;
    private OutputStream out;
    private String app;
    private long peerWindow;
    private long acknowledged;
    private volatile RtmpPublisher publisher;
    private volatile FlvSubscriber subscriber;
    private volatile EdgeAccess.Grant grant;
    private volatile boolean closed;
    private final AtomicBoolean closing = new AtomicBoolean();

    RtmpConnection(Socket socket, EdgeAccess access, GatewayConfig config, EdgeMetrics metrics) {
        this.socket = socket;
        this.access = access;
        this.config = config;
        this.metrics = metrics;
        this.remote = String.valueOf(socket.getRemoteSocketAddress());
    }

    void run() {
        String reason = "closed by the client";
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(HANDSHAKE_TIMEOUT_MS);
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 16 * 1024));
            out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
            handshake(in);
            socket.setSoTimeout((int) config.idleTimeout().toMillis());
            decoder = new ChunkDecoder(in, MAX_COMMAND_BYTES);
            while (!closed) {
                RtmpMessage message = decoder.read();
                acknowledge(decoder.bytesRead());
                handle(message);
            }
        } catch (EdgeRefusal e) {
            metrics.refused();
            reason = "refused: " + e.error().name();
        } catch (MalformedPacketException e) {
            metrics.protocolError();
            reason = "malformed: " + e.getMessage();
        } catch (SocketTimeoutException e) {
            reason = "silent for longer than the idle timeout";
        } catch (EOFException e) {
            reason = "closed by the client";
        } catch (IOException e) {
            reason = closed ? "closed by the gateway" : e.toString();
        } catch (RuntimeException e) {
            reason = "failed: " + e;
            LOG.debugf(e, "rtmp %s failed", remote);
        } finally {
            LOG.infof("rtmp %s %s: %s", remote, describe(), reason);
            cleanup();
        }
    }

    /** Whether a publish or play was admitted (until then the connection lives on the admission deadline). */
    boolean admitted() {
        return grant != null;
    }

    private String describe() {
        EdgeAccess.Grant current = grant;
        if (current == null) {
            return "(before publish/play)";
        }
        return (publisher != null ? "publishing " : "playing ") + current.claims().appId() + "/" + current.claims().streamId()
                + " session " + current.session().id();
    }

    private void handshake(DataInputStream in) throws IOException {
        byte[] c0c1 = new byte[1 + Handshake.PACKET];
        in.readFully(c0c1);
        Handshake.Response response = Handshake.respond(c0c1);
        out.write(response.s0s1s2());
        out.flush();
        in.readFully(new byte[Handshake.PACKET]); // C2: an echo nobody needs to check
    }

    private void acknowledge(long bytesRead) throws IOException {
        if (peerWindow > 0 && bytesRead - acknowledged >= peerWindow) {
            acknowledged = bytesRead;
            send(RtmpMessage.acknowledgement(bytesRead), ChunkEncoder.CONTROL);
        }
    }

    private void handle(RtmpMessage message) throws IOException {
        switch (message.typeId()) {
            case RtmpMessage.WINDOW_ACK_SIZE -> peerWindow = message.int32Payload();
            case RtmpMessage.COMMAND_AMF0 -> command(Amf0.decode(message.payload()));
            case RtmpMessage.COMMAND_AMF3 -> {
                // an AMF3 command message starts with one format byte, then AMF0 values
                byte[] payload = message.payload();
                command(Amf0.decode(payload, Math.min(1, payload.length), Math.max(0, payload.length - 1)));
            }
            case RtmpMessage.VIDEO -> {
                RtmpPublisher current = publisher;
                if (current != null) {
                    current.video(message.timestamp(), message.payload());
                }
            }
            case RtmpMessage.AUDIO -> {
                RtmpPublisher current = publisher;
                if (current != null) {
                    current.audio(message.timestamp(), message.payload());
                }
            }
            case RtmpMessage.AGGREGATE -> aggregate(message);
            default -> {
                // acknowledgements, user control (ping, buffer length), metadata (@setDataFrame): nothing to do
            }
        }
    }

    /** An aggregate message carries FLV tags whose times are relative to its own. */
    private void aggregate(RtmpMessage message) {
        RtmpPublisher current = publisher;
        if (current == null) {
            return;
        }
        long first = -1;
        for (FlvTag tag : FlvReader.tags(message.payload(), 0)) {
            if (first < 0) {
                first = tag.timestamp();
            }
            long timestamp = (message.timestamp() + tag.timestamp() - first) & 0xFFFF_FFFFL;
            if (tag.type() == FlvTag.VIDEO) {
                current.video(timestamp, tag.data());
            } else if (tag.type() == FlvTag.AUDIO) {
                current.audio(timestamp, tag.data());
            }
        }
    }

    private void command(List<Object> values) throws IOException {
        if (values.isEmpty() || !(values.getFirst() instanceof String name)) {
            throw new MalformedPacketException("RTMP: a command without a name");
        }
        double transaction = values.size() > 1 && values.get(1) instanceof Double number ? number : 0;
        switch (name) {
            case "connect" -> connect(values, transaction);
            case "createStream" -> reply(transaction, null, (double) STREAM_ID);
            case "releaseStream", "FCPublish", "FCUnpublish", "getStreamLength", "FCSubscribe" -> {
                if (transaction != 0) {
                    reply(transaction, null, null);
                }
            }
            case "publish" -> publish(values);
            case "play" -> play(values);
            case "deleteStream", "closeStream" -> closed = true;
            default -> {
                if (transaction != 0) {
                    send(command("_error", transaction, null, status("error", "NetConnection.Call.Failed", "unknown command " + name)),
                            ChunkEncoder.COMMAND);
                }
            }
        }
    }

    private void connect(List<Object> values, double transaction) throws IOException {
        if (app != null) {
            throw new MalformedPacketException("RTMP: a second connect");
        }
        Object properties = values.size() > 2 ? values.get(2) : null;
        if (!(properties instanceof Map<?, ?> map) || !(map.get("app") instanceof String name)) {
            throw new MalformedPacketException("RTMP: connect without an app");
        }
        app = name;
        send(RtmpMessage.windowAckSize(WINDOW), ChunkEncoder.CONTROL);
        send(RtmpMessage.setPeerBandwidth(WINDOW, 2), ChunkEncoder.CONTROL);
        send(RtmpMessage.setChunkSize(OUT_CHUNK_SIZE), ChunkEncoder.CONTROL);
        encoder.chunkSize(OUT_CHUNK_SIZE);
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("fmsVer", "FMS/3,0,1,123");
        server.put("capabilities", 31.0);
        Map<String, Object> info = status("status", "NetConnection.Connect.Success", "Connection succeeded.");
        info.put("objectEncoding", 0.0);
        send(command("_result", transaction, server, info), ChunkEncoder.COMMAND);
    }

    /** The address's two halves: {@code live/{appId}} as the app, {@code {streamID}?key=…} as the stream name. */
    private record Target(String appId, String streamId, String key) {
    }

    private Target target(List<Object> values) {
        if (app == null) {
            throw new MalformedPacketException("RTMP: publish or play before connect");
        }
        if (grant != null) {
            throw new MalformedPacketException("RTMP: a second publish or play on one connection");
        }
        Object name = values.size() > 3 ? values.get(3) : null;
        if (!(name instanceof String streamName)) {
            throw new MalformedPacketException("RTMP: publish or play without a stream name");
        }
        String path = app;
        int query = path.indexOf('?'); // some clients put the query on the app (tcUrl) instead
        String key = null;
        if (query >= 0) {
            key = parameter(path.substring(query + 1), "key");
            path = path.substring(0, query);
        }
        String stream = streamName;
        query = stream.indexOf('?');
        if (query >= 0) {
            String fromName = parameter(stream.substring(query + 1), "key");
            key = fromName != null ? fromName : key;
            stream = stream.substring(0, query);
        }
        if (stream.endsWith(".flv")) {
            stream = stream.substring(0, stream.length() - 4);
        }
        String[] parts = path.split("/");
        if (parts.length != 2 || !parts[0].equals("live")) {
            throw new EdgeRefusal(GatewayError.STREAM_KEY_INVALID);
        }
        return new Target(parts[1], stream, key);
    }

    private static String parameter(String query, String name) {
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).equals(name)) {
                return URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private void publish(List<Object> values) throws IOException {
        Target target = target(values);
        EdgeAccess.Grant admitted;
        try {
            admitted = access.admit(target.key(), StreamKeys.Action.PUBLISH, target.appId(), target.streamId());
            if (!(admitted.source().feed() instanceof EdgePublication publication)) {
                throw new EdgeRefusal(GatewayError.STREAM_KEY_INVALID); // a WebRTC publication of the same stream
            }
            RtmpPublisher ingest = new RtmpPublisher(admitted.source(), publication);
            publication.attach(this);
            access.used(admitted);
            grant = admitted;
            publisher = ingest;
            decoder.maxMessageBytes(config.rtmpMaxMessageBytes()); // media from here on
        } catch (EdgeRefusal e) {
            refuse("NetStream.Publish.BadName", e);
            throw e;
        }
        metrics.connected("rtmp-publish");
        send(RtmpMessage.streamBegin(STREAM_ID), ChunkEncoder.CONTROL);
        send(onStatus(status("status", "NetStream.Publish.Start", target.streamId() + " is now published.")), ChunkEncoder.COMMAND);
        LOG.infof("rtmp %s publishing %s/%s for session %s", remote, target.appId(), target.streamId(), admitted.session().id());
    }

    private void play(List<Object> values) throws IOException {
        Target target = target(values);
        EdgeAccess.Grant admitted;
        try {
            admitted = access.admit(target.key(), StreamKeys.Action.PLAY, target.appId(), target.streamId());
            access.checkPlayable(admitted.source());
        } catch (EdgeRefusal e) {
            refuse("NetStream.Play.StreamNotFound", e);
            throw e;
        }
        grant = admitted;
        access.used(admitted);
        // a player only listens: its silence is normal (it still closes when the client goes or the gateway ends it)
        socket.setSoTimeout(0);
        metrics.connected("rtmp-play");
        send(RtmpMessage.streamBegin(STREAM_ID), ChunkEncoder.CONTROL);
        send(onStatus(status("status", "NetStream.Play.Reset", "Playing and resetting " + target.streamId() + ".")), ChunkEncoder.COMMAND);
        send(onStatus(status("status", "NetStream.Play.Start", "Started playing " + target.streamId() + ".")), ChunkEncoder.COMMAND);
        send(new RtmpMessage(RtmpMessage.DATA_AMF0, STREAM_ID, 0, Amf0.encode("|RtmpSampleAccess", false, false)), ChunkEncoder.COMMAND);
        subscriber = access.subscribe(admitted, new RtmpOutput(), "rtmp " + remote);
        LOG.infof("rtmp %s playing %s/%s for session %s", remote, target.appId(), target.streamId(), admitted.session().id());
    }

    private void refuse(String code, EdgeRefusal e) throws IOException {
        Map<String, Object> info = status("error", code, e.description());
        info.put("wenzhenCode", (double) e.error().code());
        send(onStatus(info), ChunkEncoder.COMMAND);
    }

    /** FLV tags as RTMP messages on the play stream. */
    private final class RtmpOutput implements FlvSubscriber.Output {

        @Override
        public void write(FlvTag tag) throws IOException {
            int csid = tag.type() == FlvTag.AUDIO ? ChunkEncoder.AUDIO : tag.type() == FlvTag.VIDEO ? ChunkEncoder.VIDEO : ChunkEncoder.COMMAND;
            send(new RtmpMessage(tag.type(), STREAM_ID, tag.timestamp(), tag.data()), csid);
        }

        @Override
        public boolean congested() {
            return false; // writes block this connection's own thread: backpressure is the queue's
        }

        @Override
        public void close() {
            RtmpConnection.this.close();
        }
    }

    private static Map<String, Object> status(String level, String code, String description) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("level", level);
        info.put("code", code);
        info.put("description", description);
        return info;
    }

    private static RtmpMessage command(String name, double transaction, Object properties, Object info) {
        return new RtmpMessage(RtmpMessage.COMMAND_AMF0, 0, 0, Amf0.encode(name, transaction, properties, info));
    }

    private static RtmpMessage onStatus(Map<String, Object> info) {
        return new RtmpMessage(RtmpMessage.COMMAND_AMF0, STREAM_ID, 0, Amf0.encode("onStatus", 0.0, null, info));
    }

    private void reply(double transaction, Object properties, Object info) throws IOException {
        send(command("_result", transaction, properties, info), ChunkEncoder.COMMAND);
    }

    private void send(RtmpMessage message, int csid) throws IOException {
        synchronized (this) {
            out.write(encoder.encode(message, csid));
            out.flush();
        }
    }

    /** Any thread: ends the connection; its own thread then releases what it held ({@link #cleanup}). */
    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** On the connection's thread, once: the publisher's codecs are freed where they are used. */
    private void cleanup() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        close();
        RtmpPublisher ingest = publisher;
        if (ingest != null) {
            ingest.close();
            ingest.publication().detach(this);
        }
        FlvSubscriber sink = subscriber;
        if (sink != null) {
            sink.close(); // its close ends the playback in the SFU (and an unused bridge)
        }
    }
}
