package dev.capstan.scheduler.framework;

import dev.capstan.model.labels.LabelSelector;
import dev.capstan.model.labels.SelectorParseException;
import dev.capstan.model.meta.ObjectKey;
import dev.capstan.model.pod.PodResources;
import dev.capstan.model.pod.Sidecars;
import dev.capstan.model.scheduling.NodeAffinity;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upstream's framework.PodInfo: a pod with everything the plugins read from it parsed once (requests as longs,
 * affinity terms, required node affinity, host ports, images), so that no hot loop parses a quantity or a selector.
 * Immutable; a pod update builds a new PodInfo.
 */
public final class PodInfo {
    private static final Interner<Map<String, String>> LABELS = new Interner<>(100_000);
    private static final Interner<AffinityTerm> TERMS = new Interner<>(100_000);
    /** Parsed terms by their source: a pod's every update (status, binding) would otherwise re-parse its selectors. */
    private static final ConcurrentHashMap<TermSource, AffinityTerm> PARSED = new ConcurrentHashMap<>();

    private static final int MAX_PARSED = 100_000;

    /** Informer objects are never mutated, so the fabric8 term serves as a key (deep equals). */
    private record TermSource(PodAffinityTerm term, String namespace, int weight) {}

    private final Pod pod;
    private final String namespace;
    private final ObjectKey key;
    private final String uid;
    private final Map<String, String> labels;
    private final int priority;
    private final Resources requests;
    private final long nonZeroMilliCpu;
    private final long nonZeroMemory;
    private final List<AffinityTerm> requiredAffinityTerms;
    private final List<AffinityTerm> requiredAntiAffinityTerms;
    private final List<AffinityTerm> preferredAffinityTerms;
    private final List<AffinityTerm> preferredAntiAffinityTerms;
    private final String parseError;
    private final NodeAffinity.Required requiredNodeAffinity;
    private final List<Toleration> tolerations;
    private final List<HostPort> hostPorts;
    private final List<String> images;
    private final boolean terminating;

    private PodInfo(Pod pod) {
        this.pod = pod;
        this.key = ObjectKey.of(pod);
        this.namespace = key.namespace().intern();
        this.uid = pod.getMetadata() == null ? null : pod.getMetadata().getUid();
        Map<String, String> l =
                pod.getMetadata() == null ? null : pod.getMetadata().getLabels();
        this.labels = l == null || l.isEmpty() ? Map.of() : LABELS.intern(Map.copyOf(l));
        PodSpec spec = pod.getSpec();
        this.priority = spec.getPriority() == null ? 0 : spec.getPriority();
        this.requests = Resources.of(PodResources.requests(spec));
        Resources nonZero = Resources.of(PodResources.nonZeroRequests(spec));
        this.nonZeroMilliCpu = nonZero.milliCpu;
        this.nonZeroMemory = nonZero.memory;
        List<String> errors = new ArrayList<>();
        Affinity affinity = spec.getAffinity();
        var podAffinity = affinity == null ? null : affinity.getPodAffinity();
        var podAntiAffinity = affinity == null ? null : affinity.getPodAntiAffinity();
        this.requiredAffinityTerms = terms(
                podAffinity == null ? null : podAffinity.getRequiredDuringSchedulingIgnoredDuringExecution(), errors);
        this.requiredAntiAffinityTerms = terms(
                podAntiAffinity == null ? null : podAntiAffinity.getRequiredDuringSchedulingIgnoredDuringExecution(),
                errors);
        this.preferredAffinityTerms = weighted(
                podAffinity == null ? null : podAffinity.getPreferredDuringSchedulingIgnoredDuringExecution(), errors);
        this.preferredAntiAffinityTerms = weighted(
                podAntiAffinity == null ? null : podAntiAffinity.getPreferredDuringSchedulingIgnoredDuringExecution(),
                errors);
        this.parseError = errors.isEmpty() ? null : String.join("; ", errors);
        this.requiredNodeAffinity = NodeAffinity.required(spec);
        this.tolerations = spec.getTolerations() == null ? List.of() : spec.getTolerations();
        List<HostPort> ports = new ArrayList<>();
        List<String> imgs = new ArrayList<>();
        for (Container c : list(spec.getInitContainers())) {
            imgs.add(normalizedImageName(c.getImage()));
            if (Sidecars.isSidecar(c)) {
                addPorts(c, ports);
            }
        }
        for (Container c : list(spec.getContainers())) {
            imgs.add(normalizedImageName(c.getImage()));
            addPorts(c, ports);
        }
        this.hostPorts = List.copyOf(ports);
        this.images = List.copyOf(imgs);
        this.terminating = pod.getMetadata() != null && pod.getMetadata().getDeletionTimestamp() != null;
    }

    public static PodInfo of(Pod pod) {
        return new PodInfo(Objects.requireNonNull(pod, "pod"));
    }

    public Pod pod() {
        return pod;
    }

    public ObjectKey key() {
        return key;
    }

    /** metadata.uid, or null when the pod has none (tests). */
    public String uid() {
        return uid;
    }

    public String namespace() {
        return namespace;
    }

    public String name() {
        return key.name();
    }

    public Map<String, String> labels() {
        return labels;
    }

