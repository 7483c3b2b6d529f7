package dev.capstan.controllers.endpoints;

import dev.capstan.client.ApiError;
import dev.capstan.client.Kinds;
import dev.capstan.client.events.EventRecorder;
import dev.capstan.client.informer.ResourceEventHandler;
import dev.capstan.client.informer.SharedInformer;
import dev.capstan.client.workqueue.Reconciler;
import dev.capstan.client.workqueue.Result;
import dev.capstan.client.workqueue.WorkQueue;
import dev.capstan.controllers.ControllerContext;
import dev.capstan.model.json.KubeJson;
import dev.capstan.model.meta.ObjectKey;
import dev.capstan.model.pod.PodConditions;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Upstream's endpoints controller ({@code pkg/controller/endpoint/endpoints_controller.go}, syncService): for every
 * Service with a selector, an Endpoints object of the same name listing the pods it selects. Ready pods go to
 * addresses, the others to notReadyAddresses (all to addresses with publishNotReadyAddresses, which also keeps
 * terminating pods); ports are resolved per pod, so pods that number a named port differently land in different
 * subsets. Endpoints of a deleted Service are deleted; Services without a selector, and ExternalName ones, are left
 * to whoever writes their Endpoints. Writes only when the subsets, labels or capacity annotation changed.
 */
public final class EndpointsController implements Reconciler<ObjectKey> {
    public static final String NAME = "endpoints-controller";
    private static final Logger LOG = Logger.getLogger(EndpointsController.class);
    /** How soon to look again when the cache has not yet seen this controller's last write. */
    static final Duration STALE_RETRY = Duration.ofMillis(100);

    private final ControllerContext ctx;
    private final WorkQueue<ObjectKey> queue;
    private final SharedInformer<Service> services;
    private final SharedInformer<Pod> pods;
    private final SharedInformer<Endpoints> endpoints;
    private final TriggerTimeTracker triggerTimes = new TriggerTimeTracker();
    private final WriteExpectations expectations = new WriteExpectations();
    private final AtomicBoolean leftoversQueued = new AtomicBoolean();

    public EndpointsController(ControllerContext ctx, WorkQueue<ObjectKey> queue) {
        this.ctx = ctx;
        this.queue = queue;
        this.services = ctx.informers().informer(Kinds.SERVICES);
        this.pods = ctx.informers().informer(Kinds.PODS);
        this.endpoints = ctx.informers().informer(Kinds.ENDPOINTS);
        services.addEventHandler(ResourceEventHandler.onAny(s -> queue.add(ObjectKey.of(s))));
        pods.addEventHandler(PodEndpoints.enqueueSelectingServices(services.cache(), queue));
        endpoints.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Endpoints e) {}

            @Override
            public void onUpdate(Endpoints old, Endpoints cur) {}

