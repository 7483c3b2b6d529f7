package dev.capstan.controllers.endpointslicemirroring;

import dev.capstan.client.ApiError;
import dev.capstan.client.Kinds;
import dev.capstan.client.ResourceClient;
import dev.capstan.client.events.EventRecorder;
import dev.capstan.client.informer.ResourceEventHandler;
import dev.capstan.client.informer.SharedInformer;
import dev.capstan.client.workqueue.Reconciler;
import dev.capstan.client.workqueue.Result;
import dev.capstan.client.workqueue.WorkQueue;
import dev.capstan.controllers.ControllerContext;
import dev.capstan.controllers.endpoints.IPs;
import dev.capstan.controllers.endpoints.PodEndpoints;
import dev.capstan.controllers.endpoints.SemanticJson;
import dev.capstan.controllers.endpointslice.EndpointSliceController;
import dev.capstan.controllers.endpointslice.SliceTracker;
import dev.capstan.model.meta.ObjectKey;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Upstream's EndpointSlice mirroring controller ({@code pkg/controller/endpointslicemirroring}): the Endpoints of a
 * Service without a selector are mirrored into slices labelled {@code endpointslice.kubernetes.io/managed-by:
 * endpointslicemirroring-controller.k8s.io} and owned by the Endpoints, one slice per subset and address type, at
 * most 1000 addresses a subset. Endpoints labelled {@code endpointslice.kubernetes.io/skip-mirror: "true"}, leader
 * election records, and Endpoints of a missing Service or of one with a selector are not mirrored (their mirrored
 * slices are deleted).
 */
public final class EndpointSliceMirroringController implements Reconciler<ObjectKey> {
    public static final String NAME = "endpointslice-mirroring-controller";
    public static final String CONTROLLER_NAME = "endpointslicemirroring-controller.k8s.io";
    public static final String LABEL_SKIP_MIRROR = "endpointslice.kubernetes.io/skip-mirror";
    /** Upstream's default --mirroring-max-endpoints-per-subset. */
    public static final int MAX_ENDPOINTS_PER_SUBSET = 1000;

    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
    static final Duration STALE_RETRY = Duration.ofMillis(100);

    private final ControllerContext ctx;
    private final SharedInformer<Endpoints> endpoints;
    private final SharedInformer<Service> services;
    private final SharedInformer<EndpointSlice> slices;
    private final SliceTracker tracker = new SliceTracker();

    public EndpointSliceMirroringController(ControllerContext ctx, WorkQueue<ObjectKey> queue) {
        this.ctx = ctx;
        this.endpoints = ctx.informers().informer(Kinds.ENDPOINTS);
        this.services = ctx.informers().informer(Kinds.SERVICES);
        this.slices = ctx.informers().informer(Kinds.ENDPOINT_SLICES);
        services.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Service s) {
                if (!PodEndpoints.hasSelector(s)) {
                    queue.add(ObjectKey.of(s));
                }
            }

            @Override
            public void onUpdate(Service old, Service cur) {
                if (PodEndpoints.hasSelector(old) != PodEndpoints.hasSelector(cur)) {
                    queue.add(ObjectKey.of(cur));
                }
            }

