package io.wenzhen.gateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The gateway's settings (environment: WENZHEN_GATEWAY_…). Documented in docs/protocol.md. */
@ConfigMapping(prefix = "wenzhen.gateway")
public interface GatewayConfig {

    /** This replica's name in commands and events; default: a random id per start. */
    Optional<String> id();

    /** Its zone (Kubernetes: the node's topology.kubernetes.io/zone), reported in heartbeats for placing rooms. */
    Optional<String> zone();

    /**
     * Where the other gateways reach this one's signaling to relay their clients' to it (ws://host:port/ws);
     * default: the bind address (the media address when that is every interface) and the HTTP port.
     * Kubernetes: the pod's address.
     */
    Optional<String> signalingUrl();

    /**
     * Where clients reach this gateway's signaling, handed to the SDKs to reconnect through when their
     * gateway is lost; default: {@link #signalingUrl()}. Kubernetes: the public address all gateways share.
     */
    Optional<String> publicUrl();

    /**
     * The ICE-TCP port (RFC 6544, passive) for browsers that cannot use UDP; absent: the media port's
     * number; -1: no ICE-TCP.
     */
    OptionalInt mediaTcpPort();

    /** Announce the UDP candidate; false leaves only ICE-TCP (for networks that drop UDP, and for tests). */
    @WithDefault("true")
    boolean iceUdp();

    /**
     * Dev tokens: {@code POST /dev/token} issues client tokens for the app named {@code demo}, for the
     * demo page. On only in {@code ./wenzhen up}; never in production.
     */
    @WithDefault("false")
    boolean devTokens();

    /**
     * Simulated loss of video toward players, a fraction in [0, 1) (NACK/RTX then repair it): for tests
     * and drills of quality alerts. 0, the default, in production.
     */
    @WithDefault("0")
    double impairmentPlayerLoss();

    /**
     * How long a drain (GET /internal/drain, the Kubernetes preStop) waits for the gateway's sessions
     * to end before it answers and lets the gateway stop. The pod's termination grace must be longer,
     * and so must the HTTP idle timeout (30 min), or the waiting request is cut first.
     */
    @WithDefault("PT25M")
    Duration drainGrace();

    /**
     * A drain never answers sooner than this, sessions or not: the time the balancers take to stop
     * sending new connections here after the readiness turns down.
     */
    @WithDefault("PT10S")
    Duration drainSettle();

    /**
     * Whether /internal/drain may be asked from the network (the kubelet's preStop comes from the
     * node); false takes it from this machine only. k8s/ turns it on and keeps 8080 to the cluster.
     */
    @WithDefault("false")
    boolean drainFromNetwork();

    /**
     * Whether SIGTERM drains first (calls let finish within the drain grace) instead of stopping at once; a
     * second SIGTERM stops at once. ./wenzhen up turns it off so that Ctrl-C stops everything at once.
     */
    @WithDefault("true")
    boolean drainOnSigterm();

    /** How long a dropped connection's session waits for a resume before its user leaves the room. */
    @WithDefault("PT30S")
    Duration resumeGrace();

    /** A connection that sends nothing (not even a heartbeat) for this long is treated as dropped. */
    @WithDefault("PT30S")
    Duration idleTimeout();

    /** How long room-service may take to answer a command. */
    @WithDefault("PT10S")
    Duration commandTimeout();

    /** tokenWillExpire is sent this long before the token runs out. */
    @WithDefault("PT30S")
    Duration tokenWarning();

    /** Largest client message, in bytes; larger ones are refused (the connection stays). */
    @WithDefault("65536")
    int maxMessageBytes();

    /** Messages per second a connection may send on average … */
    @WithDefault("20")
    int rateLimitPerSecond();

    /** … and in a burst. */
    @WithDefault("40")
    int rateLimitBurst();

    /** Streams one session may publish at once (camera, screen, …); more: SESSION_MEDIA_LIMIT (10319). */
    @WithDefault("4")
    int maxPublishesPerSession();

    /** Streams one session may play at once; more: SESSION_MEDIA_LIMIT (10319). */
    @WithDefault("16")
    int maxPlaysPerSession();

    /** Sessions one app may have on this gateway; more: APP_MEDIA_LIMIT (10320). */
    @WithDefault("5000")
    int maxSessionsPerApp();

    /** Publications and playbacks one app may have on this gateway together; more: APP_MEDIA_LIMIT (10320). */
    @WithDefault("4000")
    int maxMediaPerApp();

    /**
     * The fraction of the maximum heap that may be live (after collection) while new sessions and
     * streams are still taken; above it they are refused with GATEWAY_BUSY (10321).
     */
    @WithDefault("0.80")
    double memoryBudget();

    /**
     * The kernel send buffer of each HTTP connection (WebSocket, HTTP-FLV), in bytes: fixed, so that a
     * client that stops reading holds this much of the host's TCP memory, not the 4 MB autotuning allows.
     * 256 KiB carries a 2 Mbit/s FLV stream across a 1 s round trip.
     */
    @WithDefault("262144")
    int httpSendBufferBytes();

    /** WebSocket connections this gateway holds at most; more are refused with TOO_MANY_CONNECTIONS (10322). */
    @WithDefault("20000")
    int wsMaxConnections();

