package dev.capstan.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.api.http.ApiServer;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Unmodified kubectl (1.32 on these machines) against Capstan, with its default server-side validation. */
@QuarkusTest
class KubectlTest {
    @Inject
    ApiServer server;

    private Kubectl kubectl;
    private String ns;

    @BeforeEach
    void setUp() {
        Kubectl.require();
        kubectl = new Kubectl(server.kubeconfig());
        ns = TestApi.namespace(server);
    }

    private static String deployment(String name, int replicas, String image) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: %s
                spec:
                  replicas: %d
                  selector:
                    matchLabels:
                      app: %s
                  template:
                    metadata:
                      labels:
                        app: %s
                    spec:
                      containers:
                      - name: web
                        image: %s
                """.formatted(name, replicas, name, name, image);
    }

    @Test
    void versionAndApiResources() {
        Kubectl.Result version = kubectl.run("version", "-o", "json");
        assertThat(version.exitCode()).as(version.out()).isZero();
        assertThat(version.out()).contains("\"minor\": \"32\"");

        Kubectl.Result resources = kubectl.run("api-resources");
        assertThat(resources.exitCode()).as(resources.out()).isZero();
        assertThat(resources.out()).containsPattern("deployments\\s+deploy\\s+apps/v1\\s+true\\s+Deployment");
        assertThat(resources.out()).containsPattern("namespaces\\s+ns\\s+v1\\s+false\\s+Namespace");
    }

    @Test
    void createGetLabelScaleDelete() {
        Kubectl.Result created = kubectl.runWithInput(deployment("web", 1, "nginx:1"), "create", "-n", ns, "-f", "-");
        assertThat(created.out()).as(created.out()).contains("deployment.apps/web created");

        Kubectl.Result get = kubectl.run("get", "deployments", "-n", ns, "-o", "wide");
        assertThat(get.exitCode()).as(get.out()).isZero();
        assertThat(get.out().lines().findFirst().orElseThrow())
                .containsPattern("NAME\\s+READY\\s+UP-TO-DATE\\s+AVAILABLE\\s+AGE\\s+CONTAINERS\\s+IMAGES\\s+SELECTOR");
        assertThat(get.out()).containsPattern("web\\s+0/1\\s+0\\s+0\\s+\\S+\\s+web\\s+nginx:1\\s+app=web");

        assertThat(kubectl.run("label", "deployment", "web", "-n", ns, "team=a").out())
                .contains("deployment.apps/web labeled");
        assertThat(kubectl.run("get", "deployment", "web", "-n", ns, "-o", "jsonpath={.metadata.labels.team}")
                        .out())
                .isEqualTo("a");

        assertThat(kubectl.run("scale", "deployment", "web", "-n", ns, "--replicas=3")
                        .out())
                .contains("deployment.apps/web scaled");
        assertThat(kubectl.run("scale", "deployment", "web", "-n", ns, "--current-replicas=3", "--replicas=2")
                        .out())
                .contains("deployment.apps/web scaled");
        assertThat(kubectl.run("get", "deployment", "web", "-n", ns, "-o", "jsonpath={.spec.replicas}")
                        .out())
                .isEqualTo("2");

        assertThat(kubectl.run("delete", "deployment", "web", "-n", ns).out())
                .contains("deployment.apps \"web\" deleted");
        Kubectl.Result gone = kubectl.run("get", "deployment", "web", "-n", ns);
        assertThat(gone.exitCode()).isNotZero();
        assertThat(gone.out()).contains("NotFound").contains("deployments.apps \"web\" not found");
    }

    @Test
    void applyTwiceIsUnchangedTheSecondTime() {
        String manifest = deployment("applied", 2, "nginx:1");
        Kubectl.Result first = kubectl.runWithInput(manifest, "apply", "-n", ns, "-f", "-");
        assertThat(first.out()).as(first.out()).contains("deployment.apps/applied created");
        Kubectl.Result second = kubectl.runWithInput(manifest, "apply", "-n", ns, "-f", "-");
        assertThat(second.out()).as(second.out()).contains("deployment.apps/applied unchanged");
    }

    @Test
    void aListManifestIsValidatedAgainstOpenApiV2AndApplied() {
        // what 'kubectl get -o yaml' prints for several objects: kubectl validates its items against /openapi/v2
        String list = """
                apiVersion: v1
                kind: List
                items:
                - apiVersion: v1
                  kind: ConfigMap
                  metadata:
                    name: listed-a
                  data:
                    k: a
                - apiVersion: v1
                  kind: ConfigMap
                  metadata:
                    name: listed-b
                  data:
                    k: b
                """;
        Kubectl.Result applied = kubectl.runWithInput(list, "apply", "-n", ns, "-f", "-");
        assertThat(applied.exitCode()).as(applied.out()).isZero();
        assertThat(applied.out()).contains("configmap/listed-a created").contains("configmap/listed-b created");
        Kubectl.Result again = kubectl.runWithInput(list, "apply", "-n", ns, "-f", "-");
        assertThat(again.out()).as(again.out()).contains("configmap/listed-b unchanged");
        // the schema reached kubectl: an unknown field of an item is caught before anything is sent
        Kubectl.Result typo = kubectl.runWithInput(
                list.replace("name: listed-b", "name: listed-c").replace("  data:\n    k: b", "  dta:\n    k: b"),
                "create",
                "-n",
                ns,
                "-f",
                "-");
        assertThat(typo.exitCode()).isNotZero();
        assertThat(typo.out()).contains("unknown field \"dta\"");
        assertThat(kubectl.run("get", "configmap", "listed-c", "-n", ns).exitCode())
                .isNotZero();
    }

    @Test
    void unknownFieldsAreRejectedByServerSideValidation() {
        String typo = deployment("typo", 1, "nginx").replace("  replicas: 1", "  replicaz: 1");
        Kubectl.Result result = kubectl.runWithInput(typo, "create", "-n", ns, "-f", "-");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.out()).contains("strict decoding error: unknown field \"spec.replicaz\"");
        assertThat(kubectl.run("get", "deployment", "typo", "-n", ns).exitCode())
                .isNotZero();
    }

    @Test
    void aPatchWithAnUnknownFieldIsWarnedAboutAsUpstreamDoes() {
        assertThat(kubectl.runWithInput(deployment("patched", 1, "nginx"), "create", "-n", ns, "-f", "-")
                        .exitCode())
                .isZero();
        // kubectl patch sends no fieldValidation, so the server's default applies: warn and go on.
        Kubectl.Result patch = kubectl.run(
                "patch", "deployment", "patched", "-n", ns, "--type=merge", "-p", "{\"spec\":{\"replicaz\":3}}");
        assertThat(patch.exitCode()).as(patch.out()).isZero();
        assertThat(patch.out()).contains("Warning: unknown field \"spec.replicaz\"");
        assertThat(kubectl.run("get", "deployment", "patched", "-n", ns, "-o", "jsonpath={.spec.replicas}")
                        .out())
                .isEqualTo("1");
    }

    @Test
    void anUnknownFieldUnderWarnIsDroppedSoThePatchChangesNothing() {
        assertThat(kubectl.runWithInput(deployment("dropped", 1, "nginx"), "create", "-n", ns, "-f", "-")
                        .exitCode())
                .isZero();
        Kubectl.Result patch = kubectl.run(
                "patch", "deployment", "dropped", "-n", ns, "--type=merge", "-p", "{\"spec\":{\"replicaz\":3}}");
        assertThat(patch.exitCode()).as(patch.out()).isZero();
        // upstream drops the field on decoding, so the update is a no-op
        assertThat(patch.out())
                .contains("Warning: unknown field \"spec.replicaz\"")
                .contains("deployment.apps/dropped patched (no change)");
    }

    @Test
    void applyWithValidateWarnWarnsAndStoresNoUnknownField() {
        String manifest = """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: warned
                dta:
                  a: "1"
                data:
                  a: "1"
                """;
        Kubectl.Result first = kubectl.runWithInput(manifest, "apply", "--validate=warn", "-n", ns, "-f", "-");
        assertThat(first.exitCode()).as(first.out()).isZero();
        assertThat(first.out()).contains("Warning: unknown field \"dta\"").contains("configmap/warned created");
        assertThat(kubectl.run("get", "configmap", "warned", "-n", ns, "-o", "json")
                        .out())
                .doesNotContain("\"dta\"");
        // the last-applied configuration still names dta, which the live object lacks: kubectl patches it again
        Kubectl.Result second = kubectl.runWithInput(manifest, "apply", "--validate=warn", "-n", ns, "-f", "-");
        assertThat(second.exitCode()).as(second.out()).isZero();
        assertThat(second.out()).contains("Warning: unknown field \"dta\"").contains("configmap/warned configured");
    }

    @Test
    void aWronglyTypedManifestIsRefusedWithUpstreamsMessage() {
        String manifest = deployment("typed", 1, "nginx").replace("replicas: 1", "replicas: three");
        Kubectl.Result result = kubectl.runWithInput(manifest, "create", "--validate=false", "-n", ns, "-f", "-");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.out())
                .contains("Deployment in version \"v1\" cannot be handled as a Deployment: json: cannot unmarshal"
                        + " string into Go struct field DeploymentSpec.spec.replicas of type int32");
    }

    @Test
    void explainReadsTheServedOpenApi() {
        Kubectl.Result explain = kubectl.run("explain", "deployment.spec.template.spec.containers");
        assertThat(explain.exitCode()).as(explain.out()).isZero();
        assertThat(explain.out()).contains("KIND:").contains("Deployment").contains("image");
    }

    @Test
    void createSubcommandsSendProtobufBodies() {
        assertThat(kubectl.run("create", "configmap", "cfg", "-n", ns, "--from-literal=a=b")
                        .out())
                .contains("configmap/cfg created");
        assertThat(kubectl.run("get", "configmap", "cfg", "-n", ns, "-o", "jsonpath={.data.a}")
                        .out())
                .isEqualTo("b");
        assertThat(kubectl.run("create", "secret", "generic", "sec", "-n", ns, "--from-literal=p=s3cret")
                        .out())
                .contains("secret/sec created");
        assertThat(kubectl.run("get", "secret", "sec", "-n", ns, "-o", "jsonpath={.data.p}")
                        .out())
                .isEqualTo("czNjcmV0");
        assertThat(kubectl.run("create", "deployment", "made", "-n", ns, "--image=nginx", "--replicas=2")
                        .out())
                .contains("deployment.apps/made created");
        assertThat(kubectl.run("get", "deployment", "made", "-n", ns, "-o", "jsonpath={.spec.replicas}")
                        .out())
                .isEqualTo("2");
        assertThat(kubectl.run("create", "job", "once", "-n", ns, "--image=busybox")
                        .out())
                .contains("job.batch/once created");
        String name = TestApi.randomName("pbns");
        assertThat(kubectl.run("create", "namespace", name).out()).contains("namespace/" + name + " created");
    }

    @Test
    void replaceWithAStaleObjectIsAConflict() {
        kubectl.runWithInput(deployment("stale", 1, "nginx:1"), "create", "-n", ns, "-f", "-");
        String old = kubectl.run("get", "deployment", "stale", "-n", ns, "-o", "yaml")
                .out();
        kubectl.run("label", "deployment", "stale", "-n", ns, "changed=yes");
        Kubectl.Result replaced = kubectl.runWithInput(old, "replace", "-f", "-");
        assertThat(replaced.exitCode()).isNotZero();
        assertThat(replaced.out()).contains("the object has been modified");
    }

    @Test
    void getWatchPrintsChanges() throws Exception {
        kubectl.runWithInput(deployment("watched", 1, "nginx:1"), "create", "-n", ns, "-f", "-");
        Process watch = kubectl.start("get", "deployments", "-n", ns, "-w");
        List<String> lines = new ArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (var in = new BufferedReader(new InputStreamReader(watch.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                }
            } catch (java.io.IOException e) {
                // ends with the process
            }
        });
        try {
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> {
                        synchronized (lines) {
                            return lines.size() >= 2;
                        }
                    });
            kubectl.run("scale", "deployment", "watched", "-n", ns, "--replicas=5");
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> {
                        synchronized (lines) {
                            return lines.size() >= 3;
                        }
                    });
        } finally {
            watch.destroy();
            watch.waitFor(10, TimeUnit.SECONDS);
            reader.join();
        }
        assertThat(lines.get(0)).containsPattern("NAME\\s+READY\\s+UP-TO-DATE\\s+AVAILABLE\\s+AGE");
        assertThat(lines.get(1)).startsWith("watched");
        assertThat(lines.get(2)).startsWith("watched");
    }

    @Test
    void debugSaysEphemeralContainersAreNotServedInsteadOfCrashing() {
        Kubectl.Result run = kubectl.run("run", "target", "-n", ns, "--image=busybox:1.36", "--", "sleep", "3600");
        assertThat(run.exitCode()).as(run.out()).isZero();

        Kubectl.Result debug = kubectl.run("debug", "target", "-n", ns, "--image=busybox:1.36", "--", "true");

        // kubectl's own wording for a server without the pods/ephemeralcontainers subresource
        assertThat(debug.exitCode()).as(debug.out()).isNotZero();
        assertThat(debug.out())
                .contains("ephemeral containers are disabled for this cluster")
                .doesNotContain("panic");
        Kubectl.Result spec =
                kubectl.run("get", "pod", "target", "-n", ns, "-o", "jsonpath={.spec.ephemeralContainers}");
        assertThat(spec.out()).isEmpty();
    }
}
