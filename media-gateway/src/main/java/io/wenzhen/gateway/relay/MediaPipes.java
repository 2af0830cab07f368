package io.wenzhen.gateway.relay;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.wenzhen.gateway.config.GatewayConfig;
import io.wenzhen.gateway.config.GatewayIdentity;
import io.wenzhen.gateway.peers.ClusterSecrets;
import io.wenzhen.gateway.peers.GatewayDirectory;
import io.wenzhen.gateway.peers.RelayCredentials;
import io.wenzhen.gateway.webrtc.PipePort;
import io.wenzhen.gateway.webrtc.PipeTransport;
import io.wenzhen.gateway.webrtc.Sfu;
import io.wenzhen.protocols.pipe.PipeKeys;

/**
 * Sets up media pipes between gateways (docs/architecture.md, "Moving calls"). The gateway that has a stream
 * offers it: a POST to the other gateway's {@code /internal/v1/pipes}, signed like a relay (the signature
 * also covers the body's digest), naming the pipe's id, a random salt, the stream's tracks and this
 * gateway's pipe address; the other gateway opens its end and a piped publication, and answers with its
 * own pipe address. Both derive the pipe's keys from the salt and a secret of the cluster key: no key
 * travels, and the control request cannot be forged or replayed to another gateway.
 */
@ApplicationScoped
public class MediaPipes {

