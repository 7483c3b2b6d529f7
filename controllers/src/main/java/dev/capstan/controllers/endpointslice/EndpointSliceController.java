package dev.capstan.controllers.endpointslice;

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
import dev.capstan.controllers.endpoints.PodEndpoints;
import dev.capstan.controllers.endpoints.TriggerTimeTracker;
import dev.capstan.model.meta.ObjectKey;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Upstream's EndpointSlice controller ({@code pkg/controller/endpointslice}, syncService, with {@code
 * k8s.io/endpointslice}'s Reconciler in {@link SliceReconciler}): the slices of every Service with a selector.
 * Slices of a deleted Service are left to the garbage collector through their owner reference, as upstream; a
 * Service that loses its selector keeps its slices, as upstream. Pods whose node is unknown are left out and the
 * Service retried (unless publishNotReadyAddresses).
 */
public final class EndpointSliceController implements Reconciler<ObjectKey> {
    public static final String NAME = "endpointslice-controller";
    /** The managed-by value of this controller's slices. */
    public static final String CONTROLLER_NAME = "endpointslice-controller.k8s.io";

    public static final String LABEL_SERVICE_NAME = "kubernetes.io/service-name";
    public static final String LABEL_MANAGED_BY = "endpointslice.kubernetes.io/managed-by";
    public static final String LABEL_TOPOLOGY_ZONE = "topology.kubernetes.io/zone";
    /** Upstream's default --max-endpoints-per-slice. */
    public static final int MAX_ENDPOINTS_PER_SLICE = 100;

    static final Duration STALE_RETRY = Duration.ofMillis(100);

    private final ControllerContext ctx;
    private final SharedInformer<Service> services;
    private final SharedInformer<Pod> pods;
    private final SharedInformer<Node> nodes;
    private final SharedInformer<EndpointSlice> slices;
    private final SliceTracker tracker = new SliceTracker();
    private final TriggerTimeTracker triggerTimes = new TriggerTimeTracker();
    private final SliceReconciler reconciler;

    public EndpointSliceController(ControllerContext ctx, WorkQueue<ObjectKey> queue) {
        this(ctx, queue, MAX_ENDPOINTS_PER_SLICE);
    }

    public EndpointSliceController(ControllerContext ctx, WorkQueue<ObjectKey> queue, int maxEndpointsPerSlice) {
        if (maxEndpointsPerSlice < 1 || maxEndpointsPerSlice > 1000) {
            throw new IllegalArgumentException(
                    "maxEndpointsPerSlice must be between 1 and 1000, got " + maxEndpointsPerSlice);
        }
        this.ctx = ctx;
        this.reconciler = new SliceReconciler(CONTROLLER_NAME, maxEndpointsPerSlice);
        this.services = ctx.informers().informer(Kinds.SERVICES);
        this.pods = ctx.informers().informer(Kinds.PODS);
        this.nodes = ctx.informers().informer(Kinds.NODES);
        this.slices = ctx.informers().informer(Kinds.ENDPOINT_SLICES);
        services.addEventHandler(ResourceEventHandler.onAny(s -> queue.add(ObjectKey.of(s))));
        pods.addEventHandler(PodEndpoints.enqueueSelectingServices(services.cache(), queue));
        nodes.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Node node) {}

            @Override
            public void onUpdate(Node old, Node cur) {
                // Not upstream (it refreshes zones only with topology hints on): a zone label that a cloud
                // provider sets late still reaches the slices of the pods on the node.
                if (!Objects.equals(zone(old), zone(cur))) {
                    queueServicesOfPodsOn(cur.getMetadata().getName(), queue);
                }
            }

