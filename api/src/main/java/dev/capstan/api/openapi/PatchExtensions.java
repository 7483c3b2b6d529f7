package dev.capstan.api.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The patch and list extensions upstream puts on its schemas, as a table of facts from the Kubernetes v1.32 API
 * (the patchStrategy/patchMergeKey tags and +listType/+listMapKey/+mapType/+structType markers behind the
 * published OpenAPI documents). kubectl's client-side apply reads the merge keys and strategies; server-side apply
 * and validation tools read the list and map types. Only types reachable from the served kinds are listed.
 */
final class PatchExtensions {
    /** The extensions of one field; null members are absent. */
    record Field(String mergeKey, String strategy, String listType, List<String> listMapKeys, String mapType) {
        void applyTo(ObjectNode schema) {
            if (listMapKeys != null) {
                ArrayNode keys = schema.putArray("x-kubernetes-list-map-keys");
                listMapKeys.forEach(keys::add);
            }
            putIfSet(schema, "x-kubernetes-list-type", listType);
            putIfSet(schema, "x-kubernetes-map-type", mapType);
            putIfSet(schema, "x-kubernetes-patch-merge-key", mergeKey);
            putIfSet(schema, "x-kubernetes-patch-strategy", strategy);
        }

        private static void putIfSet(ObjectNode schema, String key, String value) {
            if (value != null) {
                schema.put(key, value);
            }
        }
    }

    private static final Map<String, Field> FIELDS = new HashMap<>();
    private static final Map<String, String> TYPES = new HashMap<>();

