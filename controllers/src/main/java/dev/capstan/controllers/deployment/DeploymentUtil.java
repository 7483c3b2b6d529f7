package dev.capstan.controllers.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.KubeJson;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Upstream's deployment/util/deployment_util.go: annotations, revisions, template hashes, fenceposts. */
public final class DeploymentUtil {
    public static final String REVISION = "deployment.kubernetes.io/revision";
    public static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
    public static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
    public static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
    public static final String HASH_LABEL = "pod-template-hash";
    public static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
    public static final String ROLLBACK_TO = "deprecated.deployment.rollback.to";
    /** Upstream's maxRevHistoryLengthInChars. */
    public static final int MAX_REVISION_HISTORY_CHARS = 2000;

    private static final Set<String> NOT_COPIED =
            Set.of(LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, ROLLBACK_TO);
    private static final String SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    /** Oldest first; ties by name (upstream's ReplicaSetsByCreationTimestamp). */
    public static final Comparator<ReplicaSet> BY_CREATION = Comparator.comparing((ReplicaSet rs) -> created(rs))
            .thenComparing(rs -> rs.getMetadata().getName());

    private DeploymentUtil() {}

    static Instant created(ReplicaSet rs) {
        String t = rs.getMetadata().getCreationTimestamp();
        return dev.capstan.controllers.replicaset.PodStates.instant(t).orElse(Instant.EPOCH);
    }

    /**
     * The pod-template-hash: FNV-1a (32 bit) over the template's canonical JSON (object keys sorted, nulls left out),
     * then collisionCount as 4 little-endian bytes when set, printed in decimal and mapped through upstream's
     * SafeEncodeString alphabet. Upstream hashes a spew dump of the Go struct instead, so the values differ from
     * upstream's but are as stable: the same template and collision count always give the same name.
     */
    public static String podTemplateHash(PodTemplateSpec template, Integer collisionCount) {
        byte[] bytes = canonical(KubeJson.tree(template)).toString().getBytes(StandardCharsets.UTF_8);
        int hash = 0x811c9dc5;
        for (byte b : bytes) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        if (collisionCount != null) {
            int c = collisionCount;
            for (int i = 0; i < 4; i++) {
                hash ^= (c >>> (8 * i)) & 0xff;
                hash *= 0x01000193;
            }
        }
        return safeEncode(Integer.toUnsignedString(hash));
    }

    /** Upstream's rand.SafeEncodeString: every character mapped to one without vowels or look-alikes. */
    static String safeEncode(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.chars().forEach(c -> out.append(SAFE_ALPHABET.charAt(c % SAFE_ALPHABET.length())));
        return out.toString();
    }