    /**
     * WebSocket connections one remote address may hold (behind a proxy: enable forwarded addresses,
     * quarkus.http.proxy.proxy-address-forwarding, or every client counts as the proxy's address).
     */
    @WithDefault("200")
    int wsMaxConnectionsPerAddress();

    /** A connection without a session (never logged in, or logged out) is closed after this long: LOGIN_DEADLINE (10323). */
    @WithDefault("PT15S")
    Duration loginDeadline();

    /** Events kept per session for a resume; a longer absence needs a new login. */
    @WithDefault("512")
    int resumeBuffer();

    /** The address the media port (UDP and ICE-TCP) and RTMP listen on; {@code ./wenzhen up} keeps them on loopback. */
    @WithDefault("0.0.0.0")
    String bindAddress();

    /** The UDP port of all WebRTC media (ICE-lite); 0 takes a free one (tests, extra replicas). */
    @WithDefault("40000")
    int mediaPort();

    /**
     * The UDP port of media pipes between gateways (a call moved off a draining gateway); 0 takes a free one.
     * Only other gateways reach it: it binds to {@link #pipeHost()}, and on Kubernetes a NetworkPolicy admits
     * gateways alone. Every datagram must authenticate under its pipe's key; nothing is ever answered.
     */
    @WithDefault("40001")
    int pipePort();

    /** The internal address the pipe port binds to and other gateways reach it at (Kubernetes: the pod's IP). */
    @WithDefault("127.0.0.1")
    String pipeHost();

    /**
     * Whether a drain moves the calls of this gateway's rooms to other gateways (through media pipes, the SDKs
     * handing over without a break) rather than letting them finish; with no other gateway, calls finish here.
     */
    @WithDefault("true")
    boolean drainMovesCalls();

    /** The address clients reach the media port at: the host candidate of every SDP answer. */
    @WithDefault("127.0.0.1")
    String mediaAddress();

    /** The node this gateway runs on (Kubernetes: spec.nodeName), to find its address in {@link #publicAddressesFile()}. */
    Optional<String> nodeName();

    /**
     * Lines of "node-name address": the address to announce on nodes clients cannot reach by their own
     * (1:1 NAT in a cloud); a node not listed announces media-address. Read once at start.
     */
    Optional<Path> publicAddressesFile();

    /** Video codecs in order of preference (mini-programs need H264). */
    @WithDefault("H264,VP8")
    List<String> videoCodecs();

    /**
     * Where a publisher's send-side bandwidth estimate starts, kbit/s (told to the browser in the answer; 0: the
     * browser's own start). Its delay-based estimate takes it from there, down within a second where the link is
     * narrower.
     */
    @WithDefault("1000")
    int publisherStartBitrate();

    /** The cluster key that opens ServerSecrets on the apps topic. */
    @WithDefault("secrets/cluster.key")
    Path clusterKeyFile();

    /** The RTMP port of the mini-program edge (live-pusher, live-player); 0 takes a free one, -1 turns RTMP off. */
    @WithDefault("1935")
    int rtmpPort();

    /**
     * The base of RTMP addresses handed to clients (default: rtmp://announced-address:rtmp-port, or the
     * host the client reached the gateway by while the announced address is a loopback one).
     */
    Optional<String> rtmpPublicUrl();

    /** The base of HTTP-FLV addresses handed to clients (default: the scheme, host and port the client reached the gateway by). */
    Optional<String> flvPublicUrl();

    /** RTMP connections beyond this many are closed at once (each holds a thread and buffers). */
    @WithDefault("2000")
    int rtmpMaxConnections();

    /** RTMP connections one remote address may hold (mini-programs behind a carrier's NAT share one). */
    @WithDefault("50")
    int rtmpMaxConnectionsPerAddress();

    /** An RTMP connection must have its publish or play admitted this long after it connects, or it is closed. */
    @WithDefault("PT10S")
    Duration rtmpAdmissionDeadline();

    /** An RTMP message larger than this closes its connection. */
    @WithDefault("4194304")
    int rtmpMaxMessageBytes();

    /** How long a fresh RTMP/FLV key admits a first connection. */
    @WithDefault("PT60S")
    Duration streamKeyTtl();

    /** The HMAC key of stream keys (any text); random per start when unset. Never logged. */
    Optional<String> streamKeySecret();

    /**
     * TURN servers handed to clients at login (turn: and turns: URLs, RFC 7065), for networks that block
     * UDP or allow only 443; unset: none.
     */
    Optional<List<String>> turnUrls();

    /** The TURN servers' shared secret (coturn's static-auth-secret) the credentials are made with. Never logged. */
    Optional<String> turnSecret();

    /**
     * How long a TURN credential handed out at login is valid: longer than any call (coturn refuses an
     * allocation's refresh once it has expired), short enough that a leaked one soon is worthless.
     */
    @WithDefault("PT12H")
    Duration turnCredentialLifetime();

    /**
     * FLV/RTMP players of a VP8 publisher: {@code transcode} (a bridge decodes and encodes the video
     * to H.264) or {@code refuse} (CODEC_NOT_PLAYABLE, 10315: no transcoding CPU spent).
     */
    @WithDefault("transcode")
    String vp8ForFlv();
}
