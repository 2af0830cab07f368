package io.wenzhen.gateway.edge;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.websockets.next.WebSocketConnection;
import io.wenzhen.gateway.config.AnnouncedAddress;
import io.wenzhen.gateway.config.GatewayConfig;
import io.wenzhen.gateway.config.GatewayIdentity;
import io.wenzhen.gateway.edge.video.VideoBridge;
import io.wenzhen.gateway.errors.GatewayError;
import io.wenzhen.gateway.messages.EdgeUrls;
import io.wenzhen.gateway.session.Session;
import io.wenzhen.gateway.session.SessionRegistry;
import io.wenzhen.gateway.webrtc.Producer;
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
    AnnouncedAddress announced;

    @Inject
    SessionRegistry sessions;

    @Inject
    Sfu sfu;

    @Inject
    RtmpServer rtmp;

    private StreamKeys keys;

    /** What an admitted connection works with. */
    public record Grant(Session session, Sfu.Source source, StreamKeys.Claims claims, String key) {
    }

    @Inject
    GatewayIdentity identity;

    /** This gateway's id, which its FLV addresses carry (a gateway that gets one of them relays it here). */
    public String gatewayId() {
        return identity.id();
    }

    @PostConstruct
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
        // no port in the Host header (a proxy on 80 or 443): none in the address either
        String flv = config.flvPublicUrl().orElse((secure ? "https://" : "http://") + host + (request.port() > 0 ? ":" + request.port() : ""));
        // RTMP goes to this gateway's own address, as media does; on a loopback one (./wenzhen up) to the
        // host the client used, which is this machine as the client sees it
        String rtmpHost = announced.loopback() ? host : bracketed(announced.host());
        String rtmpBase = config.rtmpPublicUrl().orElse("rtmp://" + rtmpHost + ":" + rtmp.port());
        return new EdgeUrls(strip(rtmpBase), strip(flv));
    }

    private static String bracketed(String address) {
        return address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address;
    }

    private static String strip(String base) {
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    public StreamKeys.Issued issue(StreamKeys.Action action, Session session, String streamId) {
        return keys.issue(action, session.appId(), session.roomId(), streamId, session.id(), Instant.now());
    }

    /**
     * Checks a connection's key against the address it came to ({@code appId}/{@code streamId}) and
     * the session's state. Once the connection is in, {@link #used} lets the key reconnect after its expiry.
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
            throw new EdgeRefusal(GatewayError.STREAM_KEY_INVALID); // its publication has ended
        }
        if (action == StreamKeys.Action.PUBLISH && !source.owner().sessionId().equals(session.id())) {
            throw new EdgeRefusal(GatewayError.STREAM_KEY_INVALID); // a publication of another session: never fed by this key
        }
        return new Grant(session, source, claims, key);
    }

    /** The connection was let in all the way: from now on its key may reconnect after its expiry. */
    public void used(Grant grant) {
        grant.session().edgeKeysUsed().add(grant.key());
    }

    /** VP8 streams' transcoding bridges, by the producer they transcode; guarded by itself. */
    private final Map<Producer, VideoBridge> bridges =
            new HashMap<>();

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
     * Plays an admitted stream to an FLV output: the stream itself when its video is H.264, else the
     * output of its transcoding bridge (started for its first FLV player). One lock over creating a
     * bridge and subscribing to it, so that a sweep never closes a bridge a player is about to use.
     */
    public FlvSubscriber subscribe(Grant grant, FlvSubscriber.Output output, String label) {
        checkPlayable(grant.source());
        FlvSubscriber[] made = new FlvSubscriber[1];
        Runnable ended = () -> stopped(grant, made[0]);
        synchronized (bridges) {
            Sfu.Source feeding = grant.source();
            if (!h264(feeding)) {
                VideoBridge bridge = bridges.get(feeding.producer());
                if (bridge == null) {
                    bridge = new VideoBridge(feeding, label);
                    bridges.put(feeding.producer(), bridge);
                    feeding.producer().add(bridge);
                }
                feeding = bridge.output();
            }
            made[0] = new FlvSubscriber(feeding, output, label, ended);
            sfu.playEdge(grant.session().roomKey(), grant.claims().streamId(), grant.session().id(), made[0], feeding.producer());
        }
        used(grant);
        return made[0];
    }

    /** A playback ended (its connection, stopPlay, the publisher): out of the SFU, and a bridge nobody plays stops. */
    void stopped(Grant grant, FlvSubscriber sink) {
        if (sink == null) {
            return;
        }
        sfu.endPlayback(grant.session().roomKey(), grant.claims().streamId(), grant.session().id(), sink);
        List<VideoBridge> unused = new ArrayList<>();
        synchronized (bridges) {
            bridges.entrySet().removeIf(entry -> {
                boolean gone = entry.getValue().idle() || !entry.getKey().consumers().contains(entry.getValue());
                if (gone) {
                    unused.add(entry.getValue());
                }
                return gone;
            });
        }
        unused.forEach(VideoBridge::close); // outside the lock: closing ends its players, who come back here
    }
}
