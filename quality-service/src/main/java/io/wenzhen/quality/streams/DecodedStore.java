package io.wenzhen.quality.streams;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A state store with the values this task has already decoded kept beside it: the store (and its
 * changelog) stays the truth and sees every write, but a value read back is not decoded again, which
 * on the per-sample path was a fifth of the stream thread's time. Only the processor writes its store,
 * so the two cannot disagree (beyond what {@link #keep} allows on purpose). Each {@code init} of the processor (a task started, moved or revived after
 * an aborted transaction, its store restored from the changelog) makes a new one.
 */
final class DecodedStore<V> {

    /** Beyond this many values the memo starts over (it is only a shortcut). */
    static final int MAX_DECODED = 200_000;

    private final KeyValueStore<String, V> store;
    private final Map<String, V> decoded = new HashMap<>();

    DecodedStore(KeyValueStore<String, V> store) {
        this.store = store;
    }

    V get(String key) {
        V value = decoded.get(key);
        if (value == null) {
            value = store.get(key);
            if (value != null) {
                remember(key, value);
            }
        }
        return value;
    }

    void put(String key, V value) {
        store.put(key, value);
        remember(key, value);
    }

    void delete(String key) {
        store.delete(key);
        decoded.remove(key);
    }

    /** The decoded copy of {@code key} when one is kept, else {@code stored} (what the store just gave). */
    V decodedOr(String key, V stored) {
        V value = decoded.get(key);
        return value != null ? value : stored;
    }

    /**
     * Keeps a changed value in the decoded copy only, without writing it: for a flag that only steers
     * this processor's own output (a restored task, seeing the stored value, repeats that output once).
     */
    void keep(String key, V value) {
        remember(key, value);
    }

    KeyValueStore<String, V> store() {
        return store;
    }

    private void remember(String key, V value) {
        if (decoded.size() >= MAX_DECODED) {
            decoded.clear();
        }
        decoded.put(key, value);
    }
}
