package dev.capstan.api.openapi;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The resources Capstan's registry serves (api/registry/ResourceRegistry), with their fabric8 classes. */
final class TestResources {
    private static final Set<String> NONE = Set.of();
    private static final Set<String> STATUS = Set.of("status");
    private static final Set<String> STATUS_SCALE = Set.of("status", "scale");

    private TestResources() {}

    static List<ResourceInfo> standard() {
        List<ResourceInfo> r = new ArrayList<>();
        r.add(core("Namespace", "namespaces", false, Set.of("status", "finalize"), Namespace.class));
        r.add(core("Pod", "pods", true, Set.of("status", "binding"), Pod.class));
        r.add(core("Service", "services", true, STATUS, Service.class));
        r.add(core("Endpoints", "endpoints", true, NONE, Endpoints.class));
        r.add(core("ConfigMap", "configmaps", true, NONE, ConfigMap.class));
        r.add(core("Secret", "secrets", true, NONE, Secret.class));
        r.add(core("ServiceAccount", "serviceaccounts", true, NONE, ServiceAccount.class));
        r.add(core("Node", "nodes", false, STATUS, Node.class));
        r.add(core("Event", "events", true, NONE, Event.class));
        r.add(core("LimitRange", "limitranges", true, NONE, LimitRange.class));
        r.add(core("ResourceQuota", "resourcequotas", true, STATUS, ResourceQuota.class));
        r.add(core("PersistentVolume", "persistentvolumes", false, STATUS, PersistentVolume.class));
        r.add(core("PersistentVolumeClaim", "persistentvolumeclaims", true, STATUS, PersistentVolumeClaim.class));
        r.add(new ResourceInfo("apps", "v1", "Deployment", "deployments", true, STATUS_SCALE, Deployment.class));
        r.add(new ResourceInfo("apps", "v1", "ReplicaSet", "replicasets", true, STATUS_SCALE, ReplicaSet.class));
        r.add(new ResourceInfo("apps", "v1", "StatefulSet", "statefulsets", true, STATUS_SCALE, StatefulSet.class));
        r.add(new ResourceInfo("apps", "v1", "DaemonSet", "daemonsets", true, STATUS, DaemonSet.class));
        r.add(new ResourceInfo(
                "apps", "v1", "ControllerRevision", "controllerrevisions", true, NONE, ControllerRevision.class));
        r.add(new ResourceInfo("batch", "v1", "Job", "jobs", true, STATUS, Job.class));
        r.add(new ResourceInfo("batch", "v1", "CronJob", "cronjobs", true, STATUS, CronJob.class));
        r.add(new ResourceInfo(
                "autoscaling",
                "v2",
                "HorizontalPodAutoscaler",
                "horizontalpodautoscalers",
                true,
                STATUS,
                io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler.class));
        r.add(new ResourceInfo(
                "autoscaling",
                "v1",
                "HorizontalPodAutoscaler",
                "horizontalpodautoscalers",
                true,
                STATUS,
                io.fabric8.kubernetes.api.model.autoscaling.v1.HorizontalPodAutoscaler.class));
        r.add(new ResourceInfo("coordination.k8s.io", "v1", "Lease", "leases", true, NONE, Lease.class));
        r.add(new ResourceInfo(
                "discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", true, NONE, EndpointSlice.class));
        r.add(new ResourceInfo(
                "networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", true, NONE, NetworkPolicy.class));
        r.add(new ResourceInfo("networking.k8s.io", "v1", "Ingress", "ingresses", true, STATUS, Ingress.class));
        String rbac = "rbac.authorization.k8s.io";
        r.add(new ResourceInfo(rbac, "v1", "Role", "roles", true, NONE, Role.class));
        r.add(new ResourceInfo(rbac, "v1", "RoleBinding", "rolebindings", true, NONE, RoleBinding.class));
        r.add(new ResourceInfo(rbac, "v1", "ClusterRole", "clusterroles", false, NONE, ClusterRole.class));
        r.add(new ResourceInfo(
                rbac, "v1", "ClusterRoleBinding", "clusterrolebindings", false, NONE, ClusterRoleBinding.class));
        r.add(new ResourceInfo(
                "events.k8s.io",
                "v1",
                "Event",
                "events",
                true,
                NONE,
                io.fabric8.kubernetes.api.model.events.v1.Event.class));
        r.add(new ResourceInfo(
                "scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses", false, NONE, PriorityClass.class));
        r.add(new ResourceInfo(
                "storage.k8s.io", "v1", "StorageClass", "storageclasses", false, NONE, StorageClass.class));
        return r;
    }

    private static ResourceInfo core(String kind, String plural, boolean namespaced, Set<String> sub, Class<?> c) {
        return new ResourceInfo("", "v1", kind, plural, namespaced, sub, c);
    }
}