    private static final Logger LOG = Logger.getLogger(MediaPipes.class);
    private static final String LABEL = "wenzhen media pipe v1";
    static final String PATH = "/internal/v1/pipes";
    static final String REQUESTS = PATH + "/requests";
    /** A control request body longer than this is refused (a stream has two tracks and a few extensions). */
    public static final int MAX_BODY_BYTES = 16 * 1024;
    /** Pipes a gateway holds at most, in and out. */
    static final int MAX_PIPES = 4096;
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * Tolerant of fields it does not know (a newer gateway's offer still reaches this one), and writing a track's RED
     * payload type only when there is one: a gateway older than RED refuses unknown fields, and would refuse every
     * pipe offer otherwise.
     */
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .addMixIn(Sfu.Track.class, TrackJson.class);

    /** How a track is written on the pipe's control channel. */
    private interface TrackJson {
        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        int redPayloadType();
    }

    /** A refusal of a control request, with the HTTP status to answer it with. */
    public static final class PipeRefused extends RuntimeException {
        private final int status;

        PipeRefused(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** The control request's body. */
    record Offer(long pipeId, String salt, String roomKey, String streamId, String ownerSession, String ownerUser,
            List<Sfu.Track> tracks, Map<String, Integer> extensions, String pipeAddress) {
    }

    /** The control answer's body. */
    record Answer(String pipeAddress) {
    }

    /** A request for a stream's pipe, from a gateway that has a player for it. */
    record Request(String roomKey, String streamId) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    /** The signatures of control requests taken, by when (a replayed request is refused). */
    private final Map<String, Long> seen = new ConcurrentHashMap<>();
    private final byte[] secret;

    @Inject
    Sfu sfu;

    @Inject
    PipePort port;

    @Inject
    GatewayDirectory directory;

    @Inject
    RelayCredentials credentials;

    @Inject
    GatewayIdentity identity;

    @Inject
    GatewayConfig config;

    @Inject
    public MediaPipes(ClusterSecrets secrets) {
        this.secret = secrets.derive(LABEL);
    }

    /**
     * Asks {@code holder} to pipe a stream published there to this gateway (a player here, its publisher there:
     * a room moving between the two); completes once the pipe is open, fails when the holder does not have it.
     */
    public Uni<Void> pull(String roomKey, String streamId, String holder) {
        GatewayDirectory.Peer peer = directory.find(holder).orElse(null);
        if (peer == null) {
            return Uni.createFrom().failure(new IllegalStateException("gateway " + holder + " is not known"));
        }
        return post(peer, holder, REQUESTS, json(new Request(roomKey, streamId)), false).replaceWithVoid();
    }

    /** Another gateway's request for a stream's pipe: verified, then the stream is offered to it. */
    public Uni<Void> acceptRequest(Function<String, String> header, byte[] body) {
        String from = verified(header, body);
        Request request;
        try {
            request = read(body, Request.class);
        } catch (IllegalArgumentException e) {
            throw new PipeRefused(400, e.getMessage());
        }
        if (sfu.describe(request.roomKey(), request.streamId()) == null) {
            throw new PipeRefused(404, "stream " + request.streamId() + " is not published here");
        }
        return offer(request.roomKey(), request.streamId(), from);
    }

    /** Pipes a stream published here to {@code target}; fails when it is not published here or the target refuses. */
    public Uni<Void> offer(String roomKey, String streamId, String target) {
        Sfu.PipedStream stream = sfu.describe(roomKey, streamId);
        GatewayDirectory.Peer peer = directory.find(target).orElse(null);
        if (stream == null || peer == null) {
            return Uni.createFrom().failure(new IllegalStateException(stream == null
                    ? "stream " + streamId + " is not published here" : "gateway " + target + " is not known"));
        }
        long pipeId = RANDOM.nextInt(1, Integer.MAX_VALUE);
        byte[] salt = new byte[PipeKeys.SALT_BYTES];
        RANDOM.nextBytes(salt);
        Offer offer = new Offer(pipeId, Base64.getEncoder().encodeToString(salt), roomKey, streamId, stream.owner().sessionId(),
                stream.owner().userId(), stream.tracks(), stream.extensions(), ownAddress());
        return post(peer, target, PATH, json(offer), true).map(reply -> {
                    Answer answer = read(reply, Answer.class);
                    PipeKeys keys = PipeKeys.derive(secret, salt, pipeId, identity.id(), target);
                    PipeTransport pipe = port.open(pipeId, keys, true, address(answer.pipeAddress()));
                    sfu.pipeOut(roomKey, streamId, pipe);
                    LOG.infof("stream %s of %s piped to gateway %s (pipe %d)", streamId, roomKey, target, pipeId);
                    return null;
                });
    }

    /**
     * A signed control request to another gateway; its answer's body, when it is 200 (and, with {@code signedAnswer},
     * signed by that gateway for this request: an answer forged on the way cannot send a pipe's media elsewhere).
     */
    private Uni<byte[]> post(GatewayDirectory.Peer peer, String target, String path, byte[] body, boolean signedAnswer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(controlUri(peer.signalingUrl(), path)).timeout(TIMEOUT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        Map<String, String> headers = credentials.headers(identity.id(), target, null, digest(body), System.currentTimeMillis() / 1000);
        headers.forEach(request::header);
        return Uni.createFrom().completionStage(() -> http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray()))
                .map(response -> {
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("gateway " + target + " refused " + path + ": " + response.statusCode() + " "
                                + new String(response.body(), StandardCharsets.UTF_8));
                    }
                    if (signedAnswer && !credentials.answerVerifies(headers.get(RelayCredentials.SIGNATURE), response.body(),
                            response.headers().firstValue(RelayCredentials.ANSWER_SIGNATURE).orElse(null))) {
                        throw new IllegalStateException("gateway " + target + "'s answer to " + path + " is not signed for this request");
                    }
                    return response.body();
                });
    }

    /**
     * The gateway a signed control request comes from. A request seen before (its signature, within the
     * signatures' validity) is refused: a request captured on the internal network cannot set a pipe up again.
     */
    private String verified(Function<String, String> header, byte[] body) {
        RelayCredentials.Relayed from;
        long now = System.currentTimeMillis() / 1000;
        try {
            from = credentials.verify(header, identity.id(), now);
        } catch (SecurityException e) {
            throw new PipeRefused(403, e.getMessage());
        }
        if (from == null || !MessageDigest.isEqual(digest(body).getBytes(StandardCharsets.US_ASCII),
                from.address().getBytes(StandardCharsets.US_ASCII))) {
            throw new PipeRefused(403, "not a signed pipe request");
        }
        seen.values().removeIf(at -> now - at > 2 * RelayCredentials.MAX_SKEW_SECONDS);
        if (seen.size() >= MAX_PIPES * 4 || seen.putIfAbsent(header.apply(RelayCredentials.SIGNATURE), now) != null) {
            throw new PipeRefused(403, "a pipe request seen before");
        }
        return from.from();
    }

    /** The signature of an answer to a request: the header to send it with. */
    public String answerSignature(Function<String, String> requestHeader, String answer) {
        return credentials.signAnswer(requestHeader.apply(RelayCredentials.SIGNATURE), answer.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Another gateway's offer: verified, then the pipe's end here and its piped publication; the answer names
     * this gateway's pipe address.
     *
     * @throws PipeRefused 403 when the request is not a gateway's of this cluster meant for this one; 400 when it
     *                     is unreadable; 409 when the stream is published here already or the pipes are at their cap
     */
    public String accept(Function<String, String> header, byte[] body) {
        String from = verified(header, body);
        Offer offer;
        byte[] salt;
        InetSocketAddress remote;
        try {
            offer = read(body, Offer.class);
            salt = Base64.getDecoder().decode(offer.salt());
            remote = address(offer.pipeAddress());
            if (offer.pipeId() <= 0 || offer.pipeId() > 0xFFFF_FFFFL || salt.length != PipeKeys.SALT_BYTES
                    || offer.tracks() == null || offer.tracks().isEmpty() || offer.tracks().size() > 4
                    || offer.tracks().stream().anyMatch(t -> t == null || t.kind() == null || t.codec() == null
                            || t.redPayloadType() < 0 || t.redPayloadType() > 127
                            || t.redPayloadType() > 0 && (t.redPayloadType() == t.payloadType() || !"audio".equals(t.kind())))
                    || offer.extensions() != null && offer.extensions().entrySet().stream().anyMatch(e -> e.getKey() == null || e.getValue() == null)
                    || offer.roomKey() == null || offer.streamId() == null || offer.ownerSession() == null || offer.ownerUser() == null) {
                throw new IllegalArgumentException("pipe offer out of bounds");
            }
        } catch (IllegalArgumentException e) {
            throw new PipeRefused(400, e.getMessage());
        }
        if (port.pipes() >= MAX_PIPES) {
            throw new PipeRefused(409, "this gateway holds as many pipes as it may");
        }
        PipeKeys keys = PipeKeys.derive(secret, salt, offer.pipeId(), from, identity.id());
        PipeTransport pipe;
        try {
            pipe = port.open(offer.pipeId(), keys, false, remote);
        } catch (IllegalStateException e) {
            throw new PipeRefused(409, e.getMessage());
        }
        try {
            sfu.pipeIn(offer.roomKey(), offer.streamId(), new Sfu.PipedStream(List.copyOf(offer.tracks()),
                    offer.extensions() == null ? Map.of() : Map.copyOf(offer.extensions()),
                    new Sfu.Owner(offer.ownerSession(), offer.ownerUser())), pipe);
        } catch (Sfu.StreamTakenException e) {
            throw new PipeRefused(409, e.getMessage()); // the SFU closed the pipe
        } catch (RuntimeException e) {
            pipe.close();
            throw new PipeRefused(400, "pipe offer not taken: " + e.getMessage());
        }
        LOG.infof("stream %s of %s piped in from gateway %s (pipe %d)", offer.streamId(), offer.roomKey(), from,
                offer.pipeId());
        return new String(json(new Answer(ownAddress())), StandardCharsets.UTF_8);
    }

    private String ownAddress() {
        InetSocketAddress own = port.address();
        return config.pipeHost() + ":" + own.getPort();
    }

    /** A control URL beside a gateway's internal signaling URL (ws://host:port/ws → http://host:port/internal/v1/pipes…). */
    static URI controlUri(String signalingUrl, String path) {
        URI ws = URI.create(signalingUrl);
        String scheme = "wss".equals(ws.getScheme()) ? "https" : "http";
        return URI.create(scheme + "://" + ws.getRawAuthority() + path);
    }

    /** The relay credentials' address field of a pipe request: the body's SHA-256, so the signature covers it. */
    static String digest(byte[] body) {
        try {
            return "pipe:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static InetSocketAddress address(String hostAndPort) {
        int colon = hostAndPort == null ? -1 : hostAndPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("a pipe address is host:port");
        }
        try {
            int port = Integer.parseInt(hostAndPort.substring(colon + 1));
            return new InetSocketAddress(InetAddress.getByName(hostAndPort.substring(0, colon)), port);
        } catch (NumberFormatException | UnknownHostException e) {
            throw new IllegalArgumentException("unreadable pipe address " + hostAndPort);
        }
    }

    static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T read(byte[] body, Class<T> type) {
        try {
            return JSON.readValue(body, type);
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable: " + e.getMessage());
        }
    }
}
