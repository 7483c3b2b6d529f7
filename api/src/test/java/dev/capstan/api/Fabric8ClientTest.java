package dev.capstan.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.capstan.api.http.ApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fabric8 Kubernetes client, unmodified, against Capstan. */
@QuarkusTest
class Fabric8ClientTest {
    @Inject
    ApiServer server;

    private KubernetesClient client;
    private String ns;

    @BeforeEach
    void connect() {
        client = new KubernetesClientBuilder()
                // Config.empty(): nothing from the developer's KUBECONFIG, ~/.kube or environment (its CA would win)
                .withConfig(new ConfigBuilder(Config.empty())
                        .withMasterUrl("https://127.0.0.1:" + server.port())
                        .withOauthToken(TestApi.token())
                        .withCaCertFile(Path.of("target/capstan-test-data/pki/ca.crt")
                                .toAbsolutePath()
                                .toString())
                        .withRequestTimeout(10_000)
                        .build())
                .build();
        ns = TestApi.randomName("f8");
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(ns)
                        .endMetadata()
                        .build())
                .create();
    }

    @AfterEach
    void close() {
        client.close();
    }

    private ConfigMap configMap(String name, String value) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(Map.of("app", "f8"))
                .endMetadata()
                .withData(Map.of("k", value))
                .build();
    }

    @Test
    void crudAndPatches() {
        ConfigMap created = client.configMaps()
                .inNamespace(ns)
                .resource(configMap("a", "1"))
                .create();
        assertThat(created.getMetadata().getUid()).isNotBlank();
        assertThat(client.configMaps().inNamespace(ns).withName("a").get().getData())
                .containsEntry("k", "1");
        assertThat(client.configMaps()
                        .inNamespace(ns)
                        .withLabel("app", "f8")
                        .list()
                        .getItems())
                .hasSize(1);

        ConfigMap merged = client.configMaps()
                .inNamespace(ns)
                .withName("a")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"data\":{\"k\":\"2\"}}");
        assertThat(merged.getData()).containsEntry("k", "2");
        ConfigMap jsonPatched = client.configMaps()
                .inNamespace(ns)
                .withName("a")
                .patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"add\",\"path\":\"/data/x\",\"value\":\"y\"}]");
        assertThat(jsonPatched.getData()).containsEntry("x", "y").containsEntry("k", "2");

        ConfigMap stale = created;
        stale.getData().put("k", "stale");
        assertThatThrownBy(() ->
                        client.configMaps().inNamespace(ns).resource(stale).update())
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(409));

        assertThat(client.configMaps().inNamespace(ns).withName("a").delete()).hasSize(1);
        assertThat(client.configMaps().inNamespace(ns).withName("a").get()).isNull();
    }

    @Test
    void deploymentsAndScale() {
        Deployment d = new DeploymentBuilder()
                .withNewMetadata()
                .withName("web")
                .endMetadata()
                .withNewSpec()
                .withReplicas(1)
                .withNewSelector()
                .addToMatchLabels("app", "web")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "web")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("web")
                .withImage("nginx")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
        client.apps().deployments().inNamespace(ns).resource(d).create();
        client.apps().deployments().inNamespace(ns).withName("web").scale(3);
        assertThat(client.apps()
                        .deployments()
                        .inNamespace(ns)
                        .withName("web")
                        .get()
                        .getSpec()
                        .getReplicas())
                .isEqualTo(3);
    }

    @Test
    void watchSeesChanges() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        var watch = client.configMaps().inNamespace(ns).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap resource) {
                seen.add(action + " " + resource.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {}
        });
        try {
            client.configMaps().inNamespace(ns).resource(configMap("w", "1")).create();
            client.configMaps().inNamespace(ns).withName("w").edit(cm -> {
                cm.getData().put("k", "2");
                return cm;
            });
            client.configMaps().inNamespace(ns).withName("w").delete();
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(seen).containsExactly("ADDED w", "MODIFIED w", "DELETED w"));
        } finally {
            watch.close();
        }
    }

    @Test
    void informerKeepsACacheInSync() {
        client.configMaps().inNamespace(ns).resource(configMap("pre", "1")).create();
        List<String> events = new CopyOnWriteArrayList<>();
        SharedIndexInformer<ConfigMap> informer = client.configMaps()
                .inNamespace(ns)
                .inform(
                        new ResourceEventHandler<>() {
                            @Override
                            public void onAdd(ConfigMap obj) {
                                events.add("add " + obj.getMetadata().getName());
                            }

                            @Override
                            public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
                                if (!oldObj.getMetadata()
                                        .getResourceVersion()
                                        .equals(newObj.getMetadata().getResourceVersion())) {
                                    events.add("update " + newObj.getMetadata().getName());
                                }
                            }

                            @Override
                            public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {
                                events.add("delete " + obj.getMetadata().getName());
                            }
                        },
                        0);
        try {
            await().atMost(Duration.ofSeconds(20)).until(informer::hasSynced);
            client.configMaps()
                    .inNamespace(ns)
                    .resource(configMap("later", "1"))
                    .create();
            client.configMaps().inNamespace(ns).withName("pre").delete();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(events).contains("add pre", "add later", "delete pre");
                assertThat(informer.getStore().list())
                        .extracting(c -> c.getMetadata().getName())
                        .containsExactly("later");
            });
        } finally {
            informer.close();
        }
    }
}