            @Override
            public void onDelete(Service s) {
                if (!PodEndpoints.hasSelector(s)) {
                    queue.add(ObjectKey.of(s));
                }
            }
        });
        endpoints.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Endpoints e) {
                if (shouldMirror(e)) {
                    queue.add(ObjectKey.of(e));
                }
            }

            @Override
            public void onUpdate(Endpoints old, Endpoints cur) {
                if (shouldMirror(old) || shouldMirror(cur)) {
                    queue.add(ObjectKey.of(cur));
                }
            }

            @Override
            public void onDelete(Endpoints e) {
                if (shouldMirror(e)) {
                    queue.add(ObjectKey.of(e));
                }
            }
        });
        slices.addEventHandler(
                tracker.handler(EndpointSliceMirroringController::managedByUs, slice -> queueFor(slice, queue)));
    }

    @Override
    public Result reconcile(ObjectKey key) {
        Optional<Endpoints> found = endpoints.cache().get(key);
        if (found.isEmpty() || !shouldMirror(found.get())) {
            return deleteMirroredSlices(key);
        }
        Optional<Service> service = services.cache().get(key);
        if (service.isEmpty() || PodEndpoints.hasSelector(service.get())) {
            return deleteMirroredSlices(key);
        }
        List<EndpointSlice> existing = mirroredSlices(key);
        if (tracker.staleSlices(key, existing)) {
            return Result.requeueAfter(STALE_RETRY);
        }
        mirror(found.get(), existing);
        return Result.DONE;
    }

    private void mirror(Endpoints ep, List<EndpointSlice> existing) {
        // Desired endpoints by address type and port set, in subset order.
        Map<String, LinkedHashMap<String, Endpoint>> desired = new LinkedHashMap<>();
        Map<String, List<EndpointPort>> portsByKey = new LinkedHashMap<>();
        int invalid = 0;
        int skipped = 0;
        for (EndpointSubset subset : ep.getSubsets()) {
            List<EndpointPort> ports = slicePorts(subset);
            for (String type : List.of("IPv4", "IPv6")) {
                String k = key(type, ports);
                desired.putIfAbsent(k, new LinkedHashMap<>());
                portsByKey.put(k, ports);
            }
            int total =
                    subset.getAddresses().size() + subset.getNotReadyAddresses().size();
            int added = 0;
            for (boolean ready : new boolean[] {true, false}) {
                for (EndpointAddress address : ready ? subset.getAddresses() : subset.getNotReadyAddresses()) {
                    if (added >= MAX_ENDPOINTS_PER_SUBSET) {
                        break;
                    }
                    Optional<IPs.Parsed> ip = IPs.parse(address.getIp());
                    if (ip.isEmpty()) {
                        invalid++;
                        continue;
                    }
                    Endpoint endpoint = addressToEndpoint(address, ip.get().text(), ready);
                    desired.get(key(ip.get().addressType(), ports)).put(hash(endpoint), endpoint);
                    added++;
                }
            }
            skipped += total - added;
        }
        if (invalid > 0) {
            ctx.events()
                    .eventf(
                            ep,
                            EventRecorder.WARNING,
                            "InvalidIPAddress",
                            "Skipped %d invalid IP addresses when mirroring to EndpointSlices",
                            invalid);
        }
        if (skipped > invalid) {
            ctx.events()
                    .eventf(
                            ep,
                            EventRecorder.WARNING,
                            "TooManyAddressesToMirror",
                            "A max of %d addresses can be mirrored to EndpointSlices per Endpoints subset. %d addresses were skipped",
                            MAX_ENDPOINTS_PER_SUBSET,
                            skipped);
        }

        Map<String, List<EndpointSlice>> existingByKey = new LinkedHashMap<>();
        for (EndpointSlice slice : existing) {
            existingByKey
                    .computeIfAbsent(key(slice.getAddressType(), slice.getPorts()), k -> new ArrayList<>())
                    .add(slice);
        }
        List<EndpointSlice> toCreate = new ArrayList<>();
        List<EndpointSlice> toUpdate = new ArrayList<>();
        List<EndpointSlice> toDelete = new ArrayList<>();
        desired.forEach((k, set) -> {
            List<EndpointSlice> current = existingByKey.getOrDefault(k, List.of());
            String type = k.substring(0, 4);
            if (set.isEmpty()) {
                toDelete.addAll(current);
                return;
            }
            String name = null;
            if (!current.isEmpty()) {
                toDelete.addAll(current.subList(1, current.size()));
                EndpointSlice first = current.get(0);
                if (unchanged(ep, first, set)) {
                    return;
                }
                name = first.getMetadata().getName();
            }
            EndpointSlice slice = newSlice(ep, portsByKey.get(k), type, name);
            slice.getEndpoints().addAll(set.values());
            (name == null ? toCreate : toUpdate).add(slice);
        });
        existingByKey.forEach((k, current) -> {
            if (!desired.containsKey(k)) {
                toDelete.addAll(current);
            }
        });
        // recycleSlices: a create of an address type takes over a slice of that type being deleted.
        for (EndpointSlice create : new ArrayList<>(toCreate)) {
            for (EndpointSlice doomed : toDelete) {
                if (doomed.getAddressType().equals(create.getAddressType())) {
                    toDelete.remove(doomed);
                    toCreate.remove(create);
                    create.getMetadata().setGenerateName(null);
                    create.getMetadata().setName(doomed.getMetadata().getName());
                    toUpdate.add(create);
                    break;
                }
            }
        }
        ResourceClient<EndpointSlice> client = ctx.api().resources(Kinds.ENDPOINT_SLICES);
        // No new slices for Endpoints being deleted.
        if (ep.getMetadata().getDeletionTimestamp() == null) {
            for (EndpointSlice s : toCreate) {
                tracker.update(client.create(s));
            }
        }
        for (EndpointSlice s : toUpdate) {
            tracker.update(client.update(s));
        }
        for (EndpointSlice s : toDelete) {
            try {
                client.delete(s.getMetadata().getNamespace(), s.getMetadata().getName());
                tracker.expectDeletion(s);
            } catch (ApiError e) {
                if (!e.isNotFound()) {
                    throw e;
                }
            }
        }
    }

    /** Whether the slice already mirrors {@code set}, the Endpoints' labels and its annotations. */
    private static boolean unchanged(Endpoints ep, EndpointSlice slice, Map<String, Endpoint> set) {
        if (slice.getEndpoints().size() != set.size()) {
            return false;
        }
        for (Endpoint e : slice.getEndpoints()) {
            Endpoint want = set.get(hash(e));
            if (want == null || !SemanticJson.equal(want, e)) {
                return false;
            }
        }
        Map<String, String> labels =
                new LinkedHashMap<>(nonNull(slice.getMetadata().getLabels()));
        labels.remove(EndpointSliceController.LABEL_MANAGED_BY);
        labels.remove(EndpointSliceController.LABEL_SERVICE_NAME);
        return SemanticJson.equal(nonNull(ep.getMetadata().getLabels()), labels)
                && SemanticJson.equal(
                        mirroredAnnotations(ep), nonNull(slice.getMetadata().getAnnotations()));
    }

    private Result deleteMirroredSlices(ObjectKey key) {
        tracker.deleteService(key);
        ResourceClient<EndpointSlice> client = ctx.api().resources(Kinds.ENDPOINT_SLICES);
        for (EndpointSlice s : mirroredSlices(key)) {
            try {
                client.delete(s.getMetadata().getNamespace(), s.getMetadata().getName());
            } catch (ApiError e) {
                if (!e.isNotFound()) {
                    throw e;
                }
            }
        }
        return Result.DONE;
    }

    private List<EndpointSlice> mirroredSlices(ObjectKey key) {
        return slices.cache().inNamespace(key.namespace()).stream()
                .filter(s ->
                        key.name().equals(s.getMetadata().getLabels().get(EndpointSliceController.LABEL_SERVICE_NAME))
                                && managedByUs(s))
                .sorted(Comparator.comparing(s -> s.getMetadata().getName()))
                .toList();
    }

    private static EndpointSlice newSlice(Endpoints ep, List<EndpointPort> ports, String type, String name) {
        EndpointSlice slice = new EndpointSlice();
        ObjectMeta meta = new ObjectMeta();
        meta.setNamespace(ep.getMetadata().getNamespace());
        OwnerReference owner = new OwnerReference();
        owner.setApiVersion("v1");
        owner.setKind("Endpoints");
        owner.setName(ep.getMetadata().getName());
        owner.setUid(ep.getMetadata().getUid());
        owner.setController(true);
        owner.setBlockOwnerDeletion(true);
        meta.setOwnerReferences(new ArrayList<>(List.of(owner)));
        Map<String, String> labels =
                new LinkedHashMap<>(nonNull(ep.getMetadata().getLabels()));
        labels.put(EndpointSliceController.LABEL_SERVICE_NAME, ep.getMetadata().getName());
        labels.put(EndpointSliceController.LABEL_MANAGED_BY, CONTROLLER_NAME);
        meta.setLabels(labels);
        meta.setAnnotations(mirroredAnnotations(ep));
        if (name == null) {
            meta.setGenerateName(
                    EndpointSliceController.slicePrefix(ep.getMetadata().getName()));
        } else {
            meta.setName(name);
        }
        slice.setMetadata(meta);
        slice.setPorts(new ArrayList<>(ports));
        slice.setAddressType(type);
        slice.setEndpoints(new ArrayList<>());
        return slice;
    }

    /** Every annotation of the Endpoints but the trigger time and kubectl's last-applied configuration. */
    private static Map<String, String> mirroredAnnotations(Endpoints ep) {
        Map<String, String> out = new LinkedHashMap<>(nonNull(ep.getMetadata().getAnnotations()));
        out.remove(PodEndpoints.LAST_CHANGE_TRIGGER_TIME);
        out.remove(LAST_APPLIED);
        return out;
    }

    private static List<EndpointPort> slicePorts(EndpointSubset subset) {
        List<EndpointPort> out = new ArrayList<>();
        for (io.fabric8.kubernetes.api.model.EndpointPort p : subset.getPorts()) {
            EndpointPort port = new EndpointPort();
            port.setName(Objects.toString(p.getName(), ""));
            port.setPort(p.getPort());
            port.setProtocol(p.getProtocol() == null || p.getProtocol().isEmpty() ? "TCP" : p.getProtocol());
            port.setAppProtocol(p.getAppProtocol());
            out.add(port);
        }
        return out;
    }

    /** addressToEndpoint: the (normalised) IP, ready as the list it came from, target, node and hostname as given. */
    private static Endpoint addressToEndpoint(EndpointAddress address, String ip, boolean ready) {
        Endpoint e = new Endpoint();
        e.setAddresses(new ArrayList<>(List.of(ip)));
        EndpointConditions c = new EndpointConditions();
        c.setReady(ready);
        e.setConditions(c);
        e.setTargetRef(address.getTargetRef());
        if (address.getNodeName() != null && !address.getNodeName().isEmpty()) {
            e.setNodeName(address.getNodeName());
        }
        if (address.getHostname() != null && !address.getHostname().isEmpty()) {
            e.setHostname(address.getHostname());
        }
        return e;
    }

    /** The address type and the ports, in order, as one key (upstream's addrTypePortMapKey). */
    private static String key(String addressType, List<EndpointPort> ports) {
        StringBuilder b = new StringBuilder(addressType).append('|');
        for (EndpointPort p : ports) {
            b.append(Objects.toString(p.getName(), ""))
                    .append('/')
                    .append(p.getPort())
                    .append('/')
                    .append(Objects.toString(p.getProtocol(), ""))
                    .append('/')
                    .append(Objects.toString(p.getAppProtocol(), ""))
                    .append(';');
        }
        return b.toString();
    }

    private static String hash(Endpoint e) {
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

    /** Neither skip-mirror nor a leader-election record. */
    static boolean shouldMirror(Endpoints e) {
        return !"true".equals(nonNull(e.getMetadata().getLabels()).get(LABEL_SKIP_MIRROR))
                && !nonNull(e.getMetadata().getAnnotations()).containsKey(PodEndpoints.LEADER_ANNOTATION);
    }

    private static boolean managedByUs(EndpointSlice slice) {
        return CONTROLLER_NAME.equals(
                nonNull(slice.getMetadata().getLabels()).get(EndpointSliceController.LABEL_MANAGED_BY));
    }

    private static void queueFor(EndpointSlice slice, WorkQueue<ObjectKey> queue) {
        ObjectKey key = SliceTracker.serviceKey(slice);
        if (key != null) {
            queue.add(key);
        }
    }

    private static Map<String, String> nonNull(Map<String, String> m) {
        return m == null ? Map.of() : m;
    }
}
