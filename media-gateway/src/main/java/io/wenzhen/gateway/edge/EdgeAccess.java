package io.wenzhen.gateway.edge;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.websockets.next.WebSocketConnection;
import io.wenzhen.gateway.config.GatewayConfig;
import io.wenzhen.gateway.session.Session;
import io.wenzhen.gateway.session.SessionRegistry;
import io.wenzhen.gateway.signaling.GatewayError;
import io.wenzhen.gateway.webrtc.Sfu;
import io.wenzhen.protocols.MalformedPacketException;

/**
 * Who may connect to the mini-program edge. Signaling hands out keyed addresses; an RTMP or FLV
 * connection presents one, and is let in only while the key's session still has that publication
 * or playback open, and — for the first connection of a key — before the key expires (live-pusher
 * and live-player reconnect with the same address, which must keep working for the whole call).
 */
@ApplicationScoped
public class EdgeAccess {

    @Inject
    GatewayConfig config;

    @Inject
    SessionRegistry sessions;

    @Inject
    Sfu sfu;

    @Inject
    RtmpServer rtmp;

    private StreamKeys keys;

    /** What an admitted connection works with. */
    public record Grant(Session session, Sfu.Source source, StreamKeys.Claims claims) {
    }

    @jakarta.annotation.PostConstruct
    void init() {
        keys = new StreamKeys(config.streamKeySecret().orElse(null), config.streamKeyTtl());
    }

    /** The edge's addresses as this client reached the gateway (configured ones win). */
    public EdgeUrls urls(WebSocketConnection connection) {
        var request = connection.handshakeRequest();
        String host = request.host();
        if (host != null && host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]"; // IPv6
        }
        boolean secure = request.scheme() != null && request.scheme().endsWith("s");
        String flv = config.flvPublicUrl().orElse((secure ? "https://" : "http://") + host + ":" + request.port());
        String rtmpBase = config.rtmpPublicUrl().orElse("rtmp://" + host + ":" + rtmp.port());
        return new EdgeUrls(strip(rtmpBase), strip(flv));
    }

    private static String strip(String base) {
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    public StreamKeys.Issued issue(StreamKeys.Action action, Session session, String streamId) {
        return keys.issue(action, session.appId(), session.roomId(), streamId, session.id(), Instant.now());
    }

    /**
     * Checks a connection's key against the address it came to ({@code appId}/{@code streamId}) and
     * the session's state; marks the key used (reconnects may follow after its expiry).
     */
    public Grant admit(String key, StreamKeys.Action action, String appId, String streamId) {
        StreamKeys.Claims claims;
        try {
            claims = keys.verify(key);
        } catch (MalformedPacketException e) {
            throw new EdgeRefusal(GatewayError.STREAM_KEY_INVALID);
        }
        if (claims.action() != action || !Long.toString(claims.appId()).equals(appId) || !claims.streamId().equals(streamId)) {
            throw new EdgeRefusal(GatewayError.STREAM_KEY_INVALID);
        }
        Session session = sessions.byId(claims.sessionId());
        if (session == null || session.state() == Session.State.CLOSED) {
            throw new EdgeRefusal(GatewayError.STREAM_KEY_INVALID);
        }
        boolean open = action == StreamKeys.Action.PUBLISH ? session.published().contains(streamId)
                : session.played().contains(streamId);
        if (!open) {
            throw new EdgeRefusal(GatewayError.STREAM_KEY_INVALID);
        }
        if (claims.expired(Instant.now()) && !session.edgeKeysUsed().contains(key)) {
            throw new EdgeRefusal(GatewayError.STREAM_KEY_INVALID);
        }
        Sfu.Source source = sfu.source(session.roomKey(), streamId);
        if (source == null) {
            throw new EdgeRefusal(GatewayError.STREAM_NOT_ON_THIS_GATEWAY);
        }
        session.edgeKeysUsed().add(key);
        return new Grant(session, source, claims);
    }

    /** VP8 streams' transcoding bridges, by the producer they transcode; guarded by itself. */
    private final java.util.Map<io.wenzhen.gateway.webrtc.Producer, io.wenzhen.gateway.edge.video.VideoBridge> bridges =
            new java.util.HashMap<>();

    /** Whether FLV can carry this stream: H.264, or VP8 with transcoding on. */
    public void checkPlayable(Sfu.Source source) {
        if (!h264(source) && !"transcode".equals(config.vp8ForFlv())) {
            throw new EdgeRefusal(GatewayError.CODEC_NOT_PLAYABLE);
        }
    }

    private static boolean h264(Sfu.Source source) {
        return source.track("video").map(t -> t.codec().equalsIgnoreCase("H264")).orElse(true);
    }

    /**
     * What an FLV player of this stream subscribes to: the stream itself when its video is H.264,
     * else the output of the stream's transcoding bridge (started for its first FLV player).
     */
    public Sfu.Source playable(Sfu.Source source, String label) {
        checkPlayable(source);
        if (h264(source)) {
            return source;
        }
        synchronized (bridges) {
            io.wenzhen.gateway.edge.video.VideoBridge bridge = bridges.get(source.producer());
            if (bridge == null) {
                bridge = new io.wenzhen.gateway.edge.video.VideoBridge(source, label);
                bridges.put(source.producer(), bridge);
                source.producer().add(bridge);
            }
            return bridge.output();
        }
    }

    /** Starts an admitted FLV/RTMP playback (replacing the player's earlier one). */
    public void play(Grant grant, FlvSubscriber sink, Sfu.Source feeding) {
        sfu.playEdge(grant.session().roomKey(), grant.claims().streamId(), grant.session().id(), sink, feeding.producer());
    }

    /** The playback's connection ended: the subscription goes with it (unless a newer one replaced it), and an unused bridge. */
    public void stopped(Grant grant, FlvSubscriber sink) {
        sfu.endPlayback(grant.session().roomKey(), grant.claims().streamId(), grant.session().id(), sink);
        synchronized (bridges) {
            bridges.entrySet().removeIf(entry -> {
                if (entry.getValue().idle() || entry.getKey().consumers().isEmpty() || !entry.getKey().consumers().contains(entry.getValue())) {
                    entry.getValue().close();
                    return true;
                }
                return false;
            });
        }
    }
}
