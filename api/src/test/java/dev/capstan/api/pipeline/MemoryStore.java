package dev.capstan.api.pipeline;

import dev.capstan.store.ConflictException;
import dev.capstan.store.KeyExistsException;
import dev.capstan.store.KeyNotFoundException;
import dev.capstan.store.KeyValue;
import dev.capstan.store.ListResult;
import dev.capstan.store.Store;
import dev.capstan.store.Watch;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An in-memory {@link Store} for unit tests of the request pipeline: conditional writes and revisions as the real
 * store's contract states, lists at any past revision; no watches (the pipeline's tests use no watch cache).
 */
final class MemoryStore implements Store {
    private final TreeMap<String, KeyValue> current = new TreeMap<>();
    private final List<Change> log = new ArrayList<>();

    /** One write: the key's new value, null for a deletion. */
    private record Change(String key, KeyValue value) {}

    private long revision;
    private int writes;
    private final java.util.List<String> reads = new java.util.ArrayList<>();
    private Runnable beforeNextUpdate;

    /** Runs {@code write} once, inside the next update, before its revision is checked: a racing writer. */
    synchronized void raceNextUpdate(Runnable write) {
        beforeNextUpdate = write;
    }

    /** How many writes succeeded: a dry run or a no-op must leave it unchanged. */
    synchronized int writes() {
        return writes;
    }

    /** The keys of the single-object reads made so far, in order. */
    synchronized java.util.List<String> reads() {
        return java.util.List.copyOf(reads);
    }

    @Override
    public synchronized Optional<KeyValue> get(String key) {
        reads.add(key);
        return Optional.ofNullable(current.get(key));
    }

    @Override
    public synchronized ListResult list(String prefix, long at, int limit, String startAfterKey) {
        TreeMap<String, KeyValue> state = at == 0 || at == revision ? current : stateAt(at);
        List<KeyValue> items = new ArrayList<>();
        boolean more = false;
        for (KeyValue kv : state.tailMap(prefix).values()) {
            if (!kv.key().startsWith(prefix)) {
                break;
            }
            if (kv.key().compareTo(startAfterKey) <= 0) {
                continue;
            }
            if (limit > 0 && items.size() == limit) {
                more = true;
                break;
            }
            items.add(kv);
        }
        return new ListResult(items, at == 0 ? revision : at, more);
    }

    private TreeMap<String, KeyValue> stateAt(long at) {
        TreeMap<String, KeyValue> state = new TreeMap<>();
        for (int i = 0; i < at && i < log.size(); i++) {
            Change change = log.get(i);
            if (change.value() == null) {
                state.remove(change.key());
            } else {
                state.put(change.key(), change.value());
            }
        }
        return state;
    }

    @Override
    public synchronized long count(String prefix, long at, String startAfterKey) {
        return list(prefix, at, 0, startAfterKey).items().size();
    }

    @Override
    public synchronized long create(String key, byte[] value) {
        KeyValue existing = current.get(key);
        if (existing != null) {
            throw new KeyExistsException(existing);
        }
        return write(key, new KeyValue(key, value, revision + 1, revision + 1));
    }

    @Override
    public synchronized long update(String key, byte[] value, long expectedRevision) {
        Runnable race = beforeNextUpdate;
        if (race != null) {
            beforeNextUpdate = null;
            race.run();
        }
        KeyValue existing = current.get(key);
        if (existing == null) {
            throw new KeyNotFoundException(key);
        }
        if (existing.modRevision() != expectedRevision) {
            throw new ConflictException(existing, expectedRevision);
        }
        return write(key, new KeyValue(key, value, existing.createRevision(), revision + 1));
    }

    @Override
    public synchronized Deleted delete(String key, long expectedRevision) {
        KeyValue existing = current.get(key);
        if (existing == null) {
            throw new KeyNotFoundException(key);
        }
        if (existing.modRevision() != expectedRevision) {
            throw new ConflictException(existing, expectedRevision);
        }
        long at = write(key, null);
        return new Deleted(existing, at);
    }

    private long write(String key, KeyValue kv) {
        revision++;
        writes++;
        if (kv == null) {
            current.remove(key);
        } else {
            current.put(key, kv);
        }
        log.add(new Change(key, kv));
        return revision;
    }

    @Override
    public Watch watch(String prefix, long fromRevision) {
        throw new UnsupportedOperationException("the pipeline's unit tests use no watches");
    }

    @Override
    public synchronized long currentRevision() {
        return revision;
    }

    @Override
    public long compactRevision() {
        return 0;
    }

    @Override
    public void compact(long revision) {}

    @Override
    public void close() {}
}