            @Override
            public void onDelete(Node node) {}
        });
        slices.addEventHandler(
                tracker.handler(EndpointSliceController::managedByUs, slice -> queueService(slice, queue)));
    }

    @Override
    public Result reconcile(ObjectKey key) {
        Optional<Service> found = services.cache().get(key);
        if (found.isEmpty()) {
            triggerTimes.deleteService(key);
            tracker.deleteService(key);
            return Result.DONE;
        }
        Service service = found.get();
        if (PodEndpoints.isExternalName(service) || !PodEndpoints.hasSelector(service)) {
            return Result.DONE;
        }
        List<Pod> selected = PodEndpoints.selectedPods(pods.cache(), service);
        List<EndpointSlice> existing = slices.cache().inNamespace(key.namespace()).stream()
                .filter(s -> key.name().equals(s.getMetadata().getLabels().get(LABEL_SERVICE_NAME))
                        && CONTROLLER_NAME.equals(s.getMetadata().getLabels().get(LABEL_MANAGED_BY)))
                // Slices being deleted are dropped so that the controller does not get stuck on them.
                .filter(s -> s.getMetadata().getDeletionTimestamp() == null)
                .sorted(java.util.Comparator.comparing(s -> s.getMetadata().getName()))
                .toList();
        if (tracker.staleSlices(key, existing)) {
            return Result.requeueAfter(STALE_RETRY);
        }
        Instant triggerTime = triggerTimes.compute(service, selected);
        List<String> errors = new ArrayList<>();
        List<SliceReconciler.Plan> plans = reconciler.reconcile(
                service, selected, existing, name -> nodes.cache().get("", name), errors);
        try {
            for (SliceReconciler.Plan plan : plans) {
                finalize(service, plan, triggerTime);
            }
        } catch (ApiError e) {
            ctx.events()
                    .eventf(
                            service,
                            EventRecorder.WARNING,
                            "FailedToUpdateEndpointSlices",
                            "Error updating Endpoint Slices for Service %s/%s: %s",
                            key.namespace(),
                            key.name(),
                            e.getMessage());
            throw e;
        }
        if (!errors.isEmpty()) {
            String message = String.join(", ", errors);
            ctx.events()
                    .eventf(
                            service,
                            EventRecorder.WARNING,
                            "FailedToUpdateEndpointSlices",
                            "Error updating Endpoint Slices for Service %s/%s: %s",
                            key.namespace(),
                            key.name(),
                            message);
            throw new IllegalStateException(message);
        }
        return Result.DONE;
    }

    private void finalize(Service service, SliceReconciler.Plan plan, Instant triggerTime) {
        ResourceClient<EndpointSlice> client = ctx.api().resources(Kinds.ENDPOINT_SLICES);
        // No new slices for a Service being deleted: the garbage collector would race to delete them.
        if (service.getMetadata().getDeletionTimestamp() == null) {
            for (EndpointSlice slice : plan.create()) {
                setTriggerTime(slice, triggerTime);
                try {
                    tracker.update(client.create(slice));
                } catch (ApiError e) {
                    if (e.isNamespaceTerminating()) {
                        return; // the namespace is terminating: creates will keep failing
                    }
                    throw e;
                }
            }
        }
        for (EndpointSlice slice : plan.update()) {
            setTriggerTime(slice, triggerTime);
            tracker.update(client.update(slice));
        }
        for (EndpointSlice slice : plan.delete()) {
            try {
                client.delete(
                        slice.getMetadata().getNamespace(), slice.getMetadata().getName());
                tracker.expectDeletion(slice);
            } catch (ApiError e) {
                if (!e.isNotFound()) {
                    throw e;
                }
            }
        }
    }

    private static void setTriggerTime(EndpointSlice slice, Instant triggerTime) {
        Map<String, String> annotations = new LinkedHashMap<>(
                Objects.requireNonNullElse(slice.getMetadata().getAnnotations(), Map.<String, String>of()));
        if (triggerTime != null) {
            annotations.put(PodEndpoints.LAST_CHANGE_TRIGGER_TIME, TriggerTimeTracker.format(triggerTime));
        } else {
            annotations.remove(PodEndpoints.LAST_CHANGE_TRIGGER_TIME);
        }
        slice.getMetadata().setAnnotations(annotations);
    }

    private void queueServicesOfPodsOn(String node, WorkQueue<ObjectKey> queue) {
        for (Pod pod : pods.cache().list(p -> node.equals(p.getSpec().getNodeName()))) {
            PodEndpoints.servicesSelecting(services.cache(), pod).forEach(queue::add);
        }
    }

    private static void queueService(EndpointSlice slice, WorkQueue<ObjectKey> queue) {
        ObjectKey key = SliceTracker.serviceKey(slice);
        if (key != null) {
            queue.add(key);
        }
    }

    private static boolean managedByUs(EndpointSlice slice) {
        return CONTROLLER_NAME.equals(slice.getMetadata().getLabels().get(LABEL_MANAGED_BY));
    }

    private static String zone(Node node) {
        return node.getMetadata().getLabels().get(LABEL_TOPOLOGY_ZONE);
    }

    /** getEndpointSlicePrefix: {@code <service>-}, or the bare name when the dash would make it invalid. */
    public static String slicePrefix(String serviceName) {
        String prefix = serviceName + "-";
        // NameIsDNSSubdomain(prefix, true) masks the trailing dash, so only the length could fail it.
        return prefix.length() <= 253 ? prefix : serviceName;
    }
}
