package dev.capstan.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.json.KubeJson;
import org.junit.jupiter.api.Test;

class UnknownFieldsTest {
    private static final OpenApiDocuments DOCS = new OpenApiDocuments(TestResources.standard(), OpenApiSnapshot.NONE);

    @Test
    void findsMisspelledFieldsInDocumentOrder() throws Exception {
        JsonNode deployment = json("""
                {"apiVersion": "apps/v1", "kind": "Deployment",
                 "metadata": {"name": "web", "labels": {"app.kubernetes.io/name": "web", "anything": "x"},
                              "annotations": {"example.com/free-form": "{\\"a\\": 1}"}},
                 "spec": {"replicaz": 3,
                          "selector": {"matchLabels": {"app": "web"}},
                          "template": {"metadata": {"labels": {"app": "web"}},
                                       "spec": {"containers": [{"name": "web", "imagex": "nginx",
                                                                "ports": [{"containerPort": 80}],
                                                                "resources": {"limits": {"cpu": "1", "memory": 1}}}]}}}}
                """);
        assertThat(DOCS.unknownFields("apps", "v1", "Deployment", deployment))
                .containsExactly("spec.replicaz", "spec.template.spec.containers[0].imagex");
    }

    @Test
    void acceptsAValidObject() throws Exception {
        JsonNode deployment = json("""
                {"apiVersion": "apps/v1", "kind": "Deployment",
                 "metadata": {"name": "web", "namespace": "default", "creationTimestamp": null,
                              "ownerReferences": [{"apiVersion": "v1", "kind": "X", "name": "x", "uid": "1"}],
                              "managedFields": [{"manager": "kubectl", "fieldsV1": {"f:spec": {"f:replicas": {}}}}]},
                 "spec": {"replicas": 3, "strategy": {"type": "RollingUpdate",
                                                      "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 1}},
                          "selector": {"matchExpressions": [{"key": "app", "operator": "In", "values": ["web"]}]},
                          "template": {"spec": {"containers": [{"name": "web", "image": "nginx",
                                                               "env": [{"name": "A", "value": "b"}]}],
                                                "tolerations": [{"key": "k", "operator": "Exists"}]}}},
                 "status": {"replicas": 3, "conditions": [{"type": "Available", "status": "True",
                                                           "lastTransitionTime": "2024-01-01T00:00:00Z"}]}}
                """);
        assertThat(DOCS.unknownFields("apps", "v1", "Deployment", deployment)).isEmpty();
    }

    @Test
    void mapsAndFreeFormObjectsAcceptAnyKey() throws Exception {
        assertThat(DOCS.unknownFields("", "v1", "ConfigMap", json("""
                {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"},
                 "data": {"any.key": "v"}, "binaryData": {"b": "AA=="}, "immutable": false, "extra": 1}
                """))).containsExactly("extra");
        assertThat(DOCS.unknownFields("apps", "v1", "ControllerRevision", json("""
                {"apiVersion": "apps/v1", "kind": "ControllerRevision", "metadata": {"name": "r"},
                 "revision": 1, "data": {"spec": {"whatever": [1, 2]}}}
                """)))
                .isEmpty();
        assertThat(DOCS.unknownFields("", "v1", "Service", json("""
                {"spec": {"selector": {"app": "x"}, "ports": [{"port": 80, "targetPort": "http", "protocl": "TCP"}]}}
                """))).containsExactly("spec.ports[0].protocl");
    }

    @Test
    void subresourceKindsAndOtherGroupsAreChecked() throws Exception {
        assertThat(DOCS.unknownFields("autoscaling", "v1", "Scale", json("""
                {"apiVersion": "autoscaling/v1", "kind": "Scale", "metadata": {"name": "web"},
                 "spec": {"replicas": 2, "replicaz": 3}}
                """))).containsExactly("spec.replicaz");
        assertThat(DOCS.unknownFields("events.k8s.io", "v1", "Event", json("""
                {"eventTime": "2024-01-01T00:00:00.000000Z", "note": "n", "message": "m"}
                """)))
                .containsExactly("message");
        assertThat(DOCS.unknownFields("", "v1", "Event", json("""
                {"eventTime": "2024-01-01T00:00:00.000000Z", "note": "n", "message": "m"}
                """))).containsExactly("note");
        assertThat(DOCS.unknownFields("rbac.authorization.k8s.io", "v1", "ClusterRole", json("""
                {"rules": [{"verbs": ["get"], "apiGroups": [""], "resources": ["pods"], "resourceName": []}]}
                """)))
                .containsExactly("rules[0].resourceName");
    }

    @Test
    void unknownKindsAndNonObjectsHaveNoUnknownFields() throws Exception {
        assertThat(DOCS.unknownFields("example.com", "v1", "Widget", json("{\"foo\": 1}")))
                .isEmpty();
        assertThat(DOCS.unknownFields("apps", "v1", "Deployment", json("[1]"))).isEmpty();
        assertThat(DOCS.unknownFields("apps", "v2", "Deployment", json("{\"foo\": 1}")))
                .isEmpty();
    }

    private static JsonNode json(String text) throws Exception {
        return KubeJson.MAPPER.readTree(text);
    }
}
