package dev.capstan.controllers.replicaset;

import dev.capstan.model.pod.PodConditions;
import dev.capstan.model.pod.Sidecars;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which pods a ReplicaSet deletes first: upstream v1.32's ActivePodsWithRanks.Less and getPodsToDelete, with the
 * default-on PodDeletionCost and LogarithmicScaleDown gates. Smaller sorts first and is deleted first:
 * unassigned &lt; assigned; Pending &lt; Unknown &lt; Running; not ready &lt; ready; lower pod-deletion-cost first; more
 * related active pods on the same node first; ready for a shorter time first; more restarts first; newer first. Ready
 * and creation times compare by their power-of-two age bucket (log2 of nanoseconds), ties broken by uid.
 */
public final class PodRanking {
    /** The annotation upstream's PodDeletionCost reads. */
    public static final String DELETION_COST = "controller.kubernetes.io/pod-deletion-cost";

    private PodRanking() {}

    /** Upstream's getPodsToDelete: the first {@code diff} of {@code pods} in rank order. */
    public static List<Pod> podsToDelete(List<Pod> pods, List<Pod> related, int diff, Instant now) {
        if (diff >= pods.size()) {
            return List.copyOf(pods);
        }
        return rank(pods, related, now).subList(0, diff);
    }

    /** {@code pods} sorted by deletion preference; ranks count {@code related} active pods per node. */
    public static List<Pod> rank(List<Pod> pods, List<Pod> related, Instant now) {
        Map<String, Integer> onNode = new HashMap<>();
        for (Pod pod : related) {
            if (PodStates.isActive(pod)) {
                onNode.merge(node(pod), 1, Integer::sum);
            }
        }
        record Ranked(Pod pod, int rank) {}
        List<Ranked> ranked = new ArrayList<>();
        pods.forEach(p -> ranked.add(new Ranked(p, onNode.getOrDefault(node(p), 0))));
        // A stable sort, as Go's sort.Sort is not but equal elements are interchangeable there too.
        Comparator<Ranked> order = (a, b) -> compare(a.pod(), a.rank(), b.pod(), b.rank(), now);
        ranked.sort(order);
        return new ArrayList<>(ranked.stream().map(Ranked::pod).toList());
    }

    /** Negative when pod {@code i} is deleted before {@code j}, as ActivePodsWithRanks.Less orders them. */
    static int compare(Pod i, int rankI, Pod j, int rankJ, Instant now) {
        String ni = node(i);
        String nj = node(j);
        if (!ni.equals(nj) && (ni.isEmpty() || nj.isEmpty())) {
            return ni.isEmpty() ? -1 : 1;
        }
        int phase = Integer.compare(phaseOrdinal(i), phaseOrdinal(j));
        if (phase != 0) {
            return phase;
        }
        boolean readyI = PodConditions.isReady(i);
        boolean readyJ = PodConditions.isReady(j);
        if (readyI != readyJ) {
            return readyI ? 1 : -1;
        }
        int cost = Integer.compare(deletionCost(i), deletionCost(j));
        if (cost != 0) {
            return cost;
        }
        if (rankI != rankJ) {
            return rankI > rankJ ? -1 : 1;
        }
        if (readyI) {
            int byReady = compareTimes(PodStates.readySince(i), PodStates.readySince(j), i, j, now);
            if (byReady != 0) {
                return byReady;
            }
        }
        int restarts = compareRestarts(i, j);
        if (restarts != 0) {
            return restarts;
        }
        return compareTimes(created(i), created(j), i, j, now);
    }

    /** Later (or zero) first, by logarithmic age bucket; the uid breaks a tie within a bucket. */
    private static int compareTimes(Optional<Instant> ti, Optional<Instant> tj, Pod i, Pod j, Instant now) {
        if (ti.equals(tj)) {
            return 0;
        }
        if (ti.isEmpty() || tj.isEmpty()) {
            return ti.isEmpty() ? -1 : 1;
        }
        long diff = logRank(ti.get(), now) - logRank(tj.get(), now);
        if (diff == 0) {
            return uid(i).compareTo(uid(j));
        }
        return diff < 0 ? -1 : 1;
    }

    /** Upstream's logarithmicRankDiff term: floor(log2(age in ns)), -1 for no positive age. */
    static long logRank(Instant t, Instant now) {
        long nanos;
        try {
            nanos = Duration.between(t, now).toNanos();
        } catch (ArithmeticException e) {
            nanos = Long.MAX_VALUE;
        }
        return nanos > 0 ? 63 - Long.numberOfLeadingZeros(nanos) : -1;
    }

    /** Upstream's compareMaxContainerRestarts: regular containers first, then restartable init containers. */
    private static int compareRestarts(Pod i, Pod j) {
        int[] ri = maxRestarts(i);
        int[] rj = maxRestarts(j);
        if (ri[0] != rj[0]) {
            return ri[0] > rj[0] ? -1 : 1;
        }
        if (ri[1] != rj[1]) {
            return ri[1] > rj[1] ? -1 : 1;
        }
        return 0;
    }

    private static int[] maxRestarts(Pod pod) {
        int regular = 0;
        int sidecar = 0;
        if (pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null) {
            for (ContainerStatus c : pod.getStatus().getContainerStatuses()) {
                regular = Math.max(regular, c.getRestartCount() == null ? 0 : c.getRestartCount());
            }
        }
        Set<String> sidecars = new HashSet<>();
        if (pod.getSpec() != null && pod.getSpec().getInitContainers() != null) {
            for (Container c : pod.getSpec().getInitContainers()) {
                if (Sidecars.isSidecar(c)) {
                    sidecars.add(c.getName());
                }
            }
        }
        if (pod.getStatus() != null && pod.getStatus().getInitContainerStatuses() != null) {
            for (ContainerStatus c : pod.getStatus().getInitContainerStatuses()) {
                if (sidecars.contains(c.getName())) {
                    sidecar = Math.max(sidecar, c.getRestartCount() == null ? 0 : c.getRestartCount());
                }
            }
        }
        return new int[] {regular, sidecar};
    }

    private static int phaseOrdinal(Pod pod) {
        return switch (PodStates.phase(pod)) {
            case "Unknown" -> 1;
            case "Running" -> 2;
            default -> 0;
        };
    }

    /** Upstream's GetDeletionCostFromPodAnnotations; an invalid value counts as 0 (upstream ignores the error). */
    static int deletionCost(Pod pod) {
        var annotations = pod.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(DELETION_COST);
        if (value == null) {
            return 0;
        }
        try {
            return Integer.parseInt(value.trim().equals(value) ? value : "x");
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Optional<Instant> created(Pod pod) {
        return PodStates.instant(pod.getMetadata().getCreationTimestamp());
    }

    private static String node(Pod pod) {
        return pod.getSpec() == null || pod.getSpec().getNodeName() == null
                ? ""
                : pod.getSpec().getNodeName();
    }

    private static String uid(Pod pod) {
        return pod.getMetadata().getUid() == null ? "" : pod.getMetadata().getUid();
    }
}
