package dev.capstan.controllers.expectations;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upstream's UIDTrackingControllerExpectations: per controller key, how many creates and deletes it issued that its
 * informer has not shown yet. A controller syncs only when its expectations are satisfied (all observed) or older than
 * {@link #TIMEOUT}; without any recorded expectations it may sync. Deletes are tracked by pod key, so a pod seen first
 * with a deletionTimestamp and then deleted lowers the count once. Handlers (informer threads) and the reconciler call
 * it concurrently: every method is atomic per key.
 */
public final class ControllerExpectations {
    /** Upstream's ExpectationsTimeout: a watch event lost for this long no longer blocks the controller. */
    public static final Duration TIMEOUT = Duration.ofMinutes(5);

    private record Expectation(long adds, long deletes, Instant timestamp, Set<String> deleteKeys) {
        boolean fulfilled() {
            return adds <= 0 && deletes <= 0;
        }
    }

    private final Clock clock;
    private final Map<String, Expectation> byKey = new ConcurrentHashMap<>();

    public ControllerExpectations(Clock clock) {
        this.clock = clock;
    }

    /** True when the controller may act: no expectations, all observed, or expired. */
    public boolean satisfied(String key) {
        Expectation e = byKey.get(key);
        if (e == null || e.fulfilled()) {
            return true;
        }
        return Duration.between(e.timestamp(), clock.instant()).compareTo(TIMEOUT) > 0;
    }

    /** Replaces the key's expectations with {@code adds} creates to observe. */
    public void expectCreations(String key, int adds) {
        byKey.put(key, new Expectation(adds, 0, clock.instant(), Set.of()));
    }

    /** Replaces the key's expectations with the deletions of these object keys ("ns/name") to observe. */
    public void expectDeletions(String key, List<String> deletedKeys) {
        Set<String> keys = ConcurrentHashMap.newKeySet();
        keys.addAll(new HashSet<>(deletedKeys));
        byKey.put(key, new Expectation(0, keys.size(), clock.instant(), keys));
    }

    /** The informer saw one of the key's creates (or a create was skipped and will never be seen). */
    public void creationObserved(String key) {
        byKey.computeIfPresent(
                key, (k, e) -> new Expectation(e.adds() - 1, e.deletes(), e.timestamp(), e.deleteKeys()));
    }

    /** The informer saw {@code objectKey} deleted or being deleted; counted once, and only if it was expected. */
    public void deletionObserved(String key, String objectKey) {
        byKey.computeIfPresent(key, (k, e) -> {
            if (!e.deleteKeys().contains(objectKey)) {
                return e;
            }
            Set<String> left = ConcurrentHashMap.newKeySet();
            left.addAll(e.deleteKeys());
            left.remove(objectKey);
            return new Expectation(e.adds(), e.deletes() - 1, e.timestamp(), left);
        });
    }

    /** Forgets the key, e.g. when its controller was deleted. */
    public void delete(String key) {
        byKey.remove(key);
    }

    /** Creates and deletes still expected, as {adds, deletes}; {0, 0} without expectations (for tests and logs). */
    public long[] pending(String key) {
        Expectation e = byKey.get(key);
        return e == null ? new long[] {0, 0} : new long[] {e.adds(), e.deletes()};
    }
}
