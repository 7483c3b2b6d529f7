package dev.capstan.api.openapi;

import static dev.capstan.api.openapi.Schemas.property;
import static dev.capstan.api.openapi.Schemas.schemas;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Compares the generated documents with facts of the upstream v1.32 documents (api/openapi-spec/v3 and the
 * k8s.io/api v0.32 types they are generated from). fabric8 7.4 follows a newer Kubernetes, so its schemas may
 * have fields upstream v1.32 lacks; they must not miss any.
 */
class UpstreamFactsTest {
    private static final OpenApiDocuments DOCS = new OpenApiDocuments(TestResources.standard(), OpenApiSnapshot.NONE);
    private static final String CORE = "io.k8s.api.core.v1.";
    private static final String APPS = "io.k8s.api.apps.v1.";

    @Test
    void schemasHaveTheUpstreamFields() {
        JsonNode apps = DOCS.document("apis/apps/v1");
        JsonNode core = DOCS.document("api/v1");
        assertThat(fields(apps, APPS + "Deployment"))
                .containsExactly("apiVersion", "kind", "metadata", "spec", "status");
        assertThat(fields(apps, APPS + "DeploymentSpec"))
                .containsExactly(
                        "minReadySeconds",
                        "paused",
                        "progressDeadlineSeconds",
                        "replicas",
                        "revisionHistoryLimit",
                        "selector",
                        "strategy",
                        "template");
        assertThat(fields(apps, APPS + "DeploymentStatus"))
                .contains(
                        "availableReplicas",
                        "collisionCount",
                        "conditions",
                        "observedGeneration",
                        "readyReplicas",
                        "replicas",
                        "unavailableReplicas",
                        "updatedReplicas");
        assertThat(fields(core, CORE + "Pod")).containsExactly("apiVersion", "kind", "metadata", "spec", "status");
        assertThat(fields(core, CORE + "PodSpec"))
                .contains(
                        "activeDeadlineSeconds",
                        "affinity",
                        "automountServiceAccountToken",
                        "containers",
                        "dnsConfig",
                        "dnsPolicy",
                        "enableServiceLinks",
                        "ephemeralContainers",
                        "hostAliases",
                        "hostIPC",
                        "hostNetwork",
                        "hostPID",
                        "hostUsers",
                        "hostname",
                        "imagePullSecrets",
                        "initContainers",
                        "nodeName",
                        "nodeSelector",
                        "os",
                        "overhead",
                        "preemptionPolicy",
                        "priority",
                        "priorityClassName",
                        "readinessGates",
                        "resourceClaims",
                        "resources",
                        "restartPolicy",
                        "runtimeClassName",
                        "schedulerName",
                        "schedulingGates",
                        "securityContext",
                        "serviceAccount",
                        "serviceAccountName",
                        "setHostnameAsFQDN",
                        "shareProcessNamespace",
                        "subdomain",
                        "terminationGracePeriodSeconds",
                        "tolerations",
                        "topologySpreadConstraints",
                        "volumes");
        assertThat(fields(core, CORE + "Container"))
                .contains(
                        "args",
                        "command",
                        "env",
                        "envFrom",
                        "image",
                        "imagePullPolicy",
                        "lifecycle",
                        "livenessProbe",
                        "name",
                        "ports",
                        "readinessProbe",
                        "resizePolicy",
                        "resources",
                        "restartPolicy",
                        "securityContext",
                        "startupProbe",
                        "stdin",
                        "stdinOnce",
                        "terminationMessagePath",
                        "terminationMessagePolicy",
                        "tty",
                        "volumeDevices",
                        "volumeMounts",
                        "workingDir");
        assertThat(fields(core, CORE + "Service")).containsExactly("apiVersion", "kind", "metadata", "spec", "status");
        assertThat(fields(core, CORE + "ServiceSpec"))
                .contains(
                        "allocateLoadBalancerNodePorts",
                        "clusterIP",
                        "clusterIPs",
                        "externalIPs",
                        "externalName",
                        "externalTrafficPolicy",
                        "healthCheckNodePort",
                        "internalTrafficPolicy",
                        "ipFamilies",
                        "ipFamilyPolicy",
                        "loadBalancerClass",
                        "loadBalancerIP",
                        "loadBalancerSourceRanges",
                        "ports",
                        "publishNotReadyAddresses",
                        "selector",
                        "sessionAffinity",
                        "sessionAffinityConfig",
                        "trafficDistribution",
                        "type");
        assertThat(fields(core, CORE + "ServicePort"))
                .containsExactly("appProtocol", "name", "nodePort", "port", "protocol", "targetPort");
        assertThat(fields(core, "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"))
                .containsExactly(
                        "annotations",
                        "creationTimestamp",
                        "deletionGracePeriodSeconds",
                        "deletionTimestamp",
                        "finalizers",
                        "generateName",
                        "generation",
                        "labels",
                        "managedFields",
                        "name",
                        "namespace",
                        "ownerReferences",
                        "resourceVersion",
                        "selfLink",
                        "uid");
    }

