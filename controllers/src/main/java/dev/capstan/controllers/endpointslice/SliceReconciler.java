package dev.capstan.controllers.endpointslice;

import dev.capstan.controllers.endpoints.EndpointsController;
import dev.capstan.controllers.endpoints.IPs;
import dev.capstan.controllers.endpoints.PodEndpoints;
import dev.capstan.controllers.endpoints.SemanticJson;
import dev.capstan.model.json.KubeJson;
import dev.capstan.model.pod.PodConditions;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;

/**
 * The packing of {@code k8s.io/endpointslice}'s Reconciler, as a pure function of the Service, its pods, the nodes
 * and the existing slices: per address type and per distinct port set, (1) existing slices keep the endpoints still
 * desired (updated in place when their conditions or topology changed) and are deleted when none is left, (2) slices
 * already being updated are filled up, fullest first, (3) the rest goes into the one unchanged slice it fits best
 * or into new slices; a placeholder slice (no ports, no endpoints) stands for a Service with no endpoints; creates are
 * turned into updates of slices that would be deleted. Where upstream pops endpoints in Go's random map order, this
 * takes them in pod-name order; topology hints and trafficDistribution are not implemented.
 */
final class SliceReconciler {
    /** What to write for one address type. */
    record Plan(List<EndpointSlice> create, List<EndpointSlice> update, List<EndpointSlice> delete) {}

    private static final Comparator<EndpointPort> PORT_ORDER = Comparator.comparing(
                    (EndpointPort p) -> Objects.toString(p.getName(), ""))
            .thenComparing(p -> Objects.toString(p.getProtocol(), ""))
            .thenComparing(p -> p.getPort() == null ? 0 : p.getPort())
            .thenComparing(p -> Objects.toString(p.getAppProtocol(), ""));

    private final String controllerName;
    private final int maxEndpointsPerSlice;

    SliceReconciler(String controllerName, int maxEndpointsPerSlice) {
        this.controllerName = controllerName;
        this.maxEndpointsPerSlice = maxEndpointsPerSlice;
    }

    /**
     * @param nodes a node by name, from the node cache
     * @param errors receives upstream's message for every pod skipped because its node is unknown
     */
    List<Plan> reconcile(
            Service service,
            List<Pod> pods,
            List<EndpointSlice> existing,
            Function<String, Optional<Node>> nodes,
            List<String> errors) {
        Set<String> types = addressTypes(service);
        Map<String, List<EndpointSlice>> byType = new LinkedHashMap<>();
        List<EndpointSlice> unsupported = new ArrayList<>();
        for (EndpointSlice slice : existing) {
            if (types.contains(slice.getAddressType())) {
                byType.computeIfAbsent(slice.getAddressType(), t -> new ArrayList<>())
                        .add(slice);
            } else {
                unsupported.add(slice);
            }
        }
        List<Plan> plans = new ArrayList<>();
        for (String type : types) {
            plans.add(reconcileByAddressType(service, pods, byType.getOrDefault(type, List.of()), type, nodes, errors));
        }
        if (!unsupported.isEmpty()) {
            plans.add(new Plan(List.of(), List.of(), unsupported));
        }
        return plans;
    }