    /** spec.priority, 0 when unset (upstream's corev1.PodPriority). */
    public int priority() {
        return priority;
    }

    /** The pod's requests as upstream's PodRequests (sidecars, init containers, overhead). Do not mutate. */
    public Resources requests() {
        return requests;
    }

    /** CPU requested, a container without a cpu request counting 100m (for spreading scores). */
    public long nonZeroMilliCpu() {
        return nonZeroMilliCpu;
    }

    /** Memory requested, a container without a memory request counting 200Mi. */
    public long nonZeroMemory() {
        return nonZeroMemory;
    }

    public List<AffinityTerm> requiredAffinityTerms() {
        return requiredAffinityTerms;
    }

    public List<AffinityTerm> requiredAntiAffinityTerms() {
        return requiredAntiAffinityTerms;
    }

    /** The preferred pod affinity terms, each with its weight. */
    public List<AffinityTerm> preferredAffinityTerms() {
        return preferredAffinityTerms;
    }

    public List<AffinityTerm> preferredAntiAffinityTerms() {
        return preferredAntiAffinityTerms;
    }

    public boolean hasAffinityConstraints() {
        return !requiredAffinityTerms.isEmpty()
                || !requiredAntiAffinityTerms.isEmpty()
                || !preferredAffinityTerms.isEmpty()
                || !preferredAntiAffinityTerms.isEmpty();
    }

    /** Why a pod (anti-)affinity term's selector did not parse, or null. */
    public String parseError() {
        return parseError;
    }

    public NodeAffinity.Required requiredNodeAffinity() {
        return requiredNodeAffinity;
    }

    public List<Toleration> tolerations() {
        return tolerations;
    }

    public List<HostPort> hostPorts() {
        return hostPorts;
    }

    /** Image names of init containers and containers, normalized with ":latest" when untagged. */
    public List<String> images() {
        return images;
    }

    /** spec.nodeName, "" when unassigned. */
    public String nodeName() {
        String n = pod.getSpec().getNodeName();
        return n == null ? "" : n;
    }

    /** metadata.deletionTimestamp is set. */
    public boolean isTerminating() {
        return terminating;
    }

    /** Upstream's normalizedImageName: ":latest" appended when the name has no tag (and no digest). */
    public static String normalizedImageName(String name) {
        if (name == null) {
            return "";
        }
        if (name.lastIndexOf(':') <= name.lastIndexOf('/')) {
            return name + ":latest";
        }
        return name;
    }

    private static void addPorts(Container c, List<HostPort> into) {
        for (ContainerPort p : list(c.getPorts())) {
            if (p.getHostPort() != null && p.getHostPort() > 0) {
                into.add(new HostPort(p.getHostIP(), p.getProtocol(), p.getHostPort()));
            }
        }
    }

    private List<AffinityTerm> terms(List<PodAffinityTerm> terms, List<String> errors) {
        if (terms == null || terms.isEmpty()) {
            return List.of();
        }
        List<AffinityTerm> out = new ArrayList<>(terms.size());
        for (PodAffinityTerm t : terms) {
            AffinityTerm parsed = term(t, 0, errors);
            if (parsed != null) {
                out.add(parsed);
            }
        }
        return List.copyOf(out);
    }

    private List<AffinityTerm> weighted(List<WeightedPodAffinityTerm> terms, List<String> errors) {
        if (terms == null || terms.isEmpty()) {
            return List.of();
        }
        List<AffinityTerm> out = new ArrayList<>(terms.size());
        for (WeightedPodAffinityTerm t : terms) {
            int weight = t.getWeight() == null ? 0 : t.getWeight();
            AffinityTerm parsed = t.getPodAffinityTerm() == null ? null : term(t.getPodAffinityTerm(), weight, errors);
            if (parsed != null) {
                out.add(parsed);
            }
        }
        return List.copyOf(out);
    }

    /** Upstream's newAffinityTerm. */
    private AffinityTerm term(PodAffinityTerm t, int weight, List<String> errors) {
        TermSource source = new TermSource(t, key.namespace(), weight);
        AffinityTerm parsed = PARSED.get(source);
        if (parsed != null) {
            return parsed;
        }
        try {
            LabelSelector selector = LabelSelector.of(t.getLabelSelector());
            LabelSelector nsSelector = LabelSelector.of(t.getNamespaceSelector());
            Set<String> namespaces;
            if ((t.getNamespaces() == null || t.getNamespaces().isEmpty()) && t.getNamespaceSelector() == null) {
                namespaces = Set.of(key.namespace());
            } else {
                namespaces = t.getNamespaces() == null ? Set.of() : Set.copyOf(t.getNamespaces());
            }
            String topologyKey = t.getTopologyKey() == null ? "" : t.getTopologyKey();
            parsed = TERMS.intern(new AffinityTerm(namespaces, selector, topologyKey, nsSelector, weight));
        } catch (SelectorParseException e) {
            errors.add(e.getMessage());
            return null;
        }
        if (PARSED.size() >= MAX_PARSED) {
            PARSED.clear();
        }
        PARSED.put(source, parsed);
        return parsed;
    }

    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }

    @Override
    public String toString() {
        return key.toString();
    }
}
