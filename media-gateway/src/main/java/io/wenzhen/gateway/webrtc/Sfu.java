package io.wenzhen.gateway.webrtc;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.jboss.logging.Logger;

import io.wenzhen.protocols.MalformedPacketException;
import io.wenzhen.protocols.dtls.DtlsCertificate;
import io.wenzhen.protocols.sdp.SessionDescription;

/**
 * The gateway's SFU: one {@link Router} per room, a publisher's offer becomes a transport and a
 * {@link Producer}, a player's offer a transport and a {@link Consumer} of that producer. Plays by the
 * client-offers, gateway-answers rule; one peer connection per published or played stream.
 */
public final class Sfu implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Sfu.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * The signaling session a publication belongs to: only it replaces or ends it, so a second client
     * of the room cannot take a stream over by publishing under its streamID.
     */
    public record Owner(String sessionId, String userId) {
    }

    /** A publish under a streamID that another session's publication holds on this gateway (STREAM_ID_IN_USE). */
    public static final class StreamTakenException extends RuntimeException {
        StreamTakenException(String streamId) {
            super("stream " + streamId + " is published by another session");
        }
    }

    /**
     * A publication whose media connection ended on its own — its DTLS closed, or the publisher's
     * consent lapsed — rather than by an unpublish: it has been removed, and its players ended.
     */
    public interface PublicationLost {
        void lost(String roomKey, String streamId, Owner owner);
    }

    /** A publication whose media connection ended before it was admitted (MEDIA_CONNECTION_LOST). */
    public static final class PublicationLostException extends RuntimeException {
        PublicationLostException(String streamId) {
            super("the media connection of stream " + streamId + " ended before it was admitted");
        }
    }

    /**
     * One of a published stream's tracks: what its transport carries, by kind, for players to map onto.
     *
     * @param redPayloadType the payload type of redundant audio (RFC 2198) around {@code payloadType}; 0: none
     */
    public record Track(String kind, long ssrc, String codec, int payloadType, int redPayloadType) {

        public Track(String kind, long ssrc, String codec, int payloadType) {
            this(kind, ssrc, codec, payloadType, 0);
        }
    }

    /**
     * @param source what feeds the producer: its WebRtcTransport, the mini-program edge's publication, or
     *               the pipe from the gateway the stream is published on (closed with the stream)
     * @param piped  whether the stream comes through a pipe: its publisher is on another gateway, and its
     *               own publication here, when it moves here, takes the stream over and its players with it
     */
    record Published(Producer producer, AutoCloseable source, List<Track> tracks, Map<String, Integer> extensions, Owner owner,
            boolean piped) {

        Published(Producer producer, AutoCloseable source, List<Track> tracks, Map<String, Integer> extensions, Owner owner) {
            this(producer, source, tracks, extensions, owner, false);
        }

        Optional<Track> track(String kind) {
            return tracks.stream().filter(t -> t.kind().equals(kind)).findFirst();
        }

        /** Whether {@code fresh}, a publication of {@code owner}'s session, may take this one's place. */
        boolean replaceableBy(Owner by) {
            return owner.sessionId().equals(by.sessionId()) || piped && owner.userId().equals(by.userId());
        }
    }

    /** What a pipe to another gateway needs to say of a stream published here: its tracks and extension ids. */
    public record PipedStream(List<Track> tracks, Map<String, Integer> extensions, Owner owner) {
    }

    /**
     * A publication answered but not forwarding yet: held aside until room-service confirms the stream
     * ({@link #admit}), or dropped when it refuses ({@link #discard}). Players see it only once admitted.
     *
     * @param answer the SDP answer for a WebRTC publisher; null for the edge's
     */
    public record Publication(String roomKey, String streamId, String answer, Published published) {

        public Source source() {
            return new Source(published.producer(), published.tracks(), published.source(), published.owner());
        }
    }

    /**
     * What a WebRTC media connection was answered with, kept while it lives: an ICE restart answers the client's
     * new offer with the same choices (and refuses one that changes them).
     */
    private record Negotiation(WebRtcTransport transport, List<SdpAnswer.Chosen> chosen, Map<String, SdpAnswer.Sending> sending,
            List<String> videoPreference, String remoteFingerprint) {
    }

    /**
     * @param transport the player's WebRtcTransport; null for a sink that owns its own connection
     * @param source    the published producer this playback belongs to (its end ends the playback)
     */
    record Played(Producer.Sink consumer, WebRtcTransport transport, Producer source, Map<String, Integer> playerExtensions) {

        Played(Producer.Sink consumer, WebRtcTransport transport, Producer source) {
            this(consumer, transport, source, Map.of());
        }
    }

    /** A published stream as a non-WebRTC player (the FLV edge) sees it. */
    public record Source(Producer producer, List<Track> tracks, AutoCloseable feed, Owner owner) {

        public Optional<Track> track(String kind) {
            return tracks.stream().filter(t -> t.kind().equals(kind)).findFirst();
        }
    }

    /** The SSRCs and payload types of a stream the edge feeds: H.264 and Opus, as a browser would send. */
    static final int EDGE_VIDEO_PT = 102;
    static final int EDGE_AUDIO_PT = 111;
    /** How long a pipe a local publication took over keeps feeding players that wait for the new keyframe. */
    static final Duration PIPE_HANDOVER = Duration.ofSeconds(10);

    /** A room's published and played streams on this gateway. */
    static final class Router {
        final Map<String, Published> published = new ConcurrentHashMap<>();
        final Map<String, Played> played = new ConcurrentHashMap<>();
    }

    /** About what a consultation's camera sends at 640x360 to 720p: the first second already looks like the call. */
    public static final int DEFAULT_PUBLISHER_START_KBPS = 1000;

    private final MediaPort port;
    private final DtlsCertificate certificate;
    private final InetSocketAddress announced;
    private final List<String> videoPreference;
    private final boolean announceUdp;
    private final Map<String, Router> routers = new ConcurrentHashMap<>();
    /** Each WebRTC media connection's answer, by room, stream, direction and session (see {@link #restartIce}). */
    private final Map<String, Negotiation> negotiations = new ConcurrentHashMap<>();
    /** The answers of publications prepared and not admitted yet. */
    private final Map<Published, Negotiation> heldNegotiations = new ConcurrentHashMap<>();
    /** Where a publisher's send-side estimate starts, kbit/s (see {@link SdpAnswer#publisherVideo}). */
    private volatile int publisherStartKbps = DEFAULT_PUBLISHER_START_KBPS;
    /** Video loss simulated toward every new player (0: none); see {@link #impairPlayers}. */
    private volatile double playerLoss;
    private volatile PublicationLost publicationLost = (roomKey, streamId, owner) -> { };
    /** Receiver reports and REMB to every publisher, once a second, off the media port's receive thread. */
    private final ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "sfu-rtcp-reports");
                thread.setDaemon(true);
                return thread;
            });

    /** The server's view of a stream: what arrives from its publisher, and each player's subscription. */
    public record StreamStats(String roomKey, String streamId, Producer.Report publisher, Map<String, Consumer.Stats> players) {
    }

    /**
     * @param announced the address clients reach the media port at (the candidate in every answer)
     */
    public Sfu(MediaPort port, DtlsCertificate certificate, InetSocketAddress announced, List<String> videoPreference) {
        this(port, certificate, announced, videoPreference, true);
    }

    /** @param announceUdp false to offer browsers only the ICE-TCP candidate (networks where UDP is blocked) */
    public Sfu(MediaPort port, DtlsCertificate certificate, InetSocketAddress announced, List<String> videoPreference,
            boolean announceUdp) {
        this.announceUdp = announceUdp;
        this.port = port;
        this.certificate = certificate;
        this.announced = announced;
        this.videoPreference = List.copyOf(videoPreference);
        reporter.scheduleAtFixedRate(this::reportToPublishers, 1, 1, TimeUnit.SECONDS);
    }

    private void reportToPublishers() {
        for (Router router : routers.values()) {
            for (Published published : router.published.values()) {
                try {
                    published.producer().report();
                } catch (RuntimeException e) {
                    // one transport's failure must not stop the reports of the others
                    LOG.debugf("report to %s failed: %s", published.producer().streamId(), e);
                }
            }
        }
    }

    /** Every stream published on this gateway, with its players. */
    public List<StreamStats> stats() {
        List<StreamStats> out = new ArrayList<>();
        routers.forEach((roomKey, router) -> router.published.forEach((streamId, published) -> {
            Map<String, Consumer.Stats> players = new TreeMap<>();
            router.played.forEach((key, played) -> {
                if (key.startsWith(streamId + "/") && played.consumer() instanceof Consumer consumer
                        && consumer.producer() == published.producer()) {
                    players.put(key.substring(streamId.length() + 1), consumer.stats());
                }
            });
            out.add(new StreamStats(roomKey, streamId, published.producer().lastReport(), players));
        }));
        return out;
    }

    /**
     * A publisher's offer, answered and held aside: its media is forwarded only once {@link #admit}ted.
     *
     * @throws StreamTakenException when another session's publication holds the streamID here
     */
    public Publication prepare(String roomKey, String streamId, String offer, Owner owner) {
        refuseIfTaken(roomKey, streamId, owner);
        SessionDescription parsed = SessionDescription.parse(offer);
        WebRtcTransport transport = new WebRtcTransport(port, certificate, SdpAnswer.remoteFingerprint(parsed));
        SdpAnswer.Result answer;
        try {
            answer = SdpAnswer.answer(parsed, local(transport), videoPreference, Map.of(), streamId);
        } catch (MalformedPacketException e) {
            transport.close();
            throw e;
        }
        Producer producer = new Producer(streamId, transport);
        Integer transportWideCc = forwardedExtensions(parsed).get(SdpAnswer.TRANSPORT_WIDE_CC);
        if (transportWideCc != null) {
            transport.receiveTransportWideCc(transportWideCc); // the publisher's own estimate paces its encoder
        }
        List<Track> tracks = answer.media().stream().filter(m -> m.mediaSsrc() >= 0)
                .map(m -> new Track(m.kind(), m.mediaSsrc(), m.codec().name(), m.codec().payloadType(), Math.max(0, m.redPayloadType())))
                .toList();
        redOf(tracks, producer);
        tracks.forEach(t -> producer.declare(t.ssrc()));
        tracks.stream().filter(t -> t.kind().equals("video")).findFirst().ifPresent(t -> producer.videoSsrc(t.ssrc()));
        // retransmissions the publisher sends on its RTX SSRC are unwrapped into the media stream
        answer.media().stream().filter(m -> m.rtxSsrc() >= 0)
                .forEach(m -> producer.rtxStream(m.rtxSsrc(), m.mediaSsrc(), m.codec().payloadType()));
        Published published = new Published(producer, transport, tracks, forwardedExtensions(parsed), owner);
        transport.onClosed(() -> transportEnded(roomKey, streamId, published));
        // remembered once admitted: a refused re-publish of the same session must not replace the live one's
        Negotiation negotiation = new Negotiation(transport, answer.media(), Map.of(), videoPreference, SdpAnswer.remoteFingerprint(parsed));
        heldNegotiations.put(published, negotiation);
        transport.onClosed(() -> heldNegotiations.remove(published));
        return new Publication(roomKey, streamId, answer.sdp(), published);
    }

    /** Who hears of a publication lost with its media connection (the signaling side tells the room and the publisher). */
    public void onPublicationLost(PublicationLost listener) {
        this.publicationLost = listener;
    }

    /**
     * A publisher's transport closed. While that publication is still the stream's (an unpublish or a
     * re-publish removes it first, so their own closing is not a loss) it ends here, with its players.
     */
    private void transportEnded(String roomKey, String streamId, Published published) {
        Router router = routers.get(roomKey);
        if (router != null && router.published.remove(streamId, published)) {
            stop(router, published);
            pruneIfEmpty(roomKey);
            publicationLost.lost(roomKey, streamId, published.owner());
        }
    }

    /** {@link #prepare} and {@link #admit} at once: for tests and tools that have no room-service to ask. */
    public String publish(String roomKey, String streamId, String offer, Owner owner) {
        Publication publication = prepare(roomKey, streamId, offer, owner);
        admit(publication);
        return publication.answer();
    }

    /**
     * A stream whose media the mini-program edge will feed (an RTMP publisher): announced with
     * H.264 and Opus tracks of the gateway's own SSRCs, so WebRTC players can subscribe before the
     * pusher connects. {@code feed} is closed when the stream stops. Held aside until {@link #admit}ted.
     */
    public Publication prepareEdge(String roomKey, String streamId, AutoCloseable feed, Owner owner) {
        refuseIfTaken(roomKey, streamId, owner);
        Producer producer = new Producer(streamId, packet -> {
            // RTMP has no feedback channel: reports, NACKs and keyframe requests have nowhere to go
        }, 2_500_000);
        List<Track> tracks = List.of(new Track("video", RANDOM.nextLong(1, 0xFFFF_FFFFL), "H264", EDGE_VIDEO_PT),
                new Track("audio", RANDOM.nextLong(1, 0xFFFF_FFFFL), "opus", EDGE_AUDIO_PT));
        tracks.forEach(t -> producer.declare(t.ssrc()));
        producer.videoSsrc(tracks.getFirst().ssrc());
        return new Publication(roomKey, streamId, null, new Published(producer, feed, tracks, Map.of(), owner));
    }

    /** {@link #prepareEdge} and {@link #admit} at once (tests). */
    public Source publishEdge(String roomKey, String streamId, AutoCloseable feed, Owner owner) {
        Publication publication = prepareEdge(roomKey, streamId, feed, owner);
        admit(publication);
        return publication.source();
    }

    /**
     * Puts a prepared publication into its room: players can subscribe and its media is forwarded. It
     * replaces an earlier publication of the same session under that streamID (a re-publish), never
     * another session's: then it is discarded and StreamTakenException thrown. One whose media
     * connection ended while it was held aside is removed again and PublicationLostException thrown.
     */
    public void admit(Publication publication) {
        Published fresh = publication.published();
        Published[] replaced = new Published[1];
        boolean[] taken = new boolean[1];
        Router router = inRouter(publication.roomKey(), r -> {
            r.published.compute(publication.streamId(), (streamId, current) -> {
                if (current != null && !current.replaceableBy(fresh.owner())) {
                    taken[0] = true;
                    return current;
                }
                replaced[0] = current;
                return fresh;
            });
        });
        if (taken[0]) {
            discard(publication);
            throw new StreamTakenException(publication.streamId());
        }
        if (replaced[0] != null && replaced[0].piped()) {
            takeOver(router, replaced[0], fresh);
        } else if (replaced[0] != null) {
            stop(router, replaced[0]);
        }
        if (fresh.source() instanceof WebRtcTransport transport && transport.closed()
                && router.published.remove(publication.streamId(), fresh)) {
            // its connection ended while it was held aside (the close found nothing to remove then)
            stop(router, fresh);
            pruneIfEmpty(publication.roomKey());
            throw new PublicationLostException(publication.streamId());
        }
        Negotiation negotiation = heldNegotiations.remove(fresh);
        if (negotiation != null) {
            remember(negotiationKey(publication.roomKey(), publication.streamId(), true, fresh.owner().sessionId()), negotiation);
        }
    }

    /**
     * The stream's publisher, whose media came here through a pipe, now publishes here itself: each WebRTC
     * player of the piped stream moves to the new producer at its next keyframe (no new negotiation, and the
     * player sees one stream); other sinks (FLV players) end as at a re-publish and reconnect. The pipe stays
     * open for {@link #PIPE_HANDOVER}, feeding the players until they have moved; a player still waiting then
     * (its video sent no keyframe: a camera turned off) is moved all the same.
     */
    private void takeOver(Router router, Published replaced, Published fresh) {
        List<Consumer> moving = new ArrayList<>();
        String videoCodec = fresh.track("video").map(Track::codec).orElse(null);
        boolean sameCodec = Objects.equals(videoCodec, replaced.track("video").map(Track::codec).orElse(null));
        for (Map.Entry<String, Played> entry : router.played.entrySet()) {
            Played played = entry.getValue();
            if (played.source() != replaced.producer()) {
                continue;
            }
            if (sameCodec && played.consumer() instanceof Consumer consumer) {
                Map<Long, Consumer.Mapping> mappings = new HashMap<>();
                for (Track track : fresh.tracks()) {
                    replaced.track(track.kind()).map(old -> consumer.mapping(old.ssrc()))
                            .ifPresent(mapping -> mappings.put(track.ssrc(), mapping));
                }
                consumer.retarget(fresh.producer(), mappings, extensionMap(fresh.extensions(), played.playerExtensions()),
                        videoCodec);
                moving.add(consumer);
                router.played.replace(entry.getKey(), played,
                        new Played(consumer, played.transport(), fresh.producer(), played.playerExtensions()));
            } else if (router.played.remove(entry.getKey(), played)) {
                close(played);
            }
        }
        reporter.schedule(() -> {
            moving.forEach(Consumer::completeMove);
            closeSource(replaced);
        }, PIPE_HANDOVER.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * What another gateway needs to take a stream published here through a pipe; null when it is not
     * published here (or only through a pipe itself: pipes do not chain).
     */
    public PipedStream describe(String roomKey, String streamId) {
        Router router = routers.get(roomKey);
        Published published = router == null ? null : router.published.get(streamId);
        return published == null || published.piped() ? null
                : new PipedStream(published.tracks(), published.extensions(), published.owner());
    }

    /**
     * Sends a stream published here through a pipe to another gateway, until the stream or the pipe ends.
     *
     * @throws IllegalStateException when the stream is not (or no longer) published here; the pipe is closed
     */
    public void pipeOut(String roomKey, String streamId, PipeTransport pipe) {
        Router router = routers.get(roomKey);
        Published published = router == null ? null : router.published.get(streamId);
        if (published == null || published.piped()) {
            pipe.close();
            throw new IllegalStateException("stream " + streamId + " is not published on this gateway");
        }
        new PipeConsumer(published.producer(), pipe);
    }

    /**
     * A stream published on another gateway, arriving through a pipe: players here subscribe to it as to one
     * published here. Its end comes with the room's stream-removed, the pipe's silence, or its publisher's own
     * publication here, which takes it over ({@link #admit}).
     *
     * @throws StreamTakenException when the stream is published here already (the pipe is closed)
     */
    public void pipeIn(String roomKey, String streamId, PipedStream stream, PipeTransport pipe) {
        Producer producer = new Producer(streamId, pipe::sendRtcp, Consumer.DEFAULT_PLAYER_BANDWIDTH_BPS);
        stream.tracks().forEach(t -> producer.declare(t.ssrc()));
        stream.tracks().stream().filter(t -> t.kind().equals("video")).findFirst().ifPresent(t -> producer.videoSsrc(t.ssrc()));
        redOf(stream.tracks(), producer);
        Published published = new Published(producer, pipe, stream.tracks(), stream.extensions(), stream.owner(), true);
        boolean[] taken = new boolean[1];
        inRouter(roomKey, r -> taken[0] = r.published.putIfAbsent(streamId, published) != null);
        if (taken[0]) {
            pipe.close();
            throw new StreamTakenException(streamId);
        }
        pipe.onRtp(producer::receiveRtp);
        pipe.onRtcp(producer::receiveRtcp);
        pipe.onClosed(() -> {
            Router router = routers.get(roomKey);
            if (router != null && router.published.remove(streamId, published)) {
                stop(router, published);
                pruneIfEmpty(roomKey);
            }
        });
    }

    /** A prepared publication room-service refused (or that failed on the way): its transport and feed close. */
    public void discard(Publication publication) {
        Published published = publication.published();
        heldNegotiations.remove(published);
        for (Producer.Sink consumer : published.producer().consumers()) {
            consumer.close();
        }
        closeSource(published);
    }

    /** Whether another session than {@code sessionId} holds this streamID here. */
    private boolean takenByOther(String roomKey, String streamId, Owner owner) {
        Router router = routers.get(roomKey);
        Published published = router == null ? null : router.published.get(streamId);
        return published != null && !published.replaceableBy(owner);
    }

    private void refuseIfTaken(String roomKey, String streamId, Owner owner) {
        if (takenByOther(roomKey, streamId, owner)) {
            throw new StreamTakenException(streamId);
        }
    }

    /** A stream published here, for a player that is not a WebRTC transport; null when there is none. */
    public Source source(String roomKey, String streamId) {
        Router router = routers.get(roomKey);
        Published published = router == null ? null : router.published.get(streamId);
        return published == null ? null : new Source(published.producer(), published.tracks(), published.source(), published.owner());
    }

    /**
     * Subscribes a sink (the edge's FLV subscriber) to a stream published here, in place of any
     * earlier playback of that player; {@link #stopPlaying} or the publisher's end closes it.
     *
     * @param feeding the producer the sink takes its packets from: the stream's own, or a bridge's
     *                that transcodes it
     */
    public void playEdge(String roomKey, String streamId, String playerId, Producer.Sink sink, Producer feeding) {
        Source source = source(roomKey, streamId);
        if (source == null) {
            sink.close();
            throw new IllegalStateException("stream " + streamId + " is not published on this gateway");
        }
        Played previous = played(roomKey, streamId, playerId, new Played(sink, null, source.producer()));
        feeding.add(sink);
        close(previous);
    }

    private static void close(Played played) {
        if (played != null) {
            played.consumer().close();
            if (played.transport() != null) {
                played.transport().close();
            }
        }
    }

    /** A player's offer for a stream published here: returns the answer, sending only codecs the publisher sends. */
    public String play(String roomKey, String streamId, String offer, String playerId) {
        return play(roomKey, streamId, offer, playerId, 3);
    }

    /**
     * @param attempts how often the play starts over when the stream's publication was replaced meanwhile (its
     *                 publisher took a piped stream over, or published again): the new one is played instead
     */
    private String play(String roomKey, String streamId, String offer, String playerId, int attempts) {
        Router router = routers.get(roomKey);
        Published source = router == null ? null : router.published.get(streamId);
        if (source == null) {
            throw new IllegalStateException("stream " + streamId + " is not published on this gateway");
        }
        SessionDescription parsed = SessionDescription.parse(offer);
        WebRtcTransport transport = new WebRtcTransport(port, certificate, SdpAnswer.remoteFingerprint(parsed));
        Map<String, SdpAnswer.Sending> sending = new HashMap<>();
        parsed.media().forEach(m -> {
            if (m.mid() != null) {
                sending.put(m.mid(), new SdpAnswer.Sending(RANDOM.nextLong(1, 0xFFFF_FFFFL), RANDOM.nextLong(1, 0xFFFF_FFFFL)));
            }
        });
        List<String> videoCodec = source.tracks().stream().filter(t -> t.kind().equals("video")).map(Track::codec).toList();
        SdpAnswer.Result answer;
        try {
            answer = SdpAnswer.answer(parsed, local(transport), videoCodec, sending, streamId);
        } catch (MalformedPacketException e) {
            transport.close();
            throw e;
        }
        Map<Long, Consumer.Mapping> mappings = new HashMap<>();
        for (SdpAnswer.Chosen chosen : answer.media()) {
            SdpAnswer.Sending from = sending.get(chosen.mid());
            source.tracks().stream().filter(t -> t.kind().equals(chosen.kind())).findFirst().ifPresent(track ->
                    mappings.put(track.ssrc(), new Consumer.Mapping(from.ssrc(), chosen.codec().payloadType(), from.rtxSsrc(),
                            chosen.rtxPayloadType(), chosen.redPayloadType())));
        }
        Integer transportWideCc = forwardedExtensions(parsed).get(SdpAnswer.TRANSPORT_WIDE_CC);
        if (transportWideCc != null) {
            transport.sendTransportWideCc(transportWideCc, Consumer.DEFAULT_PLAYER_BANDWIDTH_BPS);
        }
        Consumer consumer = new Consumer(source.producer(), transport, mappings,
                extensionMap(source.extensions(), forwardedExtensions(parsed)));
        consumer.impair(playerLoss);
        Played playback = new Played(consumer, transport, source.producer(), forwardedExtensions(parsed));
        Played[] previous = new Played[1];
        boolean[] gone = new boolean[1];
        inRouter(roomKey, r -> {
            if (r.published.get(streamId) != source) {
                gone[0] = true; // the publisher stopped meanwhile: no playback of a dead producer is kept
            } else {
                previous[0] = r.played.put(streamId + "/" + playerId, playback);
            }
        });
        if (gone[0]) {
            close(playback);
            Router now = routers.get(roomKey);
            if (attempts > 1 && now != null && now.published.get(streamId) != null) {
                return play(roomKey, streamId, offer, playerId, attempts - 1);
            }
            throw new IllegalStateException("stream " + streamId + " is not published on this gateway");
        }
        close(previous[0]);
        // the player's transport gone (DTLS ended, consent lapsed): its playback is forgotten here too
        transport.onClosed(() -> endPlayback(roomKey, streamId, playerId, consumer));
        remember(negotiationKey(roomKey, streamId, false, playerId),
                new Negotiation(transport, answer.media(), sending, videoCodec, SdpAnswer.remoteFingerprint(parsed)));
        return answer.sdp();
    }

    /**
     * An ICE restart (RFC 8445 §9) of a session's media connection, after its network changed: the client's new
     * offer gets new ICE credentials and the same answer otherwise; DTLS, SRTP and the forwarding go on, and media
     * takes the new path once the client nominates it.
     *
     * @param publish the session's publication of the stream (true) or its playback (false)
     * @throws IllegalStateException when the session has no such media connection (any more)
     * @throws MalformedPacketException when the offer changes more than ICE (the certificate, codecs, m-lines or SSRCs)
     */
    public String restartIce(String roomKey, String streamId, boolean publish, String sessionId, String offer) {
        Negotiation negotiation = negotiations.get(negotiationKey(roomKey, streamId, publish, sessionId));
        if (negotiation == null) {
            throw new IllegalStateException("no media connection of this session for stream " + streamId);
        }
        SessionDescription parsed = SessionDescription.parse(offer);
        String fingerprint = SdpAnswer.remoteFingerprint(parsed);
        if (fingerprint == null || !fingerprint.equalsIgnoreCase(negotiation.remoteFingerprint())) {
            throw new MalformedPacketException("an ICE restart keeps the DTLS certificate of the first offer");
        }
        String ufrag = WebRtcTransport.newUfrag();
        String password = WebRtcTransport.newPassword();
        SdpAnswer.Result answer = SdpAnswer.answer(parsed, local(ufrag, password), negotiation.videoPreference(), negotiation.sending(), streamId);
        if (!answer.media().equals(negotiation.chosen())) {
            throw new MalformedPacketException("an ICE restart cannot change the media (m-lines, codecs or SSRCs)");
        }
        negotiation.transport().restartIce(ufrag, password);
        return answer.sdp();
    }

    /** Kept while its transport lives: what an ICE restart answers with again. */
    private void remember(String key, Negotiation negotiation) {
        negotiations.put(key, negotiation);
        negotiation.transport().onClosed(() -> negotiations.remove(key, negotiation));
    }

    private static String negotiationKey(String roomKey, String streamId, boolean publish, String sessionId) {
        return roomKey + "\n" + streamId + "\n" + (publish ? "publish" : "play") + "\n" + sessionId;
    }

    /**
     * Drops this fraction of the video packets sent to players (not their retransmissions): an impaired
     * network on purpose, for tests and for drills of loss repair and quality alerts. Never in production.
     */
    public void impairPlayers(double lossFraction) {
        if (lossFraction < 0 || lossFraction >= 1) {
            throw new IllegalArgumentException("a loss fraction is in [0, 1): " + lossFraction);
        }
        this.playerLoss = lossFraction;
    }

    /** Ends a publication, only while it is this session's: compare and remove, so no one ends another's stream. */
    public void stopPublishing(String roomKey, String streamId, String sessionId) {
        stopPublishingIf(roomKey, streamId, published -> published.owner().sessionId().equals(sessionId));
    }

    /** room-service ended the stream of this user (stream-removed): its publication here ends, if it is that user's. */
    public void streamRemoved(String roomKey, String streamId, String userId) {
        stopPublishingIf(roomKey, streamId, published -> published.owner().userId().equals(userId));
    }

    private void stopPublishingIf(String roomKey, String streamId, Predicate<Published> whose) {
        Router router = routers.get(roomKey);
        Published published = router == null ? null : router.published.get(streamId);
        if (published != null && whose.test(published) && router.published.remove(streamId, published)) {
            stop(router, published);
        }
        pruneIfEmpty(roomKey);
    }

    public void stopPlaying(String roomKey, String streamId, String playerId) {
        Router router = routers.get(roomKey);
        close(router == null ? null : router.played.remove(streamId + "/" + playerId));
        pruneIfEmpty(roomKey);
    }

    /** Ends a playback only while it is still this sink's (a newer connection of the same player may have replaced it). */
    public void endPlayback(String roomKey, String streamId, String playerId, Producer.Sink sink) {
        Router router = routers.get(roomKey);
        if (router == null) {
            return;
        }
        String key = streamId + "/" + playerId;
        Played played = router.played.get(key);
        if (played != null && played.consumer() == sink && router.played.remove(key, played)) {
            close(played);
        }
        pruneIfEmpty(roomKey);
    }

    /** A publisher leaving ends its players' consumers and transports with it, and forgets them. */
    private void stop(Router router, Published published) {
        router.played.values().removeIf(played -> {
            if (played.source() != published.producer()) {
                return false;
            }
            close(played);
            return true;
        });
        for (Producer.Sink consumer : published.producer().consumers()) {
            consumer.close();
        }
        closeSource(published);
    }

    private static void closeSource(Published published) {
        try {
            published.source().close();
        } catch (Exception e) {
            LOG.debugf("closing the source of %s: %s", published.producer().streamId(), e);
        }
    }

    /** A producer whose audio track is RED-wrapped unwraps it for the sinks that take plain Opus. */
    private static void redOf(List<Track> tracks, Producer producer) {
        tracks.stream().filter(t -> t.kind().equals("audio") && t.redPayloadType() > 0).findFirst()
                .ifPresent(t -> producer.red(t.redPayloadType(), t.payloadType()));
    }

    static final String MID = "urn:ietf:params:rtp-hdrext:sdes:mid";

    /** Where publishers' send-side estimates start, kbit/s (0: the browser's own start, 300 kbit/s in Chromium). */
    public void publisherStartBitrate(int kbps) {
        this.publisherStartKbps = kbps;
    }

    /** The header extensions the gateway forwards, by URI, with the ids this offer gave them (one set per BUNDLE). */
    static Map<String, Integer> forwardedExtensions(SessionDescription offer) {
        Map<String, Integer> ids = new HashMap<>();
        offer.media().forEach(m -> m.extensions().forEach((uri, id) -> {
            if (SdpAnswer.EXTENSIONS.contains(uri)) {
                ids.putIfAbsent(uri, id);
            }
        }));
        return ids;
    }

    /**
     * The publisher's extension id → the player's id for the same URI (0: the player did not
     * negotiate it, so it is removed); null when every id is the same, so packets need no rewrite.
     */
    static int[] extensionMap(Map<String, Integer> publisher, Map<String, Integer> player) {
        int[] map = new int[256];
        boolean identity = true;
        for (Map.Entry<String, Integer> entry : publisher.entrySet()) {
            int from = entry.getValue();
            // a MID value names the publisher's m-line, not the player's: removed, the player routes by SSRC
            int to = MID.equals(entry.getKey()) ? 0 : player.getOrDefault(entry.getKey(), 0);
            if (from > 0 && from < 256) {
                map[from] = to;
                identity &= from == to;
            }
        }
        return identity ? null : map;
    }

    private SdpAnswer.Local local(WebRtcTransport transport) {
        return local(transport.localUfrag(), transport.localPassword());
    }

    private SdpAnswer.Local local(String iceUfrag, String icePassword) {
        return new SdpAnswer.Local(iceUfrag, icePassword, certificate.fingerprint(), announced, port.tcpPort(), announceUdp,
                publisherStartKbps);
    }

    /** How many subscriptions a room has on this gateway (tests). */
    int playing(String roomKey) {
        Router router = routers.get(roomKey);
        return router == null ? 0 : router.played.size();
    }

    /**
     * Adds to a room's router inside the routers map's lock for that room, so that pruning an empty
     * router ({@link #pruneIfEmpty}) never loses what another thread is adding. Nothing is closed in here.
     */
    private Router inRouter(String roomKey, java.util.function.Consumer<Router> change) {
        return routers.compute(roomKey, (key, router) -> {
            Router target = router == null ? new Router() : router;
            change.accept(target);
            return target;
        });
    }

    /** A playback keyed by stream and player; the earlier playback of that player, for the caller to close. */
    private Played played(String roomKey, String streamId, String playerId, Played playback) {
        Played[] previous = new Played[1];
        inRouter(roomKey, router -> previous[0] = router.played.put(streamId + "/" + playerId, playback));
        return previous[0];
    }

    /** A room with nothing published or played here is forgotten (an idle gateway keeps no routers). */
    private void pruneIfEmpty(String roomKey) {
        routers.computeIfPresent(roomKey, (key, router) -> router.published.isEmpty() && router.played.isEmpty() ? null : router);
    }

    /** How many rooms have a router here (tests). */
    int routers() {
        return routers.size();
    }

    @Override
    public void close() {
        reporter.shutdownNow();
        port.close();
    }
}
