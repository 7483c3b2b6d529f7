package dev.capstan.controllers.namespace;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceCondition;
import io.fabric8.kubernetes.api.model.NamespaceStatus;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NamespaceConditionsTest {
    @Test
    void nothingWrongWritesTheFiveOkConditions() {
        NamespaceStatus status = new NamespaceStatus();

        assertThat(new NamespaceConditions().update(status, "T1")).isTrue();

        assertThat(status.getConditions())
                .extracting(
                        NamespaceCondition::getType,
                        NamespaceCondition::getStatus,
                        NamespaceCondition::getReason,
                        NamespaceCondition::getMessage)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "NamespaceDeletionDiscoveryFailure",
                                "False",
                                "ResourcesDiscovered",
                                "All resources successfully discovered"),
                        org.assertj.core.groups.Tuple.tuple(
                                "NamespaceDeletionGroupVersionParsingFailure",
                                "False",
                                "ParsedGroupVersions",
                                "All legacy kube types successfully parsed"),
                        org.assertj.core.groups.Tuple.tuple(
                                "NamespaceDeletionContentFailure",
                                "False",
                                "ContentDeleted",
                                "All content successfully deleted, may be waiting on finalization"),
                        org.assertj.core.groups.Tuple.tuple(
                                "NamespaceContentRemaining",
                                "False",
                                "ContentRemoved",
                                "All content successfully removed"),
                        org.assertj.core.groups.Tuple.tuple(
                                "NamespaceFinalizersRemaining",
                                "False",
                                "ContentHasNoFinalizers",
                                "All content-preserving finalizers finished"));
        assertThat(new NamespaceConditions().update(status, "T2")).isFalse(); // unchanged
    }

    @Test
    void failuresAreSortedAndTheTransitionTimeMovesOnlyWithTheStatus() {
        NamespaceStatus status = new NamespaceStatus();
        new NamespaceConditions().update(status, "T1");

        NamespaceConditions failing = new NamespaceConditions();
        failing.discoveryFailed("metrics.k8s.io/v1beta1: stale GroupVersion discovery");
        failing.deleteContentFailed("b failed");
        failing.deleteContentFailed("a failed");
        failing.contentTotals(Map.of("pods.", 2, "widgets.example.com", 1), Map.of("x/y", 1, "a/b", 2));
        assertThat(failing.update(status, "T2")).isTrue();

        assertThat(find(status, "NamespaceDeletionDiscoveryFailure").getReason())
                .isEqualTo("DiscoveryFailed");
        assertThat(find(status, "NamespaceDeletionContentFailure").getMessage())
                .isEqualTo("Failed to delete all resource types, 2 remaining: a failed, b failed");
        assertThat(find(status, "NamespaceContentRemaining").getMessage())
                .isEqualTo("Some resources are remaining: pods. has 2 resource instances, widgets.example.com has 1"
                        + " resource instances");
        assertThat(find(status, "NamespaceFinalizersRemaining").getMessage())
                .isEqualTo("Some content in the namespace has finalizers remaining: a/b in 2 resource instances, x/y in"
                        + " 1 resource instances");
        assertThat(find(status, "NamespaceContentRemaining").getLastTransitionTime())
                .isEqualTo("T2");

        NamespaceConditions fewer = new NamespaceConditions();
        fewer.contentTotals(Map.of("pods.", 1), Map.of());
        fewer.update(status, "T3");
        // still True: message rewritten, transition time kept
        assertThat(find(status, "NamespaceContentRemaining").getLastTransitionTime())
                .isEqualTo("T2");
        assertThat(find(status, "NamespaceContentRemaining").getMessage())
                .isEqualTo("Some resources are remaining: pods. has 1 resource instances");
        // back to False: moved
        assertThat(find(status, "NamespaceFinalizersRemaining").getLastTransitionTime())
                .isEqualTo("T3");
        assertThat(find(status, "NamespaceFinalizersRemaining").getStatus()).isEqualTo("False");
    }

    private static NamespaceCondition find(NamespaceStatus status, String type) {
        return status.getConditions().stream()
                .filter(c -> c.getType().equals(type))
                .findFirst()
                .orElseThrow();
    }
}
