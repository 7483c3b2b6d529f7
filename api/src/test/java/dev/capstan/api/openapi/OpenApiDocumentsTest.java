package dev.capstan.api.openapi;

import static dev.capstan.api.openapi.Schemas.property;
import static dev.capstan.api.openapi.Schemas.schemas;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenApiDocumentsTest {
    private static final OpenApiDocuments DOCS = new OpenApiDocuments(TestResources.standard(), OpenApiSnapshot.NONE);
    private static final String DEPLOYMENT = "io.k8s.api.apps.v1.Deployment";

    @Test
    void indexListsEveryGroupVersionWithTheHashOfItsDocument() throws Exception {
        JsonNode paths = DOCS.index().get("paths");
        assertThat(paths.has("api/v1")).isTrue();
        assertThat(paths.has("apis/apps/v1")).isTrue();
        assertThat(paths.has("apis/rbac.authorization.k8s.io/v1")).isTrue();
        String url = paths.get("apis/apps/v1").get("serverRelativeURL").asText();
        assertThat(url).matches("/openapi/v3/apis/apps/v1\\?hash=[0-9A-F]{64}");
        String hash = HexFormat.of()
                .withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(DOCS.documentBytes("apis/apps/v1")));
        assertThat(url).endsWith("?hash=" + hash);
        assertThat(paths.get("api/v1").get("serverRelativeURL").asText()).startsWith("/openapi/v3/api/v1?hash=");
    }

    @Test
    void documentsAreDeterministicAndCached() {
        OpenApiDocuments other = new OpenApiDocuments(TestResources.standard(), OpenApiSnapshot.NONE);
        assertThat(other.documentBytes("api/v1")).isEqualTo(DOCS.documentBytes("api/v1"));
        assertThat(other.index()).isEqualTo(DOCS.index());
        assertThat(DOCS.document("apis/apps/v1")).isSameAs(DOCS.document("apis/apps/v1"));
        assertThat(DOCS.document("apis/nope/v1")).isNull();
        assertThat(DOCS.documentBytes("apis/nope/v1")).isNull();
    }

    @Test
    void deploymentSchemaHasItsKindAndTheContainerMergeKey() {
        ObjectNode apps = DOCS.document("apis/apps/v1");
        assertThat(apps.get("openapi").asText()).isEqualTo("3.0.0");
        assertThat(apps.at("/info/title").asText()).isEqualTo("Kubernetes");
        assertThat(apps.at("/info/version").asText()).isEqualTo("v1.32.0");
        JsonNode deployment = schemas(apps).get(DEPLOYMENT);
        assertThat(deployment.get("x-kubernetes-group-version-kind")).containsExactly(gvk("apps", "v1", "Deployment"));
        assertThat(schemas(apps).get(DEPLOYMENT + "List").get("x-kubernetes-group-version-kind"))
                .containsExactly(gvk("apps", "v1", "DeploymentList"));

        JsonNode containers = property(apps, DEPLOYMENT, "spec", "template", "spec", "containers");
        assertThat(containers.get("type").asText()).isEqualTo("array");
        assertThat(containers.get("x-kubernetes-patch-merge-key").asText()).isEqualTo("name");
        assertThat(containers.get("x-kubernetes-patch-strategy").asText()).isEqualTo("merge");
        assertThat(containers.get("x-kubernetes-list-type").asText()).isEqualTo("map");
        assertThat(containers.at("/items/$ref").asText())
                .isEqualTo("#/components/schemas/io.k8s.api.core.v1.Container");
    }

    @Test
    void patchOfADeploymentEnablesServerSideValidationAndStrategicMergePatch() {
        JsonNode patch = DOCS.document("apis/apps/v1")
                .at("/paths")
                .get("/apis/apps/v1/namespaces/{namespace}/deployments/{name}")
                .get("patch");
        assertThat(patch.get("operationId").asText()).isEqualTo("patchAppsV1NamespacedDeployment");
        assertThat(patch.get("x-kubernetes-action").asText()).isEqualTo("patch");
        assertThat(patch.get("x-kubernetes-group-version-kind")).isEqualTo(gvk("apps", "v1", "Deployment"));
        assertThat(queryParameters(patch)).contains("fieldValidation", "dryRun", "fieldManager", "force");
        assertThat(patch.at("/requestBody/content").properties())
                .extracting(Map.Entry::getKey)
                .containsExactly(
                        "application/apply-patch+yaml",
                        "application/json-patch+json",
                        "application/merge-patch+json",
                        "application/strategic-merge-patch+json");
        assertThat(patch.at("/responses/200/content/application~1json/schema/$ref")
                        .asText())
                .isEqualTo("#/components/schemas/" + DEPLOYMENT);
    }

    /** kubectl looks at the first PATCH it meets for a kind, so every one of them must qualify. */
    @Test
    void everyPatchOperationCarriesItsKindFieldValidationAndStrategicMergePatch() {
        for (String path : groupVersions()) {
            for (Map.Entry<String, JsonNode> item :
                    DOCS.document(path).get("paths").properties()) {
                JsonNode patch = item.getValue().get("patch");
                if (patch != null) {
                    assertThat(patch.has("x-kubernetes-group-version-kind"))
                            .as(item.getKey())
                            .isTrue();
                    assertThat(queryParameters(patch)).as(item.getKey()).contains("fieldValidation");
                    assertThat(patch.at("/requestBody/content").has("application/strategic-merge-patch+json"))
                            .as(item.getKey())
                            .isTrue();
                }
            }
        }
    }

    @Test
    void everyReferenceResolves() {
        for (String path : groupVersions()) {
            ObjectNode document = DOCS.document(path);
            List<String> refs = new ArrayList<>();
            collectRefs(document, refs);
            assertThat(refs).isNotEmpty();
            for (String ref : refs) {
                assertThat(schemas(document).has(ref.substring("#/components/schemas/".length())))
                        .as(path + " " + ref)
                        .isTrue();
            }
        }
    }

    @Test
    void coreDocumentHasUpstreamPathsAndOperations() {
        JsonNode paths = DOCS.document("api/v1").get("paths");
        assertThat(paths.at("/~1api~1v1~1namespaces~1{namespace}~1pods/get/operationId")
                        .asText())
                .isEqualTo("listCoreV1NamespacedPod");
        assertThat(paths.at("/~1api~1v1~1namespaces~1{namespace}~1pods/post/operationId")
                        .asText())
                .isEqualTo("createCoreV1NamespacedPod");
        assertThat(paths.at("/~1api~1v1~1namespaces~1{namespace}~1pods/delete/x-kubernetes-action")
                        .asText())
                .isEqualTo("deletecollection");
        assertThat(paths.at("/~1api~1v1~1pods/get/operationId").asText()).isEqualTo("listCoreV1PodForAllNamespaces");
        assertThat(paths.at("/~1api~1v1~1namespaces~1{namespace}~1pods~1{name}~1status/put/operationId")
                        .asText())
                .isEqualTo("replaceCoreV1NamespacedPodStatus");
        assertThat(paths.at("/~1api~1v1~1namespaces~1{namespace}~1pods~1{name}~1binding/post/operationId")
                        .asText())
                .isEqualTo("createCoreV1NamespacedPodBinding");
        assertThat(paths.at("/~1api~1v1~1namespaces~1{name}~1finalize/put/operationId")
                        .asText())
                .isEqualTo("replaceCoreV1NamespaceFinalize");
        assertThat(paths.at("/~1api~1v1~1nodes~1{name}/delete/operationId").asText())
                .isEqualTo("deleteCoreV1Node");
        assertThat(paths.has("/api/v1/nodes/{name}/status")).isTrue();
        assertThat(paths.has("/api/v1/nodes")).isTrue();
        assertThat(paths.has("/api/v1/")).isTrue();
        assertThat(paths.get("/api/v1/namespaces/{namespace}/pods/{name}").get("parameters"))
                .extracting(p -> p.get("name").asText())
                .containsExactly("name", "namespace", "pretty");
        assertThat(paths.at("/~1api~1v1~1namespaces~1{namespace}~1pods/get/tags/0")
                        .asText())
                .isEqualTo("core_v1");
        JsonNode schemas = schemas(DOCS.document("api/v1"));
        assertThat(schemas.get("io.k8s.api.core.v1.Binding").get("x-kubernetes-group-version-kind"))
                .containsExactly(gvk("", "v1", "Binding"));
        assertThat(schemas.get("io.k8s.apimachinery.pkg.apis.meta.v1.Status").get("x-kubernetes-group-version-kind"))
                .containsExactly(gvk("", "v1", "Status"));
    }

    @Test
    void scaleSubresourceUsesAutoscalingV1Scale() {
        ObjectNode apps = DOCS.document("apis/apps/v1");
        JsonNode scale = apps.get("paths").get("/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale");
        assertThat(scale.at("/patch/operationId").asText()).isEqualTo("patchAppsV1NamespacedDeploymentScale");
        assertThat(scale.at("/patch/x-kubernetes-group-version-kind")).isEqualTo(gvk("autoscaling", "v1", "Scale"));
        assertThat(scale.at("/get/responses/200/content/application~1json/schema/$ref")
                        .asText())
                .isEqualTo("#/components/schemas/io.k8s.api.autoscaling.v1.Scale");
        assertThat(schemas(apps).get("io.k8s.api.autoscaling.v1.Scale").get("x-kubernetes-group-version-kind"))
                .containsExactly(gvk("autoscaling", "v1", "Scale"));
        assertThat(schemas(apps).has("io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent"))
                .isTrue();
        assertThat(schemas(apps)
                        .get("io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions")
                        .get("x-kubernetes-group-version-kind"))
                .contains(gvk("", "v1", "DeleteOptions"), gvk("apps", "v1", "DeleteOptions"));
        String rbac = "/apis/rbac.authorization.k8s.io/v1/clusterroles/{name}";
        assertThat(DOCS.document("apis/rbac.authorization.k8s.io/v1")
                        .get("paths")
                        .get(rbac)
                        .at("/patch/operationId")
                        .asText())
                .isEqualTo("patchRbacAuthorizationV1ClusterRole");
    }

    private static List<String> groupVersions() {
        List<String> paths = new ArrayList<>();
        DOCS.index().get("paths").fieldNames().forEachRemaining(paths::add);
        return paths;
    }

    private static List<String> queryParameters(JsonNode operation) {
        List<String> names = new ArrayList<>();
        for (JsonNode parameter : operation.get("parameters")) {
            if (parameter.get("in").asText().equals("query")) {
                names.add(parameter.get("name").asText());
            }
        }
        return names;
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.has("$ref")) {
            refs.add(node.get("$ref").asText());
        }
        node.forEach(child -> collectRefs(child, refs));
    }

    static ObjectNode gvk(String group, String version, String kind) {
        return Nodes.gvk(group, version, kind);
    }
}
