package dev.capstan.client;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;

/** The kinds Capstan's own loops read and write. */
public final class Kinds {
    public static final Kind<Pod> PODS = new Kind<>("", "v1", "pods", "Pod", true, Pod.class);
    public static final Kind<Node> NODES = new Kind<>("", "v1", "nodes", "Node", false, Node.class);
    public static final Kind<Namespace> NAMESPACES =
            new Kind<>("", "v1", "namespaces", "Namespace", false, Namespace.class);
    public static final Kind<Service> SERVICES = new Kind<>("", "v1", "services", "Service", true, Service.class);
    public static final Kind<Endpoints> ENDPOINTS =
            new Kind<>("", "v1", "endpoints", "Endpoints", true, Endpoints.class);
    public static final Kind<ServiceAccount> SERVICE_ACCOUNTS =
            new Kind<>("", "v1", "serviceaccounts", "ServiceAccount", true, ServiceAccount.class);
    public static final Kind<ConfigMap> CONFIG_MAPS =
            new Kind<>("", "v1", "configmaps", "ConfigMap", true, ConfigMap.class);
    /** Not in {@link #all()}: no controller lists every Secret; the node agent reads the ones its pods name. */
    public static final Kind<Secret> SECRETS = new Kind<>("", "v1", "secrets", "Secret", true, Secret.class);

    public static final Kind<Event> EVENTS = new Kind<>("", "v1", "events", "Event", true, Event.class);
    public static final Kind<Deployment> DEPLOYMENTS =
            new Kind<>("apps", "v1", "deployments", "Deployment", true, Deployment.class);
    public static final Kind<ReplicaSet> REPLICA_SETS =
            new Kind<>("apps", "v1", "replicasets", "ReplicaSet", true, ReplicaSet.class);
    public static final Kind<StatefulSet> STATEFUL_SETS =
            new Kind<>("apps", "v1", "statefulsets", "StatefulSet", true, StatefulSet.class);
    public static final Kind<ControllerRevision> CONTROLLER_REVISIONS =
            new Kind<>("apps", "v1", "controllerrevisions", "ControllerRevision", true, ControllerRevision.class);
    public static final Kind<Lease> LEASES =
            new Kind<>("coordination.k8s.io", "v1", "leases", "Lease", true, Lease.class);
    public static final Kind<EndpointSlice> ENDPOINT_SLICES =
            new Kind<>("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", true, EndpointSlice.class);
    public static final Kind<PriorityClass> PRIORITY_CLASSES =
            new Kind<>("scheduling.k8s.io", "v1", "priorityclasses", "PriorityClass", false, PriorityClass.class);

    public static final Kind<io.fabric8.kubernetes.api.model.PersistentVolume> PERSISTENT_VOLUMES = new Kind<>(
            "",
            "v1",
            "persistentvolumes",
            "PersistentVolume",
            false,
            io.fabric8.kubernetes.api.model.PersistentVolume.class);
    public static final Kind<io.fabric8.kubernetes.api.model.PersistentVolumeClaim> PERSISTENT_VOLUME_CLAIMS =
            new Kind<>(
                    "",
                    "v1",
                    "persistentvolumeclaims",
                    "PersistentVolumeClaim",
                    true,
                    io.fabric8.kubernetes.api.model.PersistentVolumeClaim.class);
    public static final Kind<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy> NETWORK_POLICIES = new Kind<>(
            "networking.k8s.io",
            "v1",
            "networkpolicies",
            "NetworkPolicy",
            true,
            io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class);
    public static final Kind<io.fabric8.kubernetes.api.model.storage.StorageClass> STORAGE_CLASSES = new Kind<>(
            "storage.k8s.io",
            "v1",
            "storageclasses",
            "StorageClass",
            false,
            io.fabric8.kubernetes.api.model.storage.StorageClass.class);

    private static final java.util.List<Kind<?>> ALL = java.util.List.of(
            PODS,
            NODES,
            NAMESPACES,
            SERVICES,
            ENDPOINTS,
            SERVICE_ACCOUNTS,
            CONFIG_MAPS,
            EVENTS,
            DEPLOYMENTS,
            REPLICA_SETS,
            STATEFUL_SETS,
            CONTROLLER_REVISIONS,
            LEASES,
            ENDPOINT_SLICES,
            PRIORITY_CLASSES,
            PERSISTENT_VOLUMES,
            PERSISTENT_VOLUME_CLAIMS,
            STORAGE_CLASSES,
            NETWORK_POLICIES);

    private Kinds() {}

    public static java.util.List<Kind<?>> all() {
        return ALL;
    }
}
