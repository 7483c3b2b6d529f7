package dev.capstan.store;

import java.util.Optional;

/**
 * Cluster state as a revisioned key-value space, in the spirit of kine's {@code Backend}.
 *
 * <p>Guarantees every implementation gives:
 *
 * <ul>
 *   <li>One cluster-wide revision. Every successful write gets the next one; it becomes the object's {@code
 *       resourceVersion}. Failed conditional writes consume no revision.
 *   <li>Revisions are delivered to watchers strictly in increasing order and without gaps: a watcher that has
 *       seen revision N and next sees N+2 has lost nothing, because N+1 was written under another prefix.
 *   <li>Writes are conditional: create fails if the key exists, update and delete fail unless the caller's
 *       expected revision is the key's current {@code modRevision}.
 * </ul>
 *
 * <p>Methods block the calling thread (use virtual threads); never call them from an event loop.
 */
public interface Store extends AutoCloseable {

    /** The largest value accepted, as Kubernetes allows for one object in etcd: 1.5 MiB. */
    int MAX_VALUE_BYTES = 3 * 512 * 1024;

    /** The longest key accepted, in UTF-8 bytes. */
    int MAX_KEY_BYTES = 2048;

    /** The current value of a key, or empty if it does not exist. */
    Optional<KeyValue> get(String key);

    /**
     * Keys under {@code prefix} as they were at {@code revision} (0 means the current revision), in key order,
     * starting after {@code startAfterKey} ("" to start at the beginning), at most {@code limit} items (0 means
     * no limit). Pages read at the same revision are consistent with each other while writes go on.
     *
     * @throws CompactedException if {@code revision} is older than the compacted revision
     * @throws FutureRevisionException if {@code revision} has not been written yet
     */
    ListResult list(String prefix, long revision, int limit, String startAfterKey);

    /**
     * How many keys under {@code prefix} after {@code startAfterKey} existed at {@code revision} (0 means the
     * current revision). At a fixed revision the answer never changes, so a paginated list counts once.
     *
     * @throws CompactedException if {@code revision} is older than the compacted revision
     * @throws FutureRevisionException if {@code revision} has not been written yet
     */
    long count(String prefix, long revision, String startAfterKey);

    /**
     * Creates a key that must not exist.
     *
     * @return the revision of the write
     * @throws KeyExistsException carrying the current value when the key exists
     */
    long create(String key, byte[] value);

    /**
     * Replaces the value of a key whose current {@code modRevision} is {@code expectedRevision}.
     *
     * @return the revision of the write
     * @throws ConflictException carrying the current value when the revision is stale
     * @throws KeyNotFoundException when the key does not exist
     */
    long update(String key, byte[] value, long expectedRevision);

    /**
     * Deletes a key whose current {@code modRevision} is {@code expectedRevision}.
     *
     * @return the deleted value, and the revision of the deletion
     * @throws ConflictException carrying the current value when the revision is stale
     * @throws KeyNotFoundException when the key does not exist
     */
    Deleted delete(String key, long expectedRevision);

    /**
     * Watches keys under {@code prefix} for changes with revisions after {@code fromRevision} (0 means from
     * now). Events from the change log are replayed first, then live ones follow. A watch from a revision that
     * compaction has removed ends with {@link WatchEvent.Expired}.
     */
    Watch watch(String prefix, long fromRevision);

    /** The revision of the latest committed write. */
    long currentRevision();

    /** The revision up to which the change log has been trimmed; watches and lists before it are expired. */
    long compactRevision();

    /**
     * Trims the change log up to and including {@code revision}. Watches and lists at or before it are expired
     * afterwards. Compacting to a revision at or below the current compact revision does nothing.
     */
    void compact(long revision);

    @Override
    void close();

    /** The outcome of a delete: the last value of the key and the revision that deleted it. */
    record Deleted(KeyValue previous, long revision) {}
}