    /** Keys sorted, null fields left out: one text for one template, whatever built it. */
    static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = KubeJson.object();
            TreeMap<String, JsonNode> sorted = new TreeMap<>();
            node.properties().forEach(e -> sorted.put(e.getKey(), e.getValue()));
            sorted.forEach((k, v) -> {
                if (!v.isNull()) {
                    out.set(k, canonical(v));
                }
            });
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = KubeJson.array();
            node.forEach(v -> out.add(canonical(v)));
            return out;
        }
        return node;
    }

    /**
     * Upstream's EqualIgnoreHash: the templates without their pod-template-hash label are semantically equal (where,
     * as in apimachinery's Semantic.DeepEqual, an empty list or map equals an absent one).
     */
    public static boolean equalIgnoreHash(PodTemplateSpec a, PodTemplateSpec b) {
        return comparable(a).equals(comparable(b));
    }

    private static JsonNode comparable(PodTemplateSpec template) {
        JsonNode tree = canonical(KubeJson.tree(template == null ? new PodTemplateSpec() : template));
        if (tree.path("metadata").path("labels") instanceof ObjectNode labels) {
            labels.remove(HASH_LABEL);
        }
        return dropEmpty(tree);
    }

    private static JsonNode dropEmpty(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> empty = new ArrayList<>();
            object.properties().forEach(e -> {
                JsonNode v = dropEmpty(e.getValue());
                boolean emptyMap = v.isObject()
                        && v.isEmpty()
                        && Set.of("labels", "annotations").contains(e.getKey());
                if ((v.isArray() && v.isEmpty()) || emptyMap) {
                    empty.add(e.getKey());
                }
            });
            object.remove(empty);
        } else if (node.isArray()) {
            node.forEach(DeploymentUtil::dropEmpty);
        }
        return node;
    }

    /** Upstream's GetScaledValueFromIntOrPercent: an int, or a percentage of {@code total} rounded up or down. */
    public static int scaledValue(IntOrString value, int total, boolean roundUp) {
        if (value == null) {
            return 0;
        }
        if (value.getStrVal() == null) {
            return value.getIntVal() == null ? 0 : value.getIntVal();
        }
        String s = value.getStrVal();
        if (!s.endsWith("%")) {
            throw new IllegalArgumentException("invalid value for IntOrString: invalid value \"" + s + "\"");
        }
        int percent = Integer.parseInt(s.substring(0, s.length() - 1));
        long product = (long) percent * total;
        return (int) (roundUp ? Math.ceilDiv(product, 100) : Math.floorDiv(product, 100));
    }

    /** maxSurge and maxUnavailable resolved against {@code desired} (upstream's ResolveFenceposts). */
    public record Fenceposts(int surge, int unavailable) {}

    public static Fenceposts resolveFenceposts(IntOrString maxSurge, IntOrString maxUnavailable, int desired) {
        int surge = scaledValue(maxSurge, desired, true);
        int unavailable = scaledValue(maxUnavailable, desired, false);
        if (surge == 0 && unavailable == 0) {
            // validation forbids both zero, but a percentage can round down to it: surge might hit quota, so
            // allow one unavailable instead
            unavailable = 1;
        }
        return new Fenceposts(surge, unavailable);
    }

    public static boolean isRollingUpdate(Deployment d) {
        var strategy = d.getSpec().getStrategy();
        return strategy == null || strategy.getType() == null || "RollingUpdate".equals(strategy.getType());
    }

    public static boolean isRecreate(Deployment d) {
        return !isRollingUpdate(d);
    }

    private static Fenceposts fenceposts(Deployment d) {
        var rolling = d.getSpec().getStrategy() == null
                ? null
                : d.getSpec().getStrategy().getRollingUpdate();
        // the API defaults both to 25%; an object that skipped defaulting gets the same here
        IntOrString surge =
                rolling == null || rolling.getMaxSurge() == null ? new IntOrString("25%") : rolling.getMaxSurge();
        IntOrString unavailable = rolling == null || rolling.getMaxUnavailable() == null
                ? new IntOrString("25%")
                : rolling.getMaxUnavailable();
        return resolveFenceposts(surge, unavailable, replicas(d));
    }

    /** Upstream's MaxSurge: 0 unless RollingUpdate. */
    public static int maxSurge(Deployment d) {
        return isRollingUpdate(d) ? fenceposts(d).surge() : 0;
    }

    /** Upstream's MaxUnavailable: 0 unless RollingUpdate with replicas, never more than replicas. */
    public static int maxUnavailable(Deployment d) {
        if (!isRollingUpdate(d) || replicas(d) == 0) {
            return 0;
        }
        return Math.min(fenceposts(d).unavailable(), replicas(d));
    }

    public static int replicas(Deployment d) {
        return d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    }

    public static int replicas(ReplicaSet rs) {
        return rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
    }

    static Map<String, String> annotations(io.fabric8.kubernetes.api.model.HasMetadata o) {
        if (o.getMetadata().getAnnotations() == null) {
            o.getMetadata().setAnnotations(new HashMap<>());
        }
        return o.getMetadata().getAnnotations();
    }

    /** The revision annotation as a number; 0 when absent or not a number. */
    public static long revision(io.fabric8.kubernetes.api.model.HasMetadata o) {
        var a = o.getMetadata().getAnnotations();
        try {
            return a == null || a.get(REVISION) == null ? 0 : Long.parseLong(a.get(REVISION));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public static long maxRevision(List<ReplicaSet> rss) {
        return rss.stream().mapToLong(DeploymentUtil::revision).max().orElse(0);
    }

    /** Upstream's FindNewReplicaSet: the oldest ReplicaSet whose template equals the Deployment's. */
    public static Optional<ReplicaSet> findNewReplicaSet(Deployment d, List<ReplicaSet> rss) {
        return rss.stream()
                .sorted(BY_CREATION)
                .filter(rs ->
                        equalIgnoreHash(rs.getSpec().getTemplate(), d.getSpec().getTemplate()))
                .findFirst();
    }

    /** Upstream's FindOldReplicaSets' second answer: every ReplicaSet but the new one. */
    public static List<ReplicaSet> oldReplicaSets(Deployment d, List<ReplicaSet> rss) {
        Optional<ReplicaSet> newRS = findNewReplicaSet(d, rss);
        List<ReplicaSet> out = new ArrayList<>(rss);
        newRS.ifPresent(n -> out.removeIf(
                rs -> rs.getMetadata().getUid().equals(n.getMetadata().getUid())));
        return out;
    }

    /**
     * Upstream's SetNewReplicaSetAnnotations: copies the Deployment's annotations (not those of kubectl apply, the
     * revisions or replica counts), raises the revision to {@code newRevision} keeping the old one in revision-history
     * (a rollback), and on a ReplicaSet about to be created sets the replica annotations. True when anything changed.
     */
    public static boolean setNewReplicaSetAnnotations(Deployment d, ReplicaSet rs, long newRevision, boolean exists) {
        Map<String, String> target = annotations(rs);
        boolean changed = false;
        var source = d.getMetadata().getAnnotations();
        if (source != null) {
            for (var e : source.entrySet()) {
                if (!NOT_COPIED.contains(e.getKey()) && !e.getValue().equals(target.get(e.getKey()))) {
                    target.put(e.getKey(), e.getValue());
                    changed = true;
                }
            }
        }
        String oldText = target.get(REVISION);
        long old;
        try {
            old = oldText == null ? 0 : Long.parseLong(oldText);
        } catch (NumberFormatException e) {
            return false; // upstream leaves a ReplicaSet with a malformed revision alone
        }
        if (old < newRevision) {
            target.put(REVISION, Long.toString(newRevision));
            changed = true;
            if (oldText != null) {
                target.put(REVISION_HISTORY, appendHistory(target.get(REVISION_HISTORY), oldText));
            }
        }
        if (!exists && setReplicasAnnotations(rs, replicas(d), replicas(d) + maxSurge(d))) {
            changed = true;
        }
        return changed;
    }

    /** Appends a revision to the comma-separated history, dropping the oldest beyond the length limit. */
    static String appendHistory(String history, String revision) {
        if (history == null || history.isEmpty()) {
            return revision;
        }
        List<String> old = new ArrayList<>(List.of(history.split(",", -1)));
        int total = history.length() + revision.length() + 1;
        while (total > MAX_REVISION_HISTORY_CHARS && !old.isEmpty()) {
            total -= old.removeFirst().length() + 1;
        }
        if (total > MAX_REVISION_HISTORY_CHARS) {
            return history;
        }
        old.add(revision);
        return String.join(",", old);
    }

    /** Sets desired-replicas and max-replicas; true when either changed. */
    public static boolean setReplicasAnnotations(ReplicaSet rs, int desired, int max) {
        Map<String, String> a = annotations(rs);
        boolean changed = !Integer.toString(desired).equals(a.get(DESIRED_REPLICAS))
                || !Integer.toString(max).equals(a.get(MAX_REPLICAS));
        a.put(DESIRED_REPLICAS, Integer.toString(desired));
        a.put(MAX_REPLICAS, Integer.toString(max));
        return changed;
    }

    public static boolean replicasAnnotationsNeedUpdate(ReplicaSet rs, int desired, int max) {
        var a = rs.getMetadata().getAnnotations();
        return a == null
                || !Integer.toString(desired).equals(a.get(DESIRED_REPLICAS))
                || !Integer.toString(max).equals(a.get(MAX_REPLICAS));
    }

    static Optional<Integer> intAnnotation(ReplicaSet rs, String key) {
        var a = rs.getMetadata().getAnnotations();
        try {
            return a == null || a.get(key) == null ? Optional.empty() : Optional.of(Integer.parseInt(a.get(key)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Upstream's NewRSNewReplicas: how far the new ReplicaSet may grow now. */
    public static int newRSNewReplicas(Deployment d, List<ReplicaSet> all, ReplicaSet newRS) {
        if (!isRollingUpdate(d)) {
            return replicas(d);
        }
        int maxTotal = replicas(d) + maxSurge(d);
        int current = all.stream().mapToInt(DeploymentUtil::replicas).sum();
        if (current >= maxTotal) {
            return replicas(newRS);
        }
        int scaleUp = Math.min(maxTotal - current, replicas(d) - replicas(newRS));
        return replicas(newRS) + scaleUp;
    }

    /** Upstream's IsSaturated: the new ReplicaSet runs all the Deployment's replicas, all available. */
    public static boolean isSaturated(Deployment d, ReplicaSet rs) {
        if (rs == null) {
            return false;
        }
        Optional<Integer> desired = intAnnotation(rs, DESIRED_REPLICAS);
        int available = rs.getStatus() == null || rs.getStatus().getAvailableReplicas() == null
                ? 0
                : rs.getStatus().getAvailableReplicas();
        return replicas(rs) == replicas(d)
                && desired.isPresent()
                && desired.get() == replicas(d)
                && available == replicas(d);
    }
}