    @Test
    void fieldsCarryTheUpstreamPatchAndListExtensions() {
        JsonNode core = DOCS.document("api/v1");
        String pod = CORE + "Pod";
        assertExtensions(
                property(core, pod, "spec", "containers", "ports"),
                "containerPort",
                "merge",
                "map",
                List.of("containerPort", "protocol"));
        assertExtensions(property(core, pod, "spec", "containers", "env"), "name", "merge", "map", List.of("name"));
        assertExtensions(
                property(core, pod, "spec", "containers", "volumeMounts"),
                "mountPath",
                "merge",
                "map",
                List.of("mountPath"));
        assertExtensions(property(core, pod, "spec", "volumes"), "name", "merge,retainKeys", "map", List.of("name"));
        assertExtensions(property(core, pod, "spec", "imagePullSecrets"), "name", "merge", "map", List.of("name"));
        assertExtensions(property(core, pod, "spec", "initContainers"), "name", "merge", "map", List.of("name"));
        assertExtensions(property(core, pod, "spec", "ephemeralContainers"), "name", "merge", "map", List.of("name"));
        assertExtensions(property(core, pod, "spec", "tolerations"), null, null, "atomic", null);
        assertExtensions(property(core, pod, "status", "conditions"), "type", "merge", "map", List.of("type"));
        assertExtensions(
                property(core, CORE + "Service", "spec", "ports"), "port", "merge", "map", List.of("port", "protocol"));
        assertExtensions(property(core, pod, "metadata", "finalizers"), null, "merge", "set", null);
        assertExtensions(property(core, pod, "metadata", "ownerReferences"), "uid", "merge", "map", List.of("uid"));
        assertThat(property(core, CORE + "Service", "spec", "selector")
                        .get("x-kubernetes-map-type")
                        .asText())
                .isEqualTo("atomic");
        assertThat(property(DOCS.document("apis/apps/v1"), APPS + "Deployment", "spec", "strategy")
                        .get("x-kubernetes-patch-strategy")
                        .asText())
                .isEqualTo("retainKeys");
        assertThat(schemas(core)
                        .get("io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector")
                        .get("x-kubernetes-map-type")
                        .asText())
                .isEqualTo("atomic");
    }

    @Test
    void namedScalarsAreTypedAsUpstream() {
        JsonNode schemas = schemas(DOCS.document("api/v1"));
        assertThat(schemas.get("io.k8s.apimachinery.pkg.api.resource.Quantity").get("oneOf"))
                .extracting(n -> n.get("type").asText())
                .containsExactly("string", "number");
        JsonNode intOrString = schemas.get("io.k8s.apimachinery.pkg.util.intstr.IntOrString");
        assertThat(intOrString.get("format").asText()).isEqualTo("int-or-string");
        assertThat(intOrString.get("oneOf"))
                .extracting(n -> n.get("type").asText())
                .containsExactly("integer", "string");
        assertThat(schemas.get("io.k8s.apimachinery.pkg.apis.meta.v1.Time")
                        .get("format")
                        .asText())
                .isEqualTo("date-time");
        assertThat(property(DOCS.document("api/v1"), CORE + "Pod", "metadata", "creationTimestamp")
                        .at("/allOf/0/$ref")
                        .asText())
                .endsWith("meta.v1.Time");
        assertThat(property(
                                DOCS.document("apis/coordination.k8s.io/v1"),
                                "io.k8s.api.coordination.v1.Lease",
                                "spec",
                                "renewTime")
                        .at("/allOf/0/$ref")
                        .asText())
                .endsWith("meta.v1.MicroTime");
        assertThat(property(DOCS.document("api/v1"), CORE + "Pod", "spec", "overhead")
                        .at("/additionalProperties/$ref")
                        .asText())
                .endsWith("resource.Quantity");
        assertThat(property(DOCS.document("api/v1"), CORE + "Secret", "metadata", "labels")
                        .at("/additionalProperties/type")
                        .asText())
                .isEqualTo("string");
    }

    /** Every entry of the fact tables must name a field of the generated schemas, so typos and drift show. */
    @Test
    void factTablesOnlyNameExistingFields() {
        Map<String, JsonNode> all = new HashMap<>();
        DOCS.index()
                .get("paths")
                .fieldNames()
                .forEachRemaining(path ->
                        schemas(DOCS.document(path)).properties().forEach(e -> all.put(e.getKey(), e.getValue())));
        Set<String> entries = new TreeSet<>(PatchExtensions.entries());
        entries.addAll(TimeFields.entries());
        for (String entry : entries) {
            if (all.containsKey(entry)) {
                continue; // a type-level entry
            }
            int dot = entry.lastIndexOf('.');
            JsonNode schema = all.get(entry.substring(0, dot));
            assertThat(schema).as(entry).isNotNull();
            assertThat(schema.path("properties").has(entry.substring(dot + 1)))
                    .as(entry)
                    .isTrue();
        }
    }

    private static void assertExtensions(
            JsonNode property, String mergeKey, String strategy, String listType, List<String> mapKeys) {
        assertThat(property.path("x-kubernetes-patch-merge-key").textValue()).isEqualTo(mergeKey);
        assertThat(property.path("x-kubernetes-patch-strategy").textValue()).isEqualTo(strategy);
        assertThat(property.path("x-kubernetes-list-type").textValue()).isEqualTo(listType);
        if (mapKeys == null) {
            assertThat(property.has("x-kubernetes-list-map-keys")).isFalse();
        } else {
            assertThat(property.get("x-kubernetes-list-map-keys"))
                    .extracting(JsonNode::asText)
                    .containsExactlyElementsOf(mapKeys);
        }
    }

    private static List<String> fields(JsonNode document, String schemaName) {
        List<String> names = new java.util.ArrayList<>();
        schemas(document).get(schemaName).get("properties").fieldNames().forEachRemaining(names::add);
        return names;
    }
}
