package dev.capstan.scheduler.plugins.defaultpreemption;

import dev.capstan.scheduler.framework.PodInfo;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** The orderings preemption uses: which pod is more important, and which set of victims is cheaper. */
final class Victims {
    private Victims() {}

    /** Upstream's MoreImportantPod as a comparator: higher priority first, then the earlier started. */
    static int moreImportant(PodInfo a, PodInfo b) {
        if (a.priority() != b.priority()) {
            return Integer.compare(b.priority(), a.priority());
        }
        return startTime(a.pod()).compareTo(startTime(b.pod()));
    }

    /**
     * Negative when victims {@code a} are the better choice than {@code b}: the lower highest priority, then the lower
     * sum of priorities (each shifted by 2^31 so negative priorities count), then fewer victims, then the later start
     * of the highest-priority victims (evict the youngest work).
     */
    static int better(List<PodInfo> a, List<PodInfo> b) {
        int c = Integer.compare(a.get(0).priority(), b.get(0).priority());
        if (c != 0) {
            return c;
        }
        c = Long.compare(prioritySum(a), prioritySum(b));
        if (c != 0) {
            return c;
        }
        c = Integer.compare(a.size(), b.size());
        if (c != 0) {
            return c;
        }
        return earliestStartOfHighest(b).compareTo(earliestStartOfHighest(a));
    }

    static long prioritySum(List<PodInfo> victims) {
        long sum = 0;
        for (PodInfo p : victims) {
            sum += (long) p.priority() + Integer.MAX_VALUE + 1L;
        }
        return sum;
    }

    /** Upstream's GetEarliestPodStartTime: the earliest start among the victims of the highest priority. */
    static Instant earliestStartOfHighest(List<PodInfo> victims) {
        int highest = Integer.MIN_VALUE;
        for (PodInfo p : victims) {
            highest = Math.max(highest, p.priority());
        }
        Instant earliest = null;
        for (PodInfo p : victims) {
            if (p.priority() == highest) {
                Instant t = startTime(p.pod());
                if (earliest == null || t.isBefore(earliest)) {
                    earliest = t;
                }
            }
        }
        return earliest == null ? Instant.EPOCH : earliest;
    }

    /** Upstream's GetPodStartTime: status.startTime, else the creation timestamp. */
    static Instant startTime(Pod p) {
        String t = p.getStatus() == null ? null : p.getStatus().getStartTime();
        if (t == null && p.getMetadata() != null) {
            t = p.getMetadata().getCreationTimestamp();
        }
        if (t == null) {
            return Instant.EPOCH;
        }
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }
}
