package dev.capstan.node.pods;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upstream's flowcontrol.Backoff as the kubelet uses it for restarts and image pulls: the first failure is retried at
 * once and starts a 10 s back-off that doubles with each retry up to 5 min; an entry not updated for twice the maximum
 * (10 min, e.g. a container that ran that long) starts over.
 */
final class BackOff {
    static final Duration INITIAL = Duration.ofSeconds(10);
    static final Duration MAX = Duration.ofMinutes(5);

    private record Entry(Duration duration, Instant lastUpdate) {}

    private final Clock clock;
    private final Duration initial;
    private final Duration max;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    BackOff(Clock clock, Duration initial, Duration max) {
        this.clock = clock;
        this.initial = initial;
        this.max = max;
    }

    BackOff(Clock clock) {
        this(clock, INITIAL, MAX);
    }

    /** Whether {@code key} must still wait, counting from {@code since} (when the container last finished). */
    boolean inBackOffSince(String key, Instant since) {
        Entry e = entries.get(key);
        Instant now = clock.instant();
        if (e == null || expired(e, now)) {
            return false;
        }
        return Duration.between(since, now).compareTo(e.duration()) < 0;
    }

    /** Whether {@code key} must still wait, counting from its last {@link #next} (upstream IsInBackOffSinceUpdate). */
    boolean inBackOffSinceUpdate(String key) {
        Entry e = entries.get(key);
        return e != null && inBackOffSince(key, e.lastUpdate());
    }

    /** The wait left for {@code key} counting from {@code since}; zero when none. */
    Duration remaining(String key, Instant since) {
        Entry e = entries.get(key);
        if (e == null) {
            return Duration.ZERO;
        }
        Duration left = e.duration().minus(Duration.between(since, clock.instant()));
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** The current back-off of {@code key} (upstream's Get), zero when none. */
    Duration get(String key) {
        Entry e = entries.get(key);
        return e == null ? Duration.ZERO : e.duration();
    }

    /** Records a retry: starts at the initial back-off, doubles it otherwise, up to the maximum. */
    void next(String key) {
        Instant now = clock.instant();
        entries.compute(key, (k, e) -> {
            if (e == null || expired(e, now)) {
                return new Entry(initial, now);
            }
            Duration doubled = e.duration().multipliedBy(2);
            return new Entry(doubled.compareTo(max) > 0 ? max : doubled, now);
        });
    }

    /** Forgets every key that starts with {@code prefix} (a pod's, once it is gone). */
    void forgetPrefix(String prefix) {
        entries.keySet().removeIf(k -> k.startsWith(prefix));
    }

    private boolean expired(Entry e, Instant now) {
        return Duration.between(e.lastUpdate(), now).compareTo(max.multipliedBy(2)) > 0;
    }
}
