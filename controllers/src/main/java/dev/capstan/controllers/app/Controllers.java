package dev.capstan.controllers.app;

import dev.capstan.controllers.apiendpoints.ApiEndpointsConfig;
import dev.capstan.controllers.apiendpoints.ApiServerEndpointsController;
import dev.capstan.controllers.deployment.DeploymentController;
import dev.capstan.controllers.endpoints.EndpointsController;
import dev.capstan.controllers.endpointslice.EndpointSliceController;
import dev.capstan.controllers.endpointslicemirroring.EndpointSliceMirroringController;
import dev.capstan.controllers.gc.GarbageCollector;
import dev.capstan.controllers.gc.GcItem;
import dev.capstan.controllers.namespace.NamespaceController;
import dev.capstan.controllers.nodeipam.NodeIpamController;
import dev.capstan.controllers.nodelifecycle.NodeLifecycleController;
import dev.capstan.controllers.replicaset.ReplicaSetController;
import dev.capstan.controllers.serviceaccount.ServiceAccountController;
import dev.capstan.controllers.volume.PersistentVolumeBinder;
import dev.capstan.model.meta.ObjectKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Every controller the manager can run, and the selection of them that {@code capstan.controllers.enabled} makes. */
public final class Controllers {
    private Controllers() {}

    /** All controllers, in the order they start; workers as upstream's --concurrent-*-syncs defaults. */
    public static List<ControllerSpec<?>> all(ControllerManagerConfig config) {
        var apiEndpoints = new ApiEndpointsConfig(
                config.serviceCidr(), config.apiserverAddress().orElseGet(HostAddress::apiServerAddresses), 443);
        var nodes = config.nodes();
        var lifecycle = new NodeLifecycleController.Config(
                nodes.monitorPeriod(),
                nodes.monitorGracePeriod(),
                nodes.startupGracePeriod(),
                nodes.defaultTolerationSeconds());
        var ipam = new NodeIpamController.Config(nodes.clusterCidr(), nodes.nodeCidrMaskSize());
        return List.of(
                new ControllerSpec<ObjectKey>(
                        NodeIpamController.NAME,
                        "node-ipam-controller",
                        1,
                        (ctx, queue) -> new NodeIpamController(ctx, queue, ipam)),
                new ControllerSpec<ObjectKey>(
                        NodeLifecycleController.NAME,
                        "node-controller",
                        1,
                        (ctx, queue) -> new NodeLifecycleController(ctx, queue, lifecycle)),
                new ControllerSpec<ObjectKey>(
                        DeploymentController.NAME, "deployment-controller", 5, DeploymentController::new),
                new ControllerSpec<ObjectKey>(
                        ReplicaSetController.NAME, "replicaset-controller", 5, ReplicaSetController::new),
                new ControllerSpec<GcItem>(
                        GarbageCollector.NAME, "garbage-collector-controller", 20, GarbageCollector::new),
                new ControllerSpec<ObjectKey>(
                        NamespaceController.NAME, "namespace-controller", 10, NamespaceController::new),
                new ControllerSpec<ObjectKey>(
                        PersistentVolumeBinder.NAME,
                        "persistentvolume-binder-controller",
                        5,
                        PersistentVolumeBinder::new),
                new ControllerSpec<ObjectKey>(
                        ServiceAccountController.NAME, "service-account-controller", 1, ServiceAccountController::new),
                new ControllerSpec<ObjectKey>(
                        EndpointsController.NAME, "endpoint-controller", 5, EndpointsController::new),
                new ControllerSpec<ObjectKey>(
                        EndpointSliceController.NAME, "endpoint-slice-controller", 5, EndpointSliceController::new),
                new ControllerSpec<ObjectKey>(
                        EndpointSliceMirroringController.NAME,
                        "endpoint-slice-mirroring-controller",
                        5,
                        EndpointSliceMirroringController::new),
                new ControllerSpec<ObjectKey>(
                        ApiServerEndpointsController.NAME,
                        "kube-apiserver",
                        1,
                        (ctx, queue) -> new ApiServerEndpointsController(ctx, queue, apiEndpoints)));
    }

    /**
     * Upstream's --controllers: "*" enables all, a name enables one, "-name" disables one.
     *
     * @throws IllegalArgumentException naming an unknown controller and the known ones
     */
    public static List<ControllerSpec<?>> enabled(List<ControllerSpec<?>> all, List<String> selection) {
        Set<String> known = all.stream().map(ControllerSpec::name).collect(Collectors.toSet());
        for (String item : selection) {
            String name = item.startsWith("-") ? item.substring(1) : item;
            if (!name.equals("*") && !known.contains(name)) {
                throw new IllegalArgumentException("capstan.controllers.enabled names an unknown controller \"" + name
                        + "\"; the controllers are " + known.stream().sorted().toList());
            }
        }
        boolean star = selection.contains("*");
        List<ControllerSpec<?>> out = new ArrayList<>();
        for (ControllerSpec<?> spec : all) {
            boolean on = (star || selection.contains(spec.name())) && !selection.contains("-" + spec.name());
            if (on) {
                out.add(spec);
            }
        }
        return out;
    }
}
