package dev.capstan.model.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.json.KubeJson;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MetaTest {

    @Test
    void objectKeysAreCacheKeys() {
        assertThat(ObjectKey.parse("default/web")).isEqualTo(new ObjectKey("default", "web"));
        assertThat(ObjectKey.parse("node-1")).isEqualTo(ObjectKey.clusterScoped("node-1"));
        assertThat(ObjectKey.parse("node-1").isClusterScoped()).isTrue();
        assertThat(new ObjectKey("default", "web").toString()).isEqualTo("default/web");
        assertThat(new ObjectKey(null, "n").toString()).isEqualTo("n");
        assertThatThrownBy(() -> ObjectKey.parse("a/b/c")).hasMessage("unexpected key format: \"a/b/c\"");
        JsonNode pod = json("{\"metadata\": {\"namespace\": \"ns\", \"name\": \"p\"}}");
        assertThat(ObjectKey.of(pod)).isEqualTo(new ObjectKey("ns", "p"));
        var fabric8 =
                new PodBuilder().withNewMetadata().withName("p").endMetadata().build();
        assertThat(ObjectKey.of(fabric8)).isEqualTo(ObjectKey.clusterScoped("p"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"v1, '', v1", "apps/v1, apps, v1", "'', '', ''", "/, '', ''", "a/, a, ''"})
    void groupVersionsParseAsUpstream(String text, String group, String version) {
        assertThat(GroupVersion.parse(text)).isEqualTo(new GroupVersion(group, version));
    }

    @Test
    void namesPrintAsUpstream() {
        assertThat(new GroupVersion("", "v1").toString()).isEqualTo("v1");
        assertThat(new GroupVersion("apps", "v1").toString()).isEqualTo("apps/v1");
        assertThatThrownBy(() -> GroupVersion.parse("a/b/c")).hasMessage("unexpected GroupVersion string: a/b/c");
        assertThat(new GroupResource("apps", "deployments").toString()).isEqualTo("deployments.apps");
        assertThat(new GroupResource("", "pods").toString()).isEqualTo("pods");
        assertThat(GroupResource.parse("deployments.apps")).isEqualTo(new GroupResource("apps", "deployments"));
        assertThat(GroupResource.parse("ingresses.networking.k8s.io").group()).isEqualTo("networking.k8s.io");
        assertThat(new GroupVersionKind("apps", "v1", "Deployment").toString()).isEqualTo("apps/v1, Kind=Deployment");
        assertThat(new GroupVersionKind("", "v1", "Pod").toString()).isEqualTo("/v1, Kind=Pod");
        assertThat(new GroupVersionResource("", "v1", "pods").toString()).isEqualTo("/v1, Resource=pods");
        assertThat(GroupVersionKind.fromApiVersionAndKind("apps/v1", "Deployment")
                        .apiVersion())
                .isEqualTo("apps/v1");
        assertThat(GroupVersionKind.fromApiVersionAndKind("a/b/c", "X")).isEqualTo(new GroupVersionKind("", "", "X"));
        assertThat(GroupVersionKind.of(json("{\"apiVersion\": \"v1\", \"kind\": \"Pod\"}")))
                .isEqualTo(new GroupVersionKind("", "v1", "Pod"));
        assertThat(new GroupKind("apps", "Deployment").toString()).isEqualTo("Deployment.apps");
        assertThat(GroupKind.parse("Pod")).isEqualTo(new GroupKind("", "Pod"));
        assertThat(new GroupVersion("apps", "v1")
                        .withResource("deployments")
                        .groupResource()
                        .toString())
                .isEqualTo("deployments.apps");
    }

    @Test
    void controllerReferences() {
        JsonNode pod = json("{\"metadata\": {\"ownerReferences\": [{\"uid\": \"a\", \"kind\": \"X\"},"
                + " {\"uid\": \"b\", \"kind\": \"ReplicaSet\", \"controller\": true}]}}");
        assertThat(OwnerReferences.controllerOf(pod).map(r -> r.get("uid").asText()))
                .contains("b");
        assertThat(OwnerReferences.isOwnedBy(pod, "a")).isTrue();
        assertThat(OwnerReferences.isControlledBy(pod, "a")).isFalse();
        assertThat(OwnerReferences.isControlledBy(pod, "b")).isTrue();
        assertThat(OwnerReferences.controllerOf(json("{}"))).isEmpty();

        var fabric8 = new PodBuilder()
                .withNewMetadata()
                .addNewOwnerReference()
                .withUid("a")
                .withController(false)
                .endOwnerReference()
                .addNewOwnerReference()
                .withUid("b")
                .withController(true)
                .endOwnerReference()
                .endMetadata()
                .build();
        assertThat(OwnerReferences.controllerOf(fabric8).map(r -> r.getUid())).contains("b");
        assertThat(OwnerReferences.isOwnedBy(fabric8, "a")).isTrue();
        assertThat(OwnerReferences.isControlledBy(fabric8, "a")).isFalse();
        assertThat(OwnerReferences.controllerOf(new PodBuilder().build())).isEmpty();
    }

    private static JsonNode json(String text) {
        return KubeJson.readTree(text.getBytes(StandardCharsets.UTF_8));
    }
}
