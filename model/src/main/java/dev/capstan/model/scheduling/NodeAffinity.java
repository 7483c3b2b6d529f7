package dev.capstan.model.scheduling;

import dev.capstan.model.labels.LabelSelector;
import dev.capstan.model.labels.SelectorParseException;
import dev.capstan.model.names.FieldErrors;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A pod's node affinity as component-helpers' nodeaffinity package reads it: the required part (spec.nodeSelector
 * and the required node affinity, both of which must match) and the preferred terms' weights for scoring.
 */
public final class NodeAffinity {
    private NodeAffinity() {}

    /**
     * Upstream's RequiredNodeAffinity: a node must carry every nodeSelector label (compared as given, unvalidated)
     * and match the required node selector's terms, when the pod has them.
     */
    public record Required(LabelSelector nodeSelector, NodeSelectors affinity) {
        /** Upstream's Match: true when neither part is set. */
        public boolean matches(Node node) {
            if (nodeSelector != null && !nodeSelector.matches(labels(node))) {
                return false;
            }
            return affinity == null || affinity.matches(node);
        }
    }

    /** Upstream's GetRequiredNodeAffinity. */
    public static Required required(Pod pod) {
        return required(pod.getSpec());
    }

    public static Required required(PodSpec spec) {
        Map<String, String> nodeSelector = spec.getNodeSelector();
        LabelSelector labels =
                nodeSelector == null || nodeSelector.isEmpty() ? null : LabelSelector.fromSet(nodeSelector);
        NodeSelector requiredTerms = requiredTerms(spec.getAffinity());
        return new Required(labels, requiredTerms == null ? null : NodeSelectors.compile(requiredTerms));
    }

    /** The weights of the preferred terms, compiled as upstream's PreferredSchedulingTerms. */
    public static final class Preferred {
        private record Weighted(NodeSelectors.Term term, int weight) {}

        private final List<Weighted> terms;

        private Preferred(List<Weighted> terms) {
            this.terms = terms;
        }

        /** Upstream's Score: the sum of the weights of the terms the node matches. */
        public long score(Node node) {
            Map<String, String> labels = labels(node);
            String name = name(node);
            return terms.stream()
                    .filter(w -> w.term().matches(labels, name))
                    .mapToLong(Weighted::weight)
                    .sum();
        }
    }

    /** The pod's preferred terms; see {@link #preferred(List)}. */
    public static Preferred preferred(PodSpec spec) {
        Affinity affinity = spec.getAffinity();
        List<PreferredSchedulingTerm> terms = affinity == null || affinity.getNodeAffinity() == null
                ? null
                : affinity.getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution();
        return preferred(terms == null ? List.of() : terms);
    }

    /**
     * Upstream's NewPreferredSchedulingTerms: terms of weight 0 or without requirements are dropped.
     *
     * @throws SelectorParseException when a term does not compile, as upstream refuses the whole list
     */
    public static Preferred preferred(List<PreferredSchedulingTerm> terms) {
        List<Preferred.Weighted> compiled = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < terms.size(); i++) {
            PreferredSchedulingTerm term = terms.get(i);
            int weight = term.getWeight() == null ? 0 : term.getWeight();
            if (weight == 0 || NodeSelectors.isEmpty(term.getPreference())) {
                continue;
            }
            NodeSelectors.Term t = NodeSelectors.term(term.getPreference(), FieldErrors.index(null, i));
            if (t.errors().isEmpty()) {
                compiled.add(new Preferred.Weighted(t, weight));
            } else {
                errors.addAll(t.errors());
            }
        }
        if (!errors.isEmpty()) {
            throw new SelectorParseException(FieldErrors.aggregate(errors));
        }
        return new Preferred(List.copyOf(compiled));
    }

    private static NodeSelector requiredTerms(Affinity affinity) {
        return affinity == null || affinity.getNodeAffinity() == null
                ? null
                : affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
    }

    static Map<String, String> labels(Node node) {
        if (node.getMetadata() == null || node.getMetadata().getLabels() == null) {
            return Map.of();
        }
        return node.getMetadata().getLabels();
    }

    static String name(Node node) {
        if (node.getMetadata() == null || node.getMetadata().getName() == null) {
            return "";
        }
        return node.getMetadata().getName();
    }
}
