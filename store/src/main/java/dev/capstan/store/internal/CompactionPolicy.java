package dev.capstan.store.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Decides how far to trim the change log: entries older than {@code maxAge} go, and so do all but the newest
 * {@code maxCount}. Ages come from samples of the current revision taken on each run, so the log needs no
 * timestamp column: everything at or below a revision sampled more than {@code maxAge} ago is that old.
 */
final class CompactionPolicy {
    record Sample(Instant at, long revision) {}

    private final Duration maxAge;
    private final long maxCount;
    private final Deque<Sample> samples = new ArrayDeque<>();

    CompactionPolicy(Duration maxAge, long maxCount) {
        this.maxAge = maxAge;
        this.maxCount = maxCount;
    }

    /**
     * Records the current revision and answers the revision to compact to, never above {@code ceiling} (the
     * newest revision every local watcher has been handed, so compaction does not expire the local reader).
     */
    long target(Instant now, long currentRevision, long ceiling) {
        samples.addLast(new Sample(now, currentRevision));
        Instant cutoff = now.minus(maxAge);
        long byAge = 0;
        // Keep the newest sample older than the cutoff; older ones say nothing more.
        while (!samples.isEmpty() && !samples.peekFirst().at().isAfter(cutoff)) {
            Sample oldEnough = samples.pollFirst();
            byAge = oldEnough.revision();
            if (samples.isEmpty() || samples.peekFirst().at().isAfter(cutoff)) {
                samples.addFirst(oldEnough);
                break;
            }
        }
        long byCount = currentRevision - maxCount;
        return Math.max(0, Math.min(ceiling, Math.max(byAge, byCount)));
    }
}
