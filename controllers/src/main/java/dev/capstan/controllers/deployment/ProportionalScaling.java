package dev.capstan.controllers.deployment;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Upstream's DeploymentController.scale (sync.go) as a pure plan: the sizes each ReplicaSet should get when a
 * Deployment's replicas (or maxSurge) changed. One active ReplicaSet takes the whole count; a saturated new one leaves
 * the old ones at zero; during a rolling update the difference is spread in proportion to the ReplicaSets' sizes
 * (from their max-replicas annotation), the leftover to the largest.
 */
public final class ProportionalScaling {
    /** The target of one ReplicaSet; {@code up} names the event's direction. */
    public record Target(ReplicaSet rs, int size, String direction) {}

    private ProportionalScaling() {}

    static boolean active(ReplicaSet rs) {
        return rs != null && DeploymentUtil.replicas(rs) > 0;
    }

    /** The ReplicaSets to resize (possibly only their annotations, when {@code size} is their current one). */
    public static List<Target> plan(Deployment d, ReplicaSet newRS, List<ReplicaSet> oldRSs) {
        int replicas = DeploymentUtil.replicas(d);
        Optional<ReplicaSet> single = activeOrLatest(newRS, oldRSs);
        if (single.isPresent()) {
            ReplicaSet rs = single.get();
            if (DeploymentUtil.replicas(rs) == replicas) {
                return List.of();
            }
            return List.of(new Target(rs, replicas, DeploymentUtil.replicas(rs) < replicas ? "up" : "down"));
        }
        List<Target> out = new ArrayList<>();
        if (DeploymentUtil.isSaturated(d, newRS)) {
            for (ReplicaSet old : oldRSs) {
                if (active(old)) {
                    out.add(new Target(old, 0, "down"));
                }
            }
            return out;
        }
        if (!DeploymentUtil.isRollingUpdate(d)) {
            return out;
        }
        List<ReplicaSet> all = new ArrayList<>(oldRSs);
        if (newRS != null) {
            all.add(newRS);
        }
        all.removeIf(rs -> !active(rs));
        int current = all.stream().mapToInt(DeploymentUtil::replicas).sum();
        int allowed = replicas > 0 ? replicas + DeploymentUtil.maxSurge(d) : 0;
        int toAdd = allowed - current;
        String direction = "";
        Comparator<ReplicaSet> bySize = Comparator.comparingInt((ReplicaSet rs) -> DeploymentUtil.replicas(rs))
                .reversed();
        if (toAdd > 0) {
            all.sort(bySize.thenComparing(DeploymentUtil.BY_CREATION.reversed()));
            direction = "up";
        } else if (toAdd < 0) {
            all.sort(bySize.thenComparing(DeploymentUtil.BY_CREATION));
            direction = "down";
        }
        Map<ReplicaSet, Integer> sizes = new LinkedHashMap<>();
        int added = 0;
        for (ReplicaSet rs : all) {
            if (toAdd != 0) {
                int proportion = proportion(rs, d, toAdd, added);
                sizes.put(rs, DeploymentUtil.replicas(rs) + proportion);
                added += proportion;
            } else {
                sizes.put(rs, DeploymentUtil.replicas(rs));
            }
        }
        boolean first = true;
        for (var e : sizes.entrySet()) {
            int size = e.getValue();
            if (first && toAdd != 0) {
                size = Math.max(0, size + toAdd - added);
            }
            first = false;
            out.add(new Target(e.getKey(), size, direction));
        }
        return out;
    }

    /** Upstream's FindActiveOrLatest: the one active ReplicaSet, or the newest when none is active. */
    static Optional<ReplicaSet> activeOrLatest(ReplicaSet newRS, List<ReplicaSet> oldRSs) {
        if (newRS == null && oldRSs.isEmpty()) {
            return Optional.empty();
        }
        List<ReplicaSet> newestFirst = new ArrayList<>(oldRSs);
        newestFirst.sort(DeploymentUtil.BY_CREATION.reversed());
        List<ReplicaSet> all = new ArrayList<>(newestFirst);
        all.add(newRS);
        all.removeIf(rs -> !active(rs));
        return switch (all.size()) {
            case 0 -> Optional.of(newRS != null ? newRS : newestFirst.getFirst());
            case 1 -> Optional.of(all.getFirst());
            default -> Optional.empty();
        };
    }

    /** Upstream's GetProportion: this ReplicaSet's share of {@code toAdd}, never beyond what is left. */
    static int proportion(ReplicaSet rs, Deployment d, int toAdd, int added) {
        if (rs == null || DeploymentUtil.replicas(rs) == 0 || toAdd == 0 || toAdd == added) {
            return 0;
        }
        int fraction = fraction(rs, d);
        int allowed = toAdd - added;
        return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
    }

    /** Upstream's getReplicaSetFraction: the change that keeps the ReplicaSet's share of the Deployment's maximum. */
    static int fraction(ReplicaSet rs, Deployment d) {
        int replicas = DeploymentUtil.replicas(d);
        if (replicas == 0) {
            return -DeploymentUtil.replicas(rs);
        }
        int max = replicas + DeploymentUtil.maxSurge(d);
        int before =
                DeploymentUtil.intAnnotation(rs, DeploymentUtil.MAX_REPLICAS).orElse(0);
        if (before == 0) {
            before = d.getStatus() == null || d.getStatus().getReplicas() == null
                    ? 0
                    : d.getStatus().getReplicas();
            if (before == 0) {
                return 0;
            }
        }
        double size = (double) DeploymentUtil.replicas(rs) * max / before;
        // Go's math.Round: halves away from zero (sizes are never negative here)
        return (int) Math.floor(size + 0.5) - DeploymentUtil.replicas(rs);
    }

    static boolean sameObject(ReplicaSet a, ReplicaSet b) {
        return a != null
                && b != null
                && Objects.equals(a.getMetadata().getUid(), b.getMetadata().getUid());
    }
}