    static {
        // lists merged by key in strategic merge patch; listed as map-type lists for server-side apply
        merge("core.v1.PersistentVolumeClaimStatus", "conditions", "merge", "type", "type");
        merge("core.v1.Container", "ports", "merge", "containerPort", "containerPort", "protocol");
        merge("core.v1.Container", "env", "merge", "name", "name");
        merge("core.v1.Container", "volumeMounts", "merge", "mountPath", "mountPath");
        merge("core.v1.Container", "volumeDevices", "merge", "devicePath", "devicePath");
        merge("core.v1.ContainerStatus", "volumeMounts", "merge", "mountPath", "mountPath");
        merge("core.v1.ContainerStatus", "allocatedResourcesStatus", "merge", "name", "name");
        merge("core.v1.PodSpec", "volumes", "merge,retainKeys", "name", "name");
        merge("core.v1.PodSpec", "initContainers", "merge", "name", "name");
        merge("core.v1.PodSpec", "containers", "merge", "name", "name");
        merge("core.v1.PodSpec", "ephemeralContainers", "merge", "name", "name");
        merge("core.v1.PodSpec", "imagePullSecrets", "merge", "name", "name");
        merge("core.v1.PodSpec", "hostAliases", "merge", "ip", "ip");
        merge(
                "core.v1.PodSpec",
                "topologySpreadConstraints",
                "merge",
                "topologyKey",
                "topologyKey",
                "whenUnsatisfiable");
        merge("core.v1.PodSpec", "schedulingGates", "merge", "name", "name");
        merge("core.v1.PodSpec", "resourceClaims", "merge,retainKeys", "name", "name");
        merge("core.v1.EphemeralContainer", "ports", "merge", "containerPort", "containerPort", "protocol");
        merge("core.v1.EphemeralContainer", "env", "merge", "name", "name");
        merge("core.v1.EphemeralContainer", "volumeMounts", "merge", "mountPath", "mountPath");
        merge("core.v1.EphemeralContainer", "volumeDevices", "merge", "devicePath", "devicePath");
        merge("core.v1.PodStatus", "conditions", "merge", "type", "type");
        merge("core.v1.PodStatus", "podIPs", "merge", "ip", "ip");
        merge("core.v1.PodStatus", "resourceClaimStatuses", "merge,retainKeys", "name", "name");
        merge("core.v1.ServiceStatus", "conditions", "merge", "type", "type");
        merge("core.v1.ServiceSpec", "ports", "merge", "port", "port", "protocol");
        merge("core.v1.ServiceAccount", "secrets", "merge", "name", "name");
        merge("core.v1.NodeStatus", "conditions", "merge", "type", "type");
        merge("core.v1.NodeStatus", "addresses", "merge", "type", "type");
        merge("core.v1.NamespaceStatus", "conditions", "merge", "type", "type");
        merge("apps.v1.StatefulSetStatus", "conditions", "merge", "type", "type");
        merge("apps.v1.DeploymentStatus", "conditions", "merge", "type", "type");
        merge("apps.v1.DaemonSetStatus", "conditions", "merge", "type", "type");
        merge("apps.v1.ReplicaSetStatus", "conditions", "merge", "type", "type");
        merge("autoscaling.v2.HorizontalPodAutoscalerStatus", "conditions", "merge", "type", "type");
        merge("meta.v1.ObjectMeta", "ownerReferences", "merge", "uid", "uid");
        // irregular ones, as upstream has them
        patch("core.v1.PodStatus", "hostIPs", "ip", "merge", "atomic");
        patch("core.v1.NodeSpec", "podCIDRs", null, "merge", "set");
        patch("batch.v1.JobStatus", "conditions", "type", "merge", "atomic");
        patch("meta.v1.ObjectMeta", "finalizers", null, "merge", "set");
        patch("apps.v1.DeploymentSpec", "strategy", null, "retainKeys", null);
        mapType("core.v1.PersistentVolumeSpec", "claimRef", "granular");
        mapType("core.v1.PersistentVolumeClaimStatus", "allocatedResourceStatuses", "granular");
        listMap("core.v1.ResourceRequirements", "claims", "name");
        listMap("core.v1.ResourceStatus", "resources", "resourceID");
        mapType("core.v1.PodSpec", "nodeSelector", "atomic");
        mapType("core.v1.ServiceSpec", "selector", "atomic");
        // lists replaced as a whole
        atomic("core.v1.PersistentVolumeSpec", "accessModes", "mountOptions");
        atomic("core.v1.PersistentVolumeClaimSpec", "accessModes");
        atomic("core.v1.PersistentVolumeClaimStatus", "accessModes");
        atomic("core.v1.RBDVolumeSource", "monitors");
        atomic("core.v1.RBDPersistentVolumeSource", "monitors");
        atomic("core.v1.CephFSVolumeSource", "monitors");
        atomic("core.v1.CephFSPersistentVolumeSource", "monitors");
        atomic("core.v1.SecretVolumeSource", "items");
        atomic("core.v1.SecretProjection", "items");
        atomic("core.v1.ISCSIVolumeSource", "portals");
        atomic("core.v1.ISCSIPersistentVolumeSource", "portals");
        atomic("core.v1.FCVolumeSource", "targetWWNs", "wwids");
        atomic("core.v1.ConfigMapVolumeSource", "items");
        atomic("core.v1.ConfigMapProjection", "items");
        atomic("core.v1.ProjectedVolumeSource", "sources");
        atomic("core.v1.HTTPGetAction", "httpHeaders");
        atomic("core.v1.ExecAction", "command");
        atomic("core.v1.Capabilities", "add", "drop");
        atomic("core.v1.Container", "command", "args", "envFrom", "resizePolicy");
        atomic("core.v1.LinuxContainerUser", "supplementalGroups");
        atomic("core.v1.NodeSelector", "nodeSelectorTerms");
        atomic("core.v1.NodeSelectorTerm", "matchExpressions", "matchFields");
        atomic("core.v1.NodeSelectorRequirement", "values");
        atomic("core.v1.TopologySelectorTerm", "matchLabelExpressions");
        atomic("core.v1.TopologySelectorLabelRequirement", "values");
        atomic(
                "core.v1.PodAffinity",
                "requiredDuringSchedulingIgnoredDuringExecution",
                "preferredDuringSchedulingIgnoredDuringExecution");
        atomic(
                "core.v1.PodAntiAffinity",
                "requiredDuringSchedulingIgnoredDuringExecution",
                "preferredDuringSchedulingIgnoredDuringExecution");
        atomic("core.v1.PodAffinityTerm", "namespaces", "matchLabelKeys", "mismatchLabelKeys");
        atomic("core.v1.NodeAffinity", "preferredDuringSchedulingIgnoredDuringExecution");
        atomic("core.v1.PodSpec", "tolerations", "readinessGates");
        atomic("core.v1.TopologySpreadConstraint", "matchLabelKeys");
        atomic("core.v1.HostAlias", "hostnames");
        atomic("core.v1.PodSecurityContext", "supplementalGroups", "sysctls");
        atomic("core.v1.PodDNSConfig", "nameservers", "searches", "options");
        atomic("core.v1.EphemeralContainer", "command", "args", "envFrom", "resizePolicy");
        atomic("core.v1.PodStatus", "initContainerStatuses", "containerStatuses", "ephemeralContainerStatuses");
        atomic("core.v1.LoadBalancerStatus", "ingress");
        atomic("core.v1.LoadBalancerIngress", "ports");
        atomic("core.v1.ServiceSpec", "clusterIPs", "externalIPs", "loadBalancerSourceRanges", "ipFamilies");
        atomic("core.v1.ServiceAccount", "imagePullSecrets");
        atomic("core.v1.Endpoints", "subsets");
        atomic("core.v1.EndpointSubset", "addresses", "notReadyAddresses", "ports");
        atomic("core.v1.NodeSpec", "taints");
        atomic("core.v1.NodeStatus", "images", "volumesInUse", "volumesAttached", "runtimeHandlers");
        atomic("core.v1.ContainerImage", "names");
        atomic("core.v1.NamespaceSpec", "finalizers");
        atomic("core.v1.LimitRangeSpec", "limits");
        atomic("core.v1.ResourceQuotaSpec", "scopes");
        atomic("core.v1.ScopeSelector", "matchExpressions");
        atomic("core.v1.ScopedResourceSelectorRequirement", "values");
        atomic("core.v1.DownwardAPIVolumeSource", "items");
        atomic("core.v1.DownwardAPIProjection", "items");
        atomic("apps.v1.StatefulSetSpec", "volumeClaimTemplates");
        atomic("batch.v1.PodFailurePolicyRule", "onPodConditions");
        atomic("batch.v1.PodFailurePolicy", "rules");
        atomic("batch.v1.SuccessPolicy", "rules");
        atomic("batch.v1.CronJobStatus", "active");
        atomic("autoscaling.v2.HorizontalPodAutoscalerSpec", "metrics");
        atomic("autoscaling.v2.HPAScalingRules", "policies");
        atomic("autoscaling.v2.HorizontalPodAutoscalerStatus", "currentMetrics");
        atomic("discovery.v1.EndpointSlice", "endpoints", "ports");
        atomic("discovery.v1.EndpointHints", "forZones");
        atomic("networking.v1.NetworkPolicySpec", "ingress", "egress", "policyTypes");
        atomic("networking.v1.NetworkPolicyIngressRule", "ports", "from");
        atomic("networking.v1.NetworkPolicyEgressRule", "ports", "to");
        atomic("networking.v1.IPBlock", "except");
        atomic("networking.v1.IngressSpec", "tls", "rules");
        atomic("networking.v1.IngressTLS", "hosts");
        atomic("networking.v1.IngressLoadBalancerStatus", "ingress");
        atomic("networking.v1.IngressLoadBalancerIngress", "ports");
        atomic("networking.v1.HTTPIngressRuleValue", "paths");
        atomic("rbac.v1.PolicyRule", "verbs", "apiGroups", "resources", "resourceNames", "nonResourceURLs");
        atomic("rbac.v1.Role", "rules");
        atomic("rbac.v1.RoleBinding", "subjects");
        atomic("rbac.v1.ClusterRole", "rules");
        atomic("rbac.v1.AggregationRule", "clusterRoleSelectors");
        atomic("rbac.v1.ClusterRoleBinding", "subjects");
        atomic("storage.v1.StorageClass", "mountOptions", "allowedTopologies");
        atomic("meta.v1.ObjectMeta", "managedFields");
        atomic("meta.v1.DeleteOptions", "dryRun");
        atomic("meta.v1.StatusDetails", "causes");
        atomic("meta.v1.LabelSelector", "matchExpressions");
        atomic("meta.v1.LabelSelectorRequirement", "values");
        set("batch.v1.PodFailurePolicyOnExitCodesRequirement", "values");
        set("batch.v1.UncountedTerminatedPods", "succeeded", "failed");
        set("discovery.v1.Endpoint", "addresses");
        // structs replaced as a whole (x-kubernetes-map-type on the type)
        atomicStruct(
                "core.v1.SecretReference",
                "core.v1.ObjectFieldSelector",
                "core.v1.ResourceFieldSelector",
                "core.v1.ConfigMapKeySelector",
                "core.v1.SecretKeySelector",
                "core.v1.NodeSelector",
                "core.v1.NodeSelectorTerm",
                "core.v1.TopologySelectorTerm",
                "core.v1.EndpointAddress",
                "core.v1.EndpointPort",
                "core.v1.ObjectReference",
                "core.v1.LocalObjectReference",
                "core.v1.TypedLocalObjectReference",
                "core.v1.ScopeSelector",
                "autoscaling.v1.CrossVersionObjectReference",
                "discovery.v1.EndpointPort",
                "networking.v1.ServiceBackendPort",
                "rbac.v1.Subject",
                "rbac.v1.RoleRef",
                "meta.v1.OwnerReference",
                "meta.v1.LabelSelector");
    }

