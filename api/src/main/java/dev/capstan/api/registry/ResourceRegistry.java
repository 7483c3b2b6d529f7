package dev.capstan.api.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Every resource the API serves. */
public final class ResourceRegistry {
    private static final Set<String> STATUS = Set.of("status");
    private static final Set<String> STATUS_SCALE = Set.of("status", "scale");
    private static final List<String> ALL = List.of("all");

    private final List<ResourceType> types;
    private final Map<String, ResourceType> byGroupVersionPlural = new LinkedHashMap<>();

    private ResourceRegistry(List<ResourceType> types) {
        this.types = List.copyOf(types);
        for (ResourceType type : types) {
            byGroupVersionPlural.put(type.groupVersion() + "/" + type.plural(), type);
        }
    }

    /** The resources of Kubernetes 1.32 that Capstan serves. */
    public static ResourceRegistry standard() {
        var b = new Builder();
        // core/v1
        b.add(
                        io.fabric8.kubernetes.api.model.Namespace.class,
                        "",
                        "v1",
                        "Namespace",
                        "namespaces",
                        List.of("ns"),
                        false,
                        Set.of("status", "finalize"),
                        List.of())
                .fields("status.phase");
        b.add(
                        io.fabric8.kubernetes.api.model.Pod.class,
                        "",
                        "v1",
                        "Pod",
                        "pods",
                        List.of("po"),
                        true,
                        Set.of("status", "binding"),
                        ALL)
                .fields(
                        "spec.nodeName",
                        "spec.restartPolicy",
                        "spec.schedulerName",
                        "spec.serviceAccountName",
                        "spec.hostNetwork",
                        "status.phase",
                        "status.podIP",
                        "status.nominatedNodeName");
        b.add(
                        io.fabric8.kubernetes.api.model.Service.class,
                        "",
                        "v1",
                        "Service",
                        "services",
                        List.of("svc"),
                        true,
                        STATUS,
                        ALL)
                .fields("spec.clusterIP", "spec.type");
        b.add(
                io.fabric8.kubernetes.api.model.Endpoints.class,
                "",
                "v1",
                "Endpoints",
                "endpoints",
                List.of("ep"),
                true,
                Set.of(),
                List.of());
        b.add(
                io.fabric8.kubernetes.api.model.ConfigMap.class,
                "",
                "v1",
                "ConfigMap",
                "configmaps",
                List.of("cm"),
                true,
                Set.of(),
                List.of());
        b.add(
                        io.fabric8.kubernetes.api.model.Secret.class,
                        "",
                        "v1",
                        "Secret",
                        "secrets",
                        List.of(),
                        true,
                        Set.of(),
                        List.of())
                .fields("type");
        b.add(
                io.fabric8.kubernetes.api.model.ServiceAccount.class,
                "",
                "v1",
                "ServiceAccount",
                "serviceaccounts",
                List.of("sa"),
                true,
                Set.of(),
                List.of());
        b.add(
                        io.fabric8.kubernetes.api.model.Node.class,
                        "",
                        "v1",
                        "Node",
                        "nodes",
                        List.of("no"),
                        false,
                        STATUS,
                        List.of())
                .fields("spec.unschedulable");
        b.add(
                        io.fabric8.kubernetes.api.model.Event.class,
                        "",
                        "v1",
                        "Event",
                        "events",
                        List.of("ev"),
                        true,
                        Set.of(),
                        List.of())
                .fields(
                        "involvedObject.kind",
                        "involvedObject.namespace",
                        "involvedObject.name",
                        "involvedObject.uid",
                        "involvedObject.apiVersion",
                        "involvedObject.resourceVersion",
                        "involvedObject.fieldPath",
                        "reason",
                        "reportingComponent",
                        "source",
                        "type");
        b.add(
                io.fabric8.kubernetes.api.model.LimitRange.class,
                "",
                "v1",
                "LimitRange",
                "limitranges",
                List.of("limits"),
                true,
                Set.of(),
                List.of());
        b.add(
                io.fabric8.kubernetes.api.model.ResourceQuota.class,
                "",
                "v1",
                "ResourceQuota",
                "resourcequotas",
                List.of("quota"),
                true,
                STATUS,
                List.of());
        b.add(
                io.fabric8.kubernetes.api.model.PersistentVolume.class,
                "",
                "v1",
                "PersistentVolume",
                "persistentvolumes",
                List.of("pv"),
                false,
                STATUS,
                List.of());
        b.add(
                io.fabric8.kubernetes.api.model.PersistentVolumeClaim.class,
                "",
                "v1",
                "PersistentVolumeClaim",
                "persistentvolumeclaims",
                List.of("pvc"),
                true,
                STATUS,
                List.of());
        // apps/v1
        b.add(
                io.fabric8.kubernetes.api.model.apps.Deployment.class,
                "apps",
                "v1",
                "Deployment",
                "deployments",
                List.of("deploy"),
                true,
                STATUS_SCALE,
                ALL);
        b.add(
                        io.fabric8.kubernetes.api.model.apps.ReplicaSet.class,
                        "apps",
                        "v1",
                        "ReplicaSet",
                        "replicasets",
                        List.of("rs"),
                        true,
                        STATUS_SCALE,
                        ALL)
                .fields("status.replicas");
        b.add(
                io.fabric8.kubernetes.api.model.apps.StatefulSet.class,
                "apps",
                "v1",
                "StatefulSet",
                "statefulsets",
                List.of("sts"),
                true,
                STATUS_SCALE,
                ALL);
        b.add(
                io.fabric8.kubernetes.api.model.apps.DaemonSet.class,
                "apps",
                "v1",
                "DaemonSet",
                "daemonsets",
                List.of("ds"),
                true,
                STATUS,
                ALL);
        b.add(
                io.fabric8.kubernetes.api.model.apps.ControllerRevision.class,
                "apps",
                "v1",
                "ControllerRevision",
                "controllerrevisions",
                List.of(),
                true,
                Set.of(),
                List.of());
        // batch/v1
        b.add(
                        io.fabric8.kubernetes.api.model.batch.v1.Job.class,
                        "batch",
                        "v1",
                        "Job",
                        "jobs",
                        List.of(),
                        true,
                        STATUS,
                        ALL)
                .fields("status.successful");
        b.add(
                io.fabric8.kubernetes.api.model.batch.v1.CronJob.class,
                "batch",
                "v1",
                "CronJob",
                "cronjobs",
                List.of("cj"),
                true,
                STATUS,
                ALL);
        // autoscaling: v2 is the stored version; v1 is served from the same storage
        b.add(
                io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler.class,
                "autoscaling",
                "v2",
                "HorizontalPodAutoscaler",
                "horizontalpodautoscalers",
                List.of("hpa"),
                true,
                STATUS,
                ALL);
        b.add(
                io.fabric8.kubernetes.api.model.autoscaling.v1.HorizontalPodAutoscaler.class,
                "autoscaling",
                "v1",
                "HorizontalPodAutoscaler",
                "horizontalpodautoscalers",
                List.of("hpa"),
                true,
                STATUS,
                ALL);
        b.add(
                io.fabric8.kubernetes.api.model.coordination.v1.Lease.class,
                "coordination.k8s.io",
                "v1",
                "Lease",
                "leases",
                List.of(),
                true,
                Set.of(),
                List.of());
        b.add(
                        io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice.class,
                        "discovery.k8s.io",
                        "v1",
                        "EndpointSlice",
                        "endpointslices",
                        List.of(),
                        true,
                        Set.of(),
                        List.of())
                .fields("addressType");
        b.add(
                io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class,
                "networking.k8s.io",
                "v1",
                "NetworkPolicy",
                "networkpolicies",
                List.of("netpol"),
                true,
                Set.of(),
                List.of());
        b.add(
                io.fabric8.kubernetes.api.model.networking.v1.Ingress.class,
                "networking.k8s.io",
                "v1",
                "Ingress",
                "ingresses",
                List.of("ing"),
                true,
                STATUS,
                List.of());
        b.add(
                io.fabric8.kubernetes.api.model.rbac.Role.class,
                "rbac.authorization.k8s.io",
                "v1",
                "Role",
                "roles",
                List.of(),
                true,
                Set.of(),
                List.of());
        b.add(
                io.fabric8.kubernetes.api.model.rbac.RoleBinding.class,
                "rbac.authorization.k8s.io",
                "v1",
                "RoleBinding",
                "rolebindings",
                List.of(),
                true,
                Set.of(),
                List.of());
        b.add(
                io.fabric8.kubernetes.api.model.rbac.ClusterRole.class,
                "rbac.authorization.k8s.io",
                "v1",
                "ClusterRole",
                "clusterroles",
                List.of(),
                false,
                Set.of(),
                List.of());
        b.add(
                io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding.class,
                "rbac.authorization.k8s.io",
                "v1",
                "ClusterRoleBinding",
                "clusterrolebindings",
                List.of(),
                false,
                Set.of(),
                List.of());
        b.add(
                        io.fabric8.kubernetes.api.model.events.v1.Event.class,
                        "events.k8s.io",
                        "v1",
                        "Event",
                        "events",
                        List.of("ev"),
                        true,
                        Set.of(),
                        List.of())
                .fields(
                        "reason",
                        "type",
                        "regarding.kind",
                        "regarding.name",
                        "regarding.namespace",
                        "regarding.uid",
                        "reportingController");
        b.add(
                io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass.class,
                "scheduling.k8s.io",
                "v1",
                "PriorityClass",
                "priorityclasses",
                List.of("pc"),
                false,
                Set.of(),
                List.of());
        b.add(
                io.fabric8.kubernetes.api.model.storage.StorageClass.class,
                "storage.k8s.io",
                "v1",
                "StorageClass",
                "storageclasses",
                List.of("sc"),
                false,
                Set.of(),
                List.of());
        return new ResourceRegistry(b.types);
    }

