package dev.capstan.controllers.namespace;

import io.fabric8.kubernetes.api.model.NamespaceCondition;
import io.fabric8.kubernetes.api.model.NamespaceStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Upstream's namespaceConditionUpdater (deletion/status_condition_utils.go): what one pass of content deletion found,
 * turned into the five deletion conditions, each True with the failure or False with its "ok" reason and message.
 * Not thread-safe: one per pass.
 */
final class NamespaceConditions {
    static final String DISCOVERY_FAILURE = "NamespaceDeletionDiscoveryFailure";
    static final String GV_PARSING_FAILURE = "NamespaceDeletionGroupVersionParsingFailure";
    static final String CONTENT_FAILURE = "NamespaceDeletionContentFailure";
    static final String CONTENT_REMAINING = "NamespaceContentRemaining";
    static final String FINALIZERS_REMAINING = "NamespaceFinalizersRemaining";

    /** upstream's conditionTypes, in its order */
    static final List<String> TYPES =
            List.of(DISCOVERY_FAILURE, GV_PARSING_FAILURE, CONTENT_FAILURE, CONTENT_REMAINING, FINALIZERS_REMAINING);

    private static final Map<String, String[]> OK = Map.of(
            DISCOVERY_FAILURE, new String[] {"ResourcesDiscovered", "All resources successfully discovered"},
            GV_PARSING_FAILURE, new String[] {"ParsedGroupVersions", "All legacy kube types successfully parsed"},
            CONTENT_FAILURE,
                    new String[] {"ContentDeleted", "All content successfully deleted, may be waiting on finalization"},
            CONTENT_REMAINING, new String[] {"ContentRemoved", "All content successfully removed"},
            FINALIZERS_REMAINING,
                    new String[] {"ContentHasNoFinalizers", "All content-preserving finalizers finished"});

    private final List<NamespaceCondition> conditions = new ArrayList<>();
    private final List<String> deleteContentErrors = new ArrayList<>();

    void discoveryFailed(String message) {
        conditions.add(condition(DISCOVERY_FAILURE, "True", "DiscoveryFailed", message));
    }

    void deleteContentFailed(String message) {
        deleteContentErrors.add(message);
    }

    /**
     * @param remainingByResource "pods." (resource.group) to the objects left of it
     * @param remainingByFinalizer finalizer to the objects left that carry it
     */
    void contentTotals(Map<String, Integer> remainingByResource, Map<String, Integer> remainingByFinalizer) {
        List<String> resources = new ArrayList<>();
        new TreeMap<>(remainingByResource).forEach((resource, n) -> {
            if (n > 0) {
                resources.add(resource + " has " + n + " resource instances");
            }
        });
        if (!resources.isEmpty()) {
            resources.sort(null); // upstream sorts the formatted strings
            conditions.add(condition(
                    CONTENT_REMAINING,
                    "True",
                    "SomeResourcesRemain",
                    "Some resources are remaining: " + String.join(", ", resources)));
        }
        List<String> finalizers = new ArrayList<>();
        remainingByFinalizer.forEach((finalizer, n) -> {
            if (n > 0) {
                finalizers.add(finalizer + " in " + n + " resource instances");
            }
        });
        if (!finalizers.isEmpty()) {
            finalizers.sort(null);
            conditions.add(condition(
                    FINALIZERS_REMAINING,
                    "True",
                    "SomeFinalizersRemain",
                    "Some content in the namespace has finalizers remaining: " + String.join(", ", finalizers)));
        }
    }

    /**
     * Writes the conditions into {@code status} (upstream's Update and updateConditions): a condition missing is
     * appended; one whose status, reason or message differs is rewritten, its lastTransitionTime moving only when its
     * status changes. Answers whether anything changed.
     */
    boolean update(NamespaceStatus status, String now) {
        if (!deleteContentErrors.isEmpty() && find(conditions, CONTENT_FAILURE) == null) {
            List<String> sorted = new ArrayList<>(deleteContentErrors);
            sorted.sort(null);
            conditions.add(condition(
                    CONTENT_FAILURE,
                    "True",
                    "ContentDeletionFailed",
                    "Failed to delete all resource types, " + sorted.size() + " remaining: "
                            + String.join(", ", sorted)));
        }
        if (status.getConditions() == null) {
            status.setConditions(new ArrayList<>());
        }
        boolean changed = false;
        for (String type : TYPES) {
            NamespaceCondition next = find(conditions, type);
            if (next == null) {
                next = condition(type, "False", OK.get(type)[0], OK.get(type)[1]);
            }
            NamespaceCondition old = find(status.getConditions(), type);
            if (old == null) {
                next.setLastTransitionTime(now);
                status.getConditions().add(next);
                changed = true;
            } else if (!Objects.equals(old.getStatus(), next.getStatus())
                    || !Objects.equals(old.getReason(), next.getReason())
                    || !Objects.equals(old.getMessage(), next.getMessage())) {
                if (!Objects.equals(old.getStatus(), next.getStatus())) {
                    old.setLastTransitionTime(now);
                }
                old.setStatus(next.getStatus());
                old.setReason(next.getReason());
                old.setMessage(next.getMessage());
                changed = true;
            }
        }
        return changed;
    }

    private static NamespaceCondition condition(String type, String status, String reason, String message) {
        NamespaceCondition c = new NamespaceCondition();
        c.setType(type);
        c.setStatus(status);
        c.setReason(reason);
        c.setMessage(message);
        return c;
    }

    private static NamespaceCondition find(List<NamespaceCondition> list, String type) {
        for (NamespaceCondition c : list) {
            if (type.equals(c.getType())) {
                return c;
            }
        }
        return null;
    }
}
