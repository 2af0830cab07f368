package io.wenzhen.gateway.session;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.wenzhen.gateway.errors.GatewayError;
import io.wenzhen.gateway.errors.SignalingException;

/** The sessions of this gateway, by id, by connection and by room. */
@ApplicationScoped
public class SessionRegistry {

    private final Map<String, Session> byId = new ConcurrentHashMap<>();
    private final Map<String, Session> byConnection = new ConcurrentHashMap<>();
    private final Map<String, Set<Session>> byRoom = new ConcurrentHashMap<>();
    private final Map<Long, AtomicInteger> countByApp = new ConcurrentHashMap<>();

    public SessionRegistry(MeterRegistry metrics) {
        metrics.gaugeMapSize("wenzhen.gateway.sessions", List.of(), byId);
        metrics.gaugeMapSize("wenzhen.gateway.rooms", List.of(), byRoom);
    }

    public void add(Session session, String connectionId) {
        if (byId.put(session.id(), session) == null) {
            countByApp.computeIfAbsent(session.appId(), app -> new AtomicInteger()).incrementAndGet();
        }
        byConnection.put(connectionId, session);
        byRoom.computeIfAbsent(session.roomKey(), key -> ConcurrentHashMap.newKeySet()).add(session);
    }

    public Session byId(String id) {
        return byId.get(id);
    }

    public Session byConnection(String connectionId) {
        return byConnection.get(connectionId);
    }

    /** The session logged in on this connection; NOT_LOGGED_IN when there is none. */
    public Session loggedIn(String connectionId) {
        Session session = byConnection.get(connectionId);
        if (session == null) {
            throw new SignalingException(GatewayError.NOT_LOGGED_IN);
        }
        return session;
    }

    public void bind(String connectionId, Session session) {
        byConnection.put(connectionId, session);
    }

    public void unbind(String connectionId) {
        byConnection.remove(connectionId);
    }

    public Collection<Session> inRoom(String roomKey) {
        Set<Session> sessions = byRoom.get(roomKey);
        return sessions == null ? List.of() : List.copyOf(sessions);
    }

    public Collection<Session> all() {
        return List.copyOf(byId.values());
    }

    /** The session no longer answers for its connection (it is ending): a new login on the connection is free. */
    public void release(Session session) {
        byConnection.values().remove(session);
    }

    /** Forgets a session; true when it was the last of its room on this gateway. */
    public boolean remove(Session session) {
        session.close();
        if (byId.remove(session.id()) != null) {
            countByApp.computeIfPresent(session.appId(), (app, count) -> count.decrementAndGet() <= 0 ? null : count);
        }
        byConnection.values().remove(session);
        Set<Session> room = byRoom.get(session.roomKey());
        if (room != null) {
            room.remove(session);
            if (room.isEmpty()) {
                byRoom.remove(session.roomKey(), room);
                return true;
            }
        }
        return false;
    }

    /** How many sessions the app has on this gateway. */
    public int countOfApp(long appId) {
        AtomicInteger count = countByApp.get(appId);
        return count == null ? 0 : count.get();
    }

    public int size() {
        return byId.size();
    }
}
