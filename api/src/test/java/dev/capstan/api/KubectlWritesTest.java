package dev.capstan.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.capstan.api.http.ApiServer;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unmodified kubectl 1.32 writing: client-side apply and edit (strategic merge patch), patch of each type,
 * {@code --dry-run=server} on every verb, and namespace deletion held by a finalizer.
 */
@QuarkusTest
class KubectlWritesTest {
    @Inject
    ApiServer server;

    @TempDir
    Path dir;

    private Kubectl kubectl;
    private String ns;

    @BeforeEach
    void setUp() {
        Kubectl.require();
        kubectl = new Kubectl(server.kubeconfig());
        ns = TestApi.namespace(server);
    }

    private static String deployment(String image, boolean withB) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  replicas: 2
                  selector:
                    matchLabels: {app: web}
                  template:
                    metadata:
                      labels: {app: web}
                    spec:
                      containers:
                      - name: web
                        image: %s
                        env:
                        - {name: A, value: "1"}
                %s""".formatted(image, withB ? "        - {name: B, value: \"2\"}\n" : "");
    }

    private String ok(String... args) {
        Kubectl.Result result = kubectl.run(args);
        assertThat(result.exitCode()).as(result.out()).isZero();
        return result.out().strip();
    }

    private String okWithInput(String input, String... args) {
        Kubectl.Result result = kubectl.runWithInput(input, args);
        assertThat(result.exitCode()).as(result.out()).isZero();
        return result.out().strip();
    }

    private String jsonPath(String resource, String path) {
        return ok("get", resource, "-n", ns, "-o", "jsonpath=" + path);
    }

    @Test
    void applyOfAChangedManifestIsConfiguredAndDropsWhatTheManifestDropped() {
        assertThat(okWithInput(deployment("nginx:1", true), "apply", "-n", ns, "-f", "-"))
                .isEqualTo("deployment.apps/web created");
        assertThat(okWithInput(deployment("nginx:2", false), "apply", "-n", ns, "-f", "-"))
                .isEqualTo("deployment.apps/web configured");
        assertThat(jsonPath("deployment/web", "{.spec.template.spec.containers[0].env[*].name}"))
                .isEqualTo("A");
        assertThat(jsonPath("deployment/web", "{.spec.template.spec.containers[0].image}"))
                .isEqualTo("nginx:2");
        assertThat(okWithInput(deployment("nginx:2", false), "apply", "-n", ns, "-f", "-"))
                .isEqualTo("deployment.apps/web unchanged");
    }

    @Test
    void patchAddsASidecarAsStrategicMergeAndReplacesTheListAsMerge() {
        okWithInput(deployment("nginx:1", true), "create", "-n", ns, "-f", "-");
        String sidecar =
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"side\",\"image\":\"busybox\"}]}}}}";

        assertThat(ok("patch", "deployment", "web", "-n", ns, "-p", sidecar)).isEqualTo("deployment.apps/web patched");
        assertThat(jsonPath("deployment/web", "{.spec.template.spec.containers[*].name}"))
                .isEqualTo("side web");
        assertThat(ok("patch", "deployment", "web", "-n", ns, "-p", sidecar))
                .isEqualTo("deployment.apps/web patched (no change)");

        ok("patch", "deployment", "web", "-n", ns, "--type", "merge", "-p", sidecar);
        assertThat(jsonPath("deployment/web", "{.spec.template.spec.containers[*].name}"))
                .isEqualTo("side");
    }

    @Test
    void dryRunServerChangesNothingOnAnyVerb() {
        okWithInput(deployment("nginx:1", true), "create", "-n", ns, "-f", "-");
        ok("create", "configmap", "c1", "-n", ns, "--from-literal=a=b");
        String deploymentBefore = ok("get", "deployment", "web", "-n", ns, "-o", "json");
        String configMapBefore = ok("get", "configmap", "c1", "-n", ns, "-o", "json");

        assertThat(ok("delete", "configmap", "c1", "-n", ns, "--dry-run=server"))
                .isEqualTo("configmap \"c1\" deleted (server dry run)");
        assertThat(ok("delete", "deployment", "web", "-n", ns, "--dry-run=server"))
                .isEqualTo("deployment.apps \"web\" deleted (server dry run)");
        assertThat(ok("label", "configmap", "c1", "-n", ns, "x=y", "--dry-run=server"))
                .isEqualTo("configmap/c1 labeled (server dry run)");
        assertThat(ok("scale", "deployment", "web", "-n", ns, "--replicas=7", "--dry-run=server"))
                .isEqualTo("deployment.apps/web scaled (server dry run)");
        ok("patch", "deployment", "web", "-n", ns, "--dry-run=server", "-p", "{\"spec\":{\"replicas\":9}}");
        String replaced = deploymentBefore.replace("\"image\": \"nginx:1\"", "\"image\": \"nginx:9\"");
        assertThat(okWithInput(replaced, "replace", "-n", ns, "--dry-run=server", "-f", "-"))
                .isEqualTo("deployment.apps/web replaced (server dry run)");

        assertThat(ok("get", "deployment", "web", "-n", ns, "-o", "json")).isEqualTo(deploymentBefore);
        assertThat(ok("get", "configmap", "c1", "-n", ns, "-o", "json")).isEqualTo(configMapBefore);
    }

    @Test
    void editWithAnEditorScriptChangesTheObject() throws IOException {
        okWithInput(deployment("nginx:1", true), "create", "-n", ns, "-f", "-");
        Path editor = Files.writeString(dir.resolve("editor.sh"), "#!/bin/sh\nsed -i 's/nginx:1/nginx:3/' \"$1\"\n");
        Files.setPosixFilePermissions(editor, PosixFilePermissions.fromString("rwx------"));

        Kubectl.Result edited = kubectl.runWithEnv(
                java.util.Map.of("KUBE_EDITOR", editor.toString()), "edit", "deployment", "web", "-n", ns);
        assertThat(edited.exitCode()).as(edited.out()).isZero();
        assertThat(edited.out().strip()).isEqualTo("deployment.apps/web edited");
        assertThat(jsonPath("deployment/web", "{.spec.template.spec.containers[0].image}"))
                .isEqualTo("nginx:3");
    }

    @Test
    void aNamespaceWithAFinalizedObjectStaysTerminatingUntilTheFinalizerIsRemoved() {
        ok("create", "configmap", "held", "-n", ns);
        ok("patch", "configmap", "held", "-n", ns, "-p", "{\"metadata\":{\"finalizers\":[\"example.com/hold\"]}}");

        assertThat(ok("delete", "namespace", ns, "--wait=false")).isEqualTo("namespace \"" + ns + "\" deleted");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(jsonPath("configmap/held", "{.metadata.deletionTimestamp}"))
                        .isNotEmpty());
        assertThat(ok("get", "namespace", ns, "-o", "jsonpath={.status.phase}")).isEqualTo("Terminating");

        ok(
                "patch",
                "configmap",
                "held",
                "-n",
                ns,
                "--type",
                "json",
                "-p",
                "[{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}]");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Kubectl.Result result = kubectl.run("get", "namespace", ns);
            assertThat(result.out()).contains("NotFound");
        });
    }
}
