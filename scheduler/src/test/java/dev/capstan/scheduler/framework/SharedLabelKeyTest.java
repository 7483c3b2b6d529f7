package dev.capstan.scheduler.framework;

import static dev.capstan.scheduler.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.model.labels.LabelSelector;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Plugins hold topology keys as the instance nodes' labels share, so the lookup they make in every node checked
 * compares by identity; a key from a pod's own JSON is an equal string of its own.
 */
class SharedLabelKeyTest {
    @Test
    void aKeyFromAPodIsTheInstanceTheNodesLabelsHold() {
        NodeInfo node = NodeInfo.of(
                node("n1").label(new String("example.com/rack"), "r1").build());
        String fromPod = new String("example.com/rack");

        String shared = NodeInfo.sharedLabelKey(fromPod);

        String nodesKey = node.labels().keySet().stream()
                .filter("example.com/rack"::equals)
                .findFirst()
                .orElseThrow();
        assertThat(shared).isSameAs(nodesKey).isNotSameAs(fromPod);
        assertThat(node.labels()).containsEntry(shared, "r1");
    }

    @Test
    void affinityTermsHoldTheSharedKey() {
        NodeInfo node = NodeInfo.of(
                node("n2").label(new String("example.com/row"), "w1").build());
        AffinityTerm term = new AffinityTerm(
                Set.of("default"), LabelSelector.EVERYTHING, new String("example.com/row"), LabelSelector.NOTHING, 1);

        assertThat(node.labels().keySet()).anyMatch(k -> k == term.topologyKey());
        assertThat(node.labels()).containsEntry(term.topologyKey(), "w1");
    }

    @Test
    void nullStaysNull() {
        assertThat(NodeInfo.sharedLabelKey(null)).isNull();
    }
}