            @Override
            public void onDelete(Endpoints e) {
                queue.add(ObjectKey.of(e));
            }
        });
    }

    @Override
    public Result reconcile(ObjectKey key) {
        queueLeftovers();
        Optional<Service> found = services.cache().get(key);
        if (found.isEmpty()) {
            deleteEndpoints(key);
            return Result.DONE;
        }
        Service service = found.get();
        if (PodEndpoints.isExternalName(service) || !PodEndpoints.hasSelector(service)) {
            return Result.DONE;
        }
        if (!expectations.satisfied(key, endpoints)) {
            return Result.requeueAfter(STALE_RETRY);
        }
        List<Pod> selected = PodEndpoints.selectedPods(pods.cache(), service);
        // Computed before the no-op check so that the tracker follows every sync, as upstream's.
        Instant triggerTime = triggerTimes.compute(service, selected);
        List<EndpointSubset> subsets = Subsets.repack(rawSubsets(service, selected));

        Optional<Endpoints> current = endpoints.cache().get(key);
        Map<String, String> serviceLabels = service.getMetadata().getLabels();
        if (current.isPresent()) {
            Endpoints cur = current.get();
            Map<String, String> compareLabels =
                    new HashMap<>(Objects.requireNonNullElse(cur.getMetadata().getLabels(), Map.of()));
            compareLabels.remove(PodEndpoints.HEADLESS_LABEL);
            if (Subsets.equalIgnoringResourceVersion(cur.getSubsets(), subsets)
                    && compareLabels.equals(serviceLabels == null ? Map.of() : serviceLabels)
                    && capacityAnnotationSetCorrectly(cur)) {
                return Result.DONE;
            }
        }
        Endpoints desired = current.map(e -> KubeJson.convert(KubeJson.tree(e), Endpoints.class))
                .orElseGet(() -> newEndpoints(service));
        desired.setSubsets(subsets);
        Map<String, String> labels = new LinkedHashMap<>(serviceLabels == null ? Map.of() : serviceLabels);
        if (PodEndpoints.isServiceIPSet(service)) {
            labels.remove(PodEndpoints.HEADLESS_LABEL);
        } else {
            labels.put(PodEndpoints.HEADLESS_LABEL, "");
        }
        desired.getMetadata().setLabels(labels);
        Map<String, String> annotations = new LinkedHashMap<>(
                Objects.requireNonNullElse(desired.getMetadata().getAnnotations(), Map.of()));
        if (triggerTime != null) {
            annotations.put(PodEndpoints.LAST_CHANGE_TRIGGER_TIME, TriggerTimeTracker.format(triggerTime));
        } else {
            annotations.remove(PodEndpoints.LAST_CHANGE_TRIGGER_TIME);
        }
        if (Subsets.truncate(desired.getSubsets())) {
            annotations.put(PodEndpoints.OVER_CAPACITY, "truncated");
        } else {
            annotations.remove(PodEndpoints.OVER_CAPACITY);
        }
        desired.getMetadata().setAnnotations(annotations);
        write(key, service, desired, current.isEmpty());
        return Result.DONE;
    }

    private void write(ObjectKey key, Service service, Endpoints desired, boolean create) {
        var client = ctx.api().resources(Kinds.ENDPOINTS);
        try {
            Endpoints written = create ? client.create(desired) : client.update(desired);
            expectations.wrote(key, written);
        } catch (ApiError e) {
            if (create && e.isNamespaceTerminating()) {
                return; // the namespace is terminating: creates keep failing, drop the key as upstream does
            }
            if (create) {
                ctx.events()
                        .eventf(
                                desired,
                                EventRecorder.WARNING,
                                "FailedToCreateEndpoint",
                                "Failed to create endpoint for service %s/%s: %s",
                                service.getMetadata().getNamespace(),
                                service.getMetadata().getName(),
                                e.getMessage());
            } else {
                ctx.events()
                        .eventf(
                                desired,
                                EventRecorder.WARNING,
                                "FailedToUpdateEndpoint",
                                "Failed to update endpoint %s/%s: %s",
                                service.getMetadata().getNamespace(),
                                service.getMetadata().getName(),
                                e.getMessage());
            }
            throw e;
        }
    }

    private void deleteEndpoints(ObjectKey key) {
        try {
            ctx.api().resources(Kinds.ENDPOINTS).delete(key.namespace(), key.name());
        } catch (ApiError e) {
            if (!e.isNotFound()) {
                throw e;
            }
        }
        triggerTimes.deleteService(key);
        expectations.forget(key);
    }

    /**
     * checkLeftoverEndpoints, once, when the first key is reconciled (the caches have synced by then): every
     * Endpoints object but leader-election records is queued, so those whose Service went while this controller was
     * down are deleted.
     */
    private void queueLeftovers() {
        if (leftoversQueued.compareAndSet(false, true)) {
            for (Endpoints e : endpoints.cache().list()) {
                if (!Objects.requireNonNullElse(e.getMetadata().getAnnotations(), Map.of())
                        .containsKey(PodEndpoints.LEADER_ANNOTATION)) {
                    queue.add(ObjectKey.of(e));
                }
            }
        }
    }

    private static Endpoints newEndpoints(Service service) {
        Endpoints e = new Endpoints();
        ObjectMeta meta = new ObjectMeta();
        meta.setName(service.getMetadata().getName());
        meta.setNamespace(service.getMetadata().getNamespace());
        e.setMetadata(meta);
        return e;
    }

    /** One single-address subset per pod and port, as upstream builds them before repacking. */
    static List<EndpointSubset> rawSubsets(Service service, List<Pod> pods) {
        boolean tolerateUnready = Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses());
        List<EndpointSubset> subsets = new ArrayList<>();
        for (Pod pod : pods) {
            if (!PodEndpoints.shouldBeInEndpoints(pod, tolerateUnready)) {
                continue;
            }
            Optional<EndpointAddress> address = addressFor(service, pod);
            if (address.isEmpty()) {
                LOG.debugf("no IP of service %s's family on pod %s", ObjectKey.of(service), ObjectKey.of(pod));
                continue;
            }
            boolean ready = tolerateUnready || PodConditions.isReady(pod);
            List<ServicePort> ports = service.getSpec().getPorts();
            if (ports.isEmpty()) {
                // A headless Service may have no ports.
                if (PodEndpoints.isHeadless(service)) {
                    subsets.add(subset(address.get(), null, ready));
                }
                continue;
            }
            for (ServicePort sp : ports) {
                OptionalInt number = PodEndpoints.findPort(pod, sp);
                if (number.isEmpty()) {
                    LOG.debugf(
                            "no port %s of service %s on pod %s",
                            sp.getName(), ObjectKey.of(service), ObjectKey.of(pod));
                    continue;
                }
                EndpointPort port = new EndpointPort();
                port.setName(sp.getName());
                port.setPort(number.getAsInt());
                port.setProtocol(PodEndpoints.protocol(sp));
                port.setAppProtocol(sp.getAppProtocol());
                subsets.add(subset(address.get(), port, ready));
            }
        }
        return subsets;
    }

    private static EndpointSubset subset(EndpointAddress address, EndpointPort port, boolean ready) {
        EndpointSubset s = new EndpointSubset();
        (ready ? s.getAddresses() : s.getNotReadyAddresses()).add(address);
        if (port != null) {
            s.getPorts().add(port);
        }
        return s;
    }

    /**
     * podToEndpointAddressForService: the pod's first IP of the Service's family (spec.ipFamilies[0]; without it the
     * cluster IP's family, or for a headless Service the pod IP's), with the pod as target and its node.
     */
    static Optional<EndpointAddress> addressFor(Service service, Pod pod) {
        boolean v6;
        List<String> families = service.getSpec().getIpFamilies();
        if (!families.isEmpty()) {
            v6 = "IPv6".equals(families.get(0));
        } else if (PodEndpoints.isServiceIPSet(service)) {
            v6 = IPs.isIPv6(service.getSpec().getClusterIP());
        } else {
            v6 = pod.getStatus() != null && IPs.isIPv6(pod.getStatus().getPodIP());
        }
        for (String ip : PodEndpoints.podIPs(pod)) {
            if (IPs.isIPv6(ip) == v6) {
                EndpointAddress a = new EndpointAddress();
                a.setIp(ip);
                String node = pod.getSpec().getNodeName();
                a.setNodeName(node == null || node.isEmpty() ? null : node);
                a.setTargetRef(targetRef(pod));
                if (PodEndpoints.shouldSetHostname(pod, service)) {
                    a.setHostname(pod.getSpec().getHostname());
                }
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    public static ObjectReference targetRef(Pod pod) {
        ObjectReference ref = new ObjectReference();
        ref.setKind("Pod");
        ref.setNamespace(pod.getMetadata().getNamespace());
        ref.setName(pod.getMetadata().getName());
        ref.setUid(pod.getMetadata().getUid());
        return ref;
    }

    /** capacityAnnotationSetCorrectly: at most 1000 addresses and no over-capacity annotation. */
    private static boolean capacityAnnotationSetCorrectly(Endpoints e) {
        int n = 0;
        for (EndpointSubset s : e.getSubsets()) {
            n += s.getAddresses().size() + s.getNotReadyAddresses().size();
        }
        return n <= Subsets.MAX_CAPACITY
                && !Objects.requireNonNullElse(e.getMetadata().getAnnotations(), Map.<String, String>of())
                        .containsKey(PodEndpoints.OVER_CAPACITY);
    }
}
