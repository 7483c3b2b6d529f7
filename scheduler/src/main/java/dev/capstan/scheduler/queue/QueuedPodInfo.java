package dev.capstan.scheduler.queue;

import dev.capstan.scheduler.framework.PodInfo;
import java.time.Instant;
import java.util.Set;

/**
 * Upstream's QueuedPodInfo: a pending pod with its queue bookkeeping — when it entered its current queue, how many
 * scheduling attempts it had, and which plugins rejected it last (the events of those plugins move it back).
 */
public final class QueuedPodInfo {
    private PodInfo pod;
    Instant timestamp;
    Instant initialAttemptTimestamp;
    int attempts;
    Set<String> unschedulablePlugins = Set.of();
    boolean gated;
    final long seq;

    QueuedPodInfo(PodInfo pod, Instant timestamp, long seq) {
        this.pod = pod;
        this.timestamp = timestamp;
        this.seq = seq;
    }

    public PodInfo pod() {
        return pod;
    }

    void pod(PodInfo p) {
        this.pod = p;
    }

    /** When the pod entered its current queue. */
    public Instant timestamp() {
        return timestamp;
    }

    /** When it was first popped, for the end-to-end scheduling latency; null before. */
    public Instant initialAttemptTimestamp() {
        return initialAttemptTimestamp;
    }

    public int attempts() {
        return attempts;
    }

    /** A PreEnqueue plugin (SchedulingGates) keeps it out of the active queue. */
    public boolean gated() {
        return gated;
    }

    public Set<String> unschedulablePlugins() {
        return unschedulablePlugins;
    }

    /** Records the plugins that rejected the pod in the attempt that just failed (empty for an error). */
    public void unschedulablePlugins(Set<String> plugins) {
        this.unschedulablePlugins = Set.copyOf(plugins);
    }

    @Override
    public String toString() {
        return pod + " (attempts " + attempts + ")";
    }
}