    public List<ResourceType> all() {
        return types;
    }

    public Optional<ResourceType> find(String group, String version, String plural) {
        String gv = group.isEmpty() ? version : group + "/" + version;
        return Optional.ofNullable(byGroupVersionPlural.get(gv + "/" + plural));
    }

    public Optional<ResourceType> findKind(String group, String version, String kind) {
        return types.stream()
                .filter(t -> t.group().equals(group)
                        && t.version().equals(version)
                        && t.kind().equals(kind))
                .findFirst();
    }

    /** The group-versions served, each group's preferred (first listed) version first. */
    public Map<String, List<String>> groupVersions() {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (ResourceType type : types) {
            List<String> versions = groups.computeIfAbsent(type.group(), g -> new ArrayList<>());
            if (!versions.contains(type.version())) {
                versions.add(type.version());
            }
        }
        return groups;
    }

    public List<ResourceType> inGroupVersion(String group, String version) {
        return types.stream()
                .filter(t -> t.group().equals(group) && t.version().equals(version))
                .toList();
    }

    private static final class Builder {
        private final List<ResourceType> types = new ArrayList<>();

        Entry add(
                Class<?> model,
                String group,
                String version,
                String kind,
                String plural,
                List<String> shortNames,
                boolean namespaced,
                Set<String> subresources,
                List<String> categories) {
            types.add(new ResourceType(
                    group,
                    version,
                    kind,
                    plural,
                    shortNames,
                    namespaced,
                    subresources,
                    categories,
                    group,
                    Set.of(),
                    model));
            return new Entry(this, types.size() - 1);
        }
    }

    private record Entry(Builder builder, int index) {
        void fields(String... fieldSelectors) {
            builder.types.set(index, builder.types.get(index).withFieldSelectors(Set.of(fieldSelectors)));
        }
    }
}
