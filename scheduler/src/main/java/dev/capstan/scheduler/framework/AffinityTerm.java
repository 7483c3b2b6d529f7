package dev.capstan.scheduler.framework;

import dev.capstan.model.labels.LabelSelector;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Upstream's framework.AffinityTerm: a parsed PodAffinityTerm. {@code namespaces} holds the listed namespaces, or the
 * owning pod's namespace when neither namespaces nor a namespaceSelector is given; {@code namespaceSelector} is
 * {@link LabelSelector#NOTHING} when absent and {@link LabelSelector#EVERYTHING} when empty ({@code {}}).
 */
public record AffinityTerm(
        Set<String> namespaces,
        LabelSelector selector,
        String topologyKey,
        LabelSelector namespaceSelector,
        int weight) {

    public AffinityTerm {
        topologyKey = NodeInfo.sharedLabelKey(topologyKey); // read from every node checked
    }

    /**
     * Upstream's AffinityTerm.Matches: the pod is in one of the namespaces (listed, or selected by labels looked up
     * through {@code namespaceLabels}) and its labels match the selector.
     */
    public boolean matches(PodInfo pod, Function<String, Map<String, String>> namespaceLabels) {
        if (namespaces.contains(pod.namespace()) || matchesNamespaceSelector(pod.namespace(), namespaceLabels)) {
            return selector.matches(pod.labels());
        }
        return false;
    }

    private boolean matchesNamespaceSelector(String namespace, Function<String, Map<String, String>> nsLabels) {
        if (namespaceSelector.matchesNothing()) {
            return false;
        }
        if (namespaceSelector.isEmpty()) {
            return true;
        }
        Map<String, String> labels = nsLabels == null ? null : nsLabels.apply(namespace);
        return namespaceSelector.matches(labels == null ? Map.of() : labels);
    }
}