    private Plan reconcileByAddressType(
            Service service,
            List<Pod> pods,
            List<EndpointSlice> existing,
            String addressType,
            Function<String, Optional<Node>> nodes,
            List<String> errors) {
        List<EndpointSlice> toCreate = new ArrayList<>();
        List<EndpointSlice> toUpdate = new ArrayList<>();
        List<EndpointSlice> toDelete = new ArrayList<>();

        Map<String, List<EndpointSlice>> existingByPorts = new LinkedHashMap<>();
        for (EndpointSlice slice : existing) {
            if (ownedBy(slice, service)) {
                existingByPorts
                        .computeIfAbsent(portKey(sorted(slice.getPorts())), k -> new ArrayList<>())
                        .add(slice);
            } else {
                toDelete.add(slice);
            }
        }

        Map<String, List<EndpointPort>> desiredPorts = new LinkedHashMap<>();
        Map<String, LinkedHashMap<String, Endpoint>> desired = new LinkedHashMap<>();
        boolean publishNotReady = Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses());
        for (Pod pod : pods) {
            if (!PodEndpoints.shouldBeInEndpoints(pod, true)) {
                continue;
            }
            List<EndpointPort> ports = sorted(endpointPorts(service, pod));
            String key = portKey(ports);
            desiredPorts.putIfAbsent(key, ports);
            LinkedHashMap<String, Endpoint> set = desired.computeIfAbsent(key, k -> new LinkedHashMap<>());
            String nodeName = pod.getSpec().getNodeName();
            Optional<Node> node = nodeName == null || nodeName.isEmpty() ? Optional.empty() : nodes.apply(nodeName);
            if (node.isEmpty() && !publishNotReady) {
                errors.add(String.format(
                        "skipping Pod %s for Service %s/%s: Node %s Not Found",
                        pod.getMetadata().getName(),
                        service.getMetadata().getNamespace(),
                        service.getMetadata().getName(),
                        Objects.toString(nodeName, "")));
                continue;
            }
            Endpoint endpoint = podToEndpoint(pod, node.orElse(null), service, addressType);
            if (!endpoint.getAddresses().isEmpty()) {
                set.put(hash(endpoint), endpoint);
            }
        }

        desired.forEach((key, set) -> {
            Plan p = reconcileByPortMapping(
                    service, existingByPorts.getOrDefault(key, List.of()), set, desiredPorts.get(key), addressType);
            toCreate.addAll(p.create());
            toUpdate.addAll(p.update());
            toDelete.addAll(p.delete());
        });
        existingByPorts.forEach((key, slices) -> {
            if (!desired.containsKey(key)) {
                toDelete.addAll(slices);
            }
        });

        // When no slice would exist, a placeholder stands for the Service.
        if (existing.size() == toDelete.size() && toCreate.isEmpty()) {
            EndpointSlice placeholder = newSlice(service, List.of(), addressType);
            if (toDelete.size() == 1 && isSamePlaceholder(toDelete.get(0), placeholder)) {
                toDelete.clear();
            } else {
                toCreate.add(placeholder);
            }
        }

