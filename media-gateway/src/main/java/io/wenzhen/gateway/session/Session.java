package io.wenzhen.gateway.session;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.websockets.next.WebSocketConnection;
import io.wenzhen.events.room.RoomKeys;
import io.wenzhen.gateway.limits.BoundedSender;
import io.wenzhen.gateway.messages.EdgeUrls;
import io.wenzhen.token04.Token04Verifier;

/**
 * One engine's login to a room. It outlives its WebSocket: when the connection drops the session is
 * detached, keeps buffering its events, and a resume within the grace period re-attaches it and
 * replays what the client missed (events are numbered per session).
 */
public final class Session {

    public enum State { ACTIVE, DETACHED, CLOSED }

    private final String id;
    private final String resumeToken;
    private final long appId;
    private final String roomId;
    private final String userId;
    private final String userName;
    private final boolean userUpdate;
    private final int bufferLimit;
    private final Deque<ObjectNode> buffer = new ArrayDeque<>();
    /** Streams this session publishes and plays through this gateway's SFU, to stop when it ends. */
    private final Set<String> published = ConcurrentHashMap.newKeySet();
    private final Set<String> played = ConcurrentHashMap.newKeySet();
    /** Streams with a publish in flight (waiting for room-service): a loss of an earlier connection of theirs is replaced, not ended. */
    private final Set<String> publishing = ConcurrentHashMap.newKeySet();
    /** … and those whose earlier publication was lost meanwhile: if the publish fails, the stream ends as lost. */
    private final Set<String> lostWhilePublishing = ConcurrentHashMap.newKeySet();
    /** RTMP/FLV keys this session's connections have presented: reconnects with them outlive the keys' expiry. */
    private final Set<String> edgeKeysUsed = ConcurrentHashMap.newKeySet();
    private volatile EdgeUrls edgeUrls;
    /** Whether the client takes a move event (logs in elsewhere by handover): a drain moves only rooms whose every client does. */
    private volatile boolean handsOver;

    private Token04Verifier.VerifiedToken token;
    /** The token as the client sent it, to verify again when the app's secrets change (a revocation). */
    private String rawToken;
    private boolean expiryWarned;
    private WebSocketConnection connection;
    private State state = State.ACTIVE;
    private Instant detachedAt;
    private long seq;
    private boolean overflowed;

    public Session(String id, String resumeToken, long appId, String roomId, String userId, String userName,
            boolean userUpdate, Token04Verifier.VerifiedToken token, WebSocketConnection connection, int bufferLimit) {
        this.id = id;
        this.resumeToken = resumeToken;
        this.appId = appId;
        this.roomId = roomId;
        this.userId = userId;
        this.userName = userName;
        this.userUpdate = userUpdate;
        this.token = token;
        this.connection = connection;
        this.bufferLimit = bufferLimit;
    }

    /** Numbers the event, keeps it for a resume, and sends it when connected. */
    public synchronized void send(ObjectNode event) {
        if (state == State.CLOSED) {
            return;
        }
        event.put("seq", ++seq);
        buffer.addLast(event);
        if (buffer.size() > bufferLimit) {
            buffer.removeFirst();
            overflowed = true;
        }
        if (connection != null && connection.isOpen()) {
            BoundedSender.send(connection, event.toString());
        }
    }

    /** The connection dropped: keep the session (and its events) for a resume. */
    public synchronized void detach(Instant now) {
        if (state == State.ACTIVE) {
            state = State.DETACHED;
            detachedAt = now;
            connection = null;
        }
    }

    /** False when the session ended or the client missed more than the buffer kept (it must log in again). */
    public synchronized boolean canResume(long lastSeq) {
        if (state == State.CLOSED || lastSeq < 0 || lastSeq > seq) {
            return false;
        }
        ObjectNode oldest = buffer.peekFirst();
        return !overflowed || (oldest != null && oldest.get("seq").asLong() <= lastSeq + 1);
    }

    /** Re-attaches a new connection and replays every event after {@code lastSeq}. */
    public synchronized boolean resume(WebSocketConnection fresh, long lastSeq) {
        if (!canResume(lastSeq)) {
            return false;
        }
        connection = fresh;
        state = State.ACTIVE;
        detachedAt = null;
        for (ObjectNode event : buffer) {
            if (event.get("seq").asLong() > lastSeq) {
                BoundedSender.send(fresh, event.toString());
            }
        }
        return true;
    }

    public synchronized void close() {
        state = State.CLOSED;
        connection = null;
        buffer.clear();
    }

    public synchronized boolean isDetachedSince(Instant deadline) {
        return state == State.DETACHED && detachedAt.isBefore(deadline);
    }

    public synchronized State state() {
        return state;
    }

    public synchronized WebSocketConnection connection() {
        return connection;
    }

    public synchronized long lastSeq() {
        return seq;
    }

    public synchronized Token04Verifier.VerifiedToken token() {
        return token;
    }

    public synchronized void renew(Token04Verifier.VerifiedToken fresh, String raw) {
        token = fresh;
        rawToken = raw;
        expiryWarned = false;
    }

    public synchronized String rawToken() {
        return rawToken;
    }

    /** True once per token: the caller sends tokenWillExpire. */
    public synchronized boolean markExpiryWarned() {
        if (expiryWarned) {
            return false;
        }
        expiryWarned = true;
        return true;
    }

    public String id() {
        return id;
    }

    public String resumeToken() {
        return resumeToken;
    }

    public long appId() {
        return appId;
    }

    public String roomId() {
        return roomId;
    }

    public String userId() {
        return userId;
    }

    public String userName() {
        return userName;
    }

    public boolean userUpdate() {
        return userUpdate;
    }

    public Set<String> published() {
        return published;
    }

    public Set<String> publishing() {
        return publishing;
    }

    public Set<String> lostWhilePublishing() {
        return lostWhilePublishing;
    }

    public Set<String> edgeKeysUsed() {
        return edgeKeysUsed;
    }

    /** Where this client reaches the mini-program edge (from the address it logged in through). */
    public EdgeUrls edgeUrls() {
        return edgeUrls;
    }

    public void edgeUrls(EdgeUrls urls) {
        this.edgeUrls = urls;
    }

    public boolean handsOver() {
        return handsOver;
    }

    public void handsOver(boolean able) {
        this.handsOver = able;
    }

    public Set<String> played() {
        return played;
    }

    public String roomKey() {
        return RoomKeys.key(appId, roomId);
    }
}