    private PatchExtensions() {}

    /** The extensions of a field of the named schema, or null. */
    static Field field(String schemaName, String field) {
        return FIELDS.get(schemaName + "." + field);
    }

    /** Every "schema.field" the table describes, and every schema it marks atomic (for drift checks). */
    static Set<String> entries() {
        Set<String> entries = new TreeSet<>(FIELDS.keySet());
        entries.addAll(TYPES.keySet());
        return entries;
    }

    /** The x-kubernetes-map-type of the named schema itself, or null. */
    static String mapType(String schemaName) {
        return TYPES.get(schemaName);
    }

    private static void merge(String type, String field, String strategy, String mergeKey, String... mapKeys) {
        put(type, field, new Field(mergeKey, strategy, "map", List.of(mapKeys), null));
    }

    private static void patch(String type, String field, String mergeKey, String strategy, String listType) {
        put(type, field, new Field(mergeKey, strategy, listType, null, null));
    }

    private static void listMap(String type, String field, String... mapKeys) {
        put(type, field, new Field(null, null, "map", List.of(mapKeys), null));
    }

    private static void mapType(String type, String field, String mapType) {
        put(type, field, new Field(null, null, null, null, mapType));
    }

    private static void atomic(String type, String... fields) {
        for (String field : fields) {
            put(type, field, new Field(null, null, "atomic", null, null));
        }
    }

    private static void set(String type, String... fields) {
        for (String field : fields) {
            put(type, field, new Field(null, null, "set", null, null));
        }
    }

    private static void atomicStruct(String... types) {
        for (String type : types) {
            TYPES.put(SchemaNames.expand(type), "atomic");
        }
    }

    private static void put(String type, String field, Field extensions) {
        FIELDS.put(SchemaNames.expand(type) + "." + field, extensions);
    }
}