        // Creates become updates of slices that would otherwise be deleted.
        for (int i = 0; i < toDelete.size() && !toCreate.isEmpty(); ) {
            EndpointSlice doomed = toDelete.get(i);
            EndpointSlice slice = toCreate.get(toCreate.size() - 1);
            if (Objects.equals(doomed.getAddressType(), slice.getAddressType()) && ownedBy(doomed, service)) {
                slice.getMetadata().setName(doomed.getMetadata().getName());
                slice.getMetadata().setGenerateName(null);
                slice.getMetadata().setResourceVersion(doomed.getMetadata().getResourceVersion());
                toCreate.remove(toCreate.size() - 1);
                toUpdate.add(slice);
                toDelete.remove(i);
            } else {
                i++;
            }
        }
        return new Plan(toCreate, toUpdate, toDelete);
    }

    private Plan reconcileByPortMapping(
            Service service,
            List<EndpointSlice> existing,
            LinkedHashMap<String, Endpoint> desiredSet,
            List<EndpointPort> ports,
            String addressType) {
        Map<String, EndpointSlice> byName = new LinkedHashMap<>();
        Set<String> unchanged = new LinkedHashSet<>();
        Set<String> toUpdate = new LinkedHashSet<>();
        Set<String> toDelete = new LinkedHashSet<>();

        // 1. Keep what is still desired, updating endpoints that changed.
        for (EndpointSlice slice : existing) {
            String name = slice.getMetadata().getName();
            byName.put(name, slice);
            List<Endpoint> kept = new ArrayList<>();
            boolean endpointUpdated = false;
            for (Endpoint endpoint : slice.getEndpoints()) {
                Endpoint got = desiredSet.remove(hash(endpoint));
                if (got != null) {
                    kept.add(got);
                    if (!SemanticJson.equal(got, endpoint)) {
                        endpointUpdated = true;
                    }
                }
            }
            Map<String, String> labels = new LinkedHashMap<>();
            boolean labelsChanged = sliceLabels(slice, service, labels);
            if (endpointUpdated || slice.getEndpoints().size() != kept.size()) {
                if (kept.isEmpty()) {
                    toDelete.add(name);
                } else {
                    EndpointSlice copy = copy(slice);
                    copy.setEndpoints(kept);
                    copy.getMetadata().setLabels(labels);
                    byName.put(name, copy);
                    toUpdate.add(name);
                }
            } else if (labelsChanged) {
                EndpointSlice copy = copy(slice);
                copy.getMetadata().setLabels(labels);
                byName.put(name, copy);
                toUpdate.add(name);
            } else {
                unchanged.add(name);
            }
        }

        Iterator<Endpoint> remaining = desiredSet.values().iterator();
        int left = desiredSet.size();
        // 2. Fill the slices being updated anyway, fullest first.
        if (left > 0 && !toUpdate.isEmpty()) {
            List<EndpointSlice> slices = new ArrayList<>();
            toUpdate.forEach(n -> slices.add(byName.get(n)));
            slices.sort(Comparator.comparingInt(
                            (EndpointSlice s) -> s.getEndpoints().size())
                    .reversed());
            for (EndpointSlice slice : slices) {
                while (left > 0 && slice.getEndpoints().size() < maxEndpointsPerSlice) {
                    slice.getEndpoints().add(remaining.next());
                    left--;
                }
            }
        }
        // 3. The rest into the unchanged slice it fits best, else into new slices.
        List<EndpointSlice> creates = new ArrayList<>();
        while (left > 0) {
            EndpointSlice fill = null;
            if (left < maxEndpointsPerSlice && !unchanged.isEmpty()) {
                List<EndpointSlice> candidates = new ArrayList<>();
                unchanged.forEach(n -> candidates.add(byName.get(n)));
                fill = sliceToFill(candidates, left);
            }
            if (fill == null) {
                fill = newSlice(service, ports, addressType);
            } else {
                fill = copy(fill);
                byName.put(fill.getMetadata().getName(), fill);
            }
            while (left > 0 && fill.getEndpoints().size() < maxEndpointsPerSlice) {
                fill.getEndpoints().add(remaining.next());
                left--;
            }
            String name = fill.getMetadata().getName();
            if (name != null && !name.isEmpty()) {
                toUpdate.add(name);
                unchanged.remove(name);
            } else {
                creates.add(fill);
            }
        }
        List<EndpointSlice> updates = new ArrayList<>();
        toUpdate.forEach(n -> updates.add(byName.get(n)));
        List<EndpointSlice> deletes = new ArrayList<>();
        toDelete.forEach(n -> deletes.add(byName.get(n)));
        return new Plan(creates, updates, deletes);
    }

    /** getSliceToFill: the slice that {@code n} more endpoints bring closest to full without overflowing. */
    private EndpointSlice sliceToFill(List<EndpointSlice> slices, int n) {
        int closestDiff = maxEndpointsPerSlice;
        EndpointSlice closest = null;
        for (EndpointSlice slice : slices) {
            int diff = maxEndpointsPerSlice - (n + slice.getEndpoints().size());
            if (diff >= 0 && diff < closestDiff) {
                closestDiff = diff;
                closest = slice;
                if (diff == 0) {
                    return closest;
                }
            }
        }
        return closest;
    }

    EndpointSlice newSlice(Service service, List<EndpointPort> ports, String addressType) {
        EndpointSlice slice = new EndpointSlice();
        ObjectMeta meta = new ObjectMeta();
        meta.setGenerateName(
                EndpointSliceController.slicePrefix(service.getMetadata().getName()));
        meta.setNamespace(service.getMetadata().getNamespace());
        meta.setOwnerReferences(new ArrayList<>(List.of(controllerRef(service))));
        slice.setMetadata(meta);
        slice.setPorts(new ArrayList<>(ports));
        slice.setAddressType(addressType);
        slice.setEndpoints(new ArrayList<>());
        Map<String, String> labels = new LinkedHashMap<>();
        sliceLabels(slice, service, labels);
        meta.setLabels(labels);
        return slice;
    }

    /**
     * setEndpointSliceLabels: fills {@code out} with the Service's labels (but the reserved ones), the headless label
     * for a Service without a cluster IP, the service name and manager; answers whether the slice's non-reserved
     * labels differ from the Service's.
     */
    boolean sliceLabels(EndpointSlice slice, Service service, Map<String, String> out) {
        Map<String, String> sliceLabels = new LinkedHashMap<>();
        Objects.requireNonNullElse(slice.getMetadata().getLabels(), Map.<String, String>of())
                .forEach((k, v) -> {
                    if (!reserved(k)) {
                        sliceLabels.put(k, v);
                    }
                });
        Objects.requireNonNullElse(service.getMetadata().getLabels(), Map.<String, String>of())
                .forEach((k, v) -> {
                    if (!reserved(k)) {
                        out.put(k, v);
                    }
                });
        boolean changed = !sliceLabels.equals(out);
        if (PodEndpoints.isServiceIPSet(service)) {
            out.remove(PodEndpoints.HEADLESS_LABEL);
        } else {
            out.put(PodEndpoints.HEADLESS_LABEL, "");
        }
        out.put(
                EndpointSliceController.LABEL_SERVICE_NAME,
                service.getMetadata().getName());
        out.put(EndpointSliceController.LABEL_MANAGED_BY, controllerName);
        return changed;
    }

    private static boolean reserved(String label) {
        return label.equals(EndpointSliceController.LABEL_SERVICE_NAME)
                || label.equals(EndpointSliceController.LABEL_MANAGED_BY)
                || label.equals(PodEndpoints.HEADLESS_LABEL);
    }

    /** placeholderSliceCompare: same namespace, labels and owners, and (being a placeholder) no ports or endpoints. */
    private static boolean isSamePlaceholder(EndpointSlice existing, EndpointSlice placeholder) {
        return Objects.equals(
                        existing.getMetadata().getNamespace(),
                        placeholder.getMetadata().getNamespace())
                && SemanticJson.equal(
                        existing.getMetadata().getLabels(),
                        placeholder.getMetadata().getLabels())
                && SemanticJson.equal(
                        existing.getMetadata().getOwnerReferences(),
                        placeholder.getMetadata().getOwnerReferences())
                && existing.getEndpoints().isEmpty()
                && existing.getPorts().isEmpty()
                && Objects.equals(existing.getAddressType(), placeholder.getAddressType());
    }

    static OwnerReference controllerRef(Service service) {
        OwnerReference ref = new OwnerReference();
        ref.setApiVersion("v1");
        ref.setKind("Service");
        ref.setName(service.getMetadata().getName());
        ref.setUid(service.getMetadata().getUid());
        ref.setController(true);
        ref.setBlockOwnerDeletion(true);
        return ref;
    }

    private static boolean ownedBy(EndpointSlice slice, Service service) {
        for (OwnerReference o : slice.getMetadata().getOwnerReferences()) {
            if (Objects.equals(o.getUid(), service.getMetadata().getUid())
                    && "Service".equals(o.getKind())
                    && "v1".equals(o.getApiVersion())) {
                return true;
            }
        }
        return false;
    }

    /** getAddressTypesForService: spec.ipFamilies; without them the cluster IP's family, or both when headless. */
    static Set<String> addressTypes(Service service) {
        Set<String> types = new LinkedHashSet<>();
        for (String family : service.getSpec().getIpFamilies()) {
            if (family.equals("IPv4") || family.equals("IPv6")) {
                types.add(family);
            }
        }
        if (!types.isEmpty()) {
            return types;
        }
        if (PodEndpoints.isServiceIPSet(service)) {
            types.add(IPs.isIPv6(service.getSpec().getClusterIP()) ? "IPv6" : "IPv4");
            return types;
        }
        types.add("IPv4");
        types.add("IPv6");
        return types;
    }

    /** getEndpointPorts: each Service port resolved in this pod; none for a headless Service without ports. */
    static List<EndpointPort> endpointPorts(Service service, Pod pod) {
        List<EndpointPort> out = new ArrayList<>();
        for (ServicePort sp : service.getSpec().getPorts()) {
            OptionalInt number = PodEndpoints.findPort(pod, sp);
            if (number.isEmpty()) {
                continue;
            }
            EndpointPort p = new EndpointPort();
            p.setName(Objects.toString(sp.getName(), ""));
            p.setPort(number.getAsInt());
            p.setProtocol(PodEndpoints.protocol(sp));
            p.setAppProtocol(sp.getAppProtocol());
            out.add(p);
        }
        return out;
    }

    /** podToEndpoint: serving is readiness, ready is serving and not terminating (or publishNotReadyAddresses). */
    static Endpoint podToEndpoint(Pod pod, Node node, Service service, String addressType) {
        boolean serving = PodConditions.isReady(pod);
        boolean terminating = PodEndpoints.isTerminating(pod);
        boolean ready =
                Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses()) || (serving && !terminating);
        Endpoint ep = new Endpoint();
        List<String> addresses = new ArrayList<>();
        for (String ip : PodEndpoints.podIPs(pod)) {
            IPs.parse(ip).filter(p -> p.addressType().equals(addressType)).ifPresent(p -> addresses.add(p.text()));
        }
        ep.setAddresses(addresses);
        EndpointConditions conditions = new EndpointConditions();
        conditions.setReady(ready);
        conditions.setServing(serving);
        conditions.setTerminating(terminating);
        ep.setConditions(conditions);
        ep.setTargetRef(EndpointsController.targetRef(pod));
        String nodeName = pod.getSpec().getNodeName();
        if (nodeName != null && !nodeName.isEmpty()) {
            ep.setNodeName(nodeName);
        }
        if (node != null) {
            String zone = node.getMetadata().getLabels().get(EndpointSliceController.LABEL_TOPOLOGY_ZONE);
            if (zone != null && !zone.isEmpty()) {
                ep.setZone(zone);
            }
        }
        if (PodEndpoints.shouldSetHostname(pod, service)) {
            ep.setHostname(pod.getSpec().getHostname());
        }
        return ep;
    }

    /** hashEndpoint: addresses, hostname and target name identify an endpoint; the rest may change in place. */
    static String hash(Endpoint e) {
        List<String> addresses = new ArrayList<>(e.getAddresses());
        addresses.sort(null);
        String ns = e.getTargetRef() == null
                ? ""
                : Objects.toString(e.getTargetRef().getNamespace(), "");
        String name = e.getTargetRef() == null
                ? ""
                : Objects.toString(e.getTargetRef().getName(), "");
        return String.join(",", addresses) + "|" + Objects.toString(e.getHostname(), "") + "|" + ns + "|" + name;
    }

    static List<EndpointPort> sorted(List<EndpointPort> ports) {
        List<EndpointPort> out = new ArrayList<>(ports);
        out.sort(PORT_ORDER);
        return out;
    }

    static String portKey(List<EndpointPort> sortedPorts) {
        StringBuilder b = new StringBuilder();
        for (EndpointPort p : sortedPorts) {
            b.append(Objects.toString(p.getName(), ""))
                    .append('/')
                    .append(Objects.toString(p.getProtocol(), ""))
                    .append('/')
                    .append(p.getPort())
                    .append('/')
                    .append(Objects.toString(p.getAppProtocol(), ""))
                    .append(';');
        }
        return b.toString();
    }

    static EndpointSlice copy(EndpointSlice slice) {
        return KubeJson.convert(KubeJson.tree(slice), EndpointSlice.class);
    }
}
