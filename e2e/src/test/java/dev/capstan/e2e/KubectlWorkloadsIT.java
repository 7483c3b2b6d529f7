package dev.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.capstan.api.Kubectl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unmodified kubectl against {@code ./capstan up --simulated-nodes 3}: the workload verbs a user types, as the
 * scheduler, the controller manager and the simulated nodes answer them.
 */
class KubectlWorkloadsIT {
    @TempDir
    static Path tmp;

    private static Cluster cluster;
    private static Kubectl kubectl;

    @BeforeAll
    static void up() throws Exception {
        Kubectl.require();
        cluster = Cluster.up(tmp, "--simulated-nodes", "3");
        kubectl = new Kubectl(cluster.kubeconfig());
        await().atMost(Duration.ofSeconds(60))
                .until(() -> ok("get", "nodes", "-l", "type=simulated", "-o", "name")
                                .lines()
                                .count()
                        == 3);
    }

    @AfterAll
    static void down() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String ok(String... args) {
        Kubectl.Result result = kubectl.run(args);
        assertThat(result.exitCode())
                .as("kubectl %s: %s", String.join(" ", args), result.out())
                .isZero();
        return result.out();
    }

    private static void createNamespace(String ns) {
        ok("create", "namespace", ns);
    }

    /** The pods' names and nodes of app=web, as `get pods -o wide` shows them (NODE is column 7). */
    private static List<String[]> podsWide(String ns, String app) {
        return ok("get", "pods", "-n", ns, "-l", "app=" + app, "-o", "wide", "--no-headers")
                .lines()
                .map(line -> line.trim().split("\\s+"))
                .toList();
    }

    @Test
    void createScaleRolloutUndoRestartAndDelete() {
        String ns = "kubectl-workloads";
        createNamespace(ns);
        ok("create", "deployment", "web", "-n", ns, "--image=busybox:1.36", "--replicas=3");
        ok("rollout", "status", "deployment/web", "-n", ns, "--timeout=90s");

        // get pods -o wide shows each pod Running on a node; the three spread over the three nodes (default topology
        // spreading: request-less pods tie on every resource score)
        List<String[]> pods = podsWide(ns, "web");
        assertThat(pods).hasSize(3);
        assertThat(pods).allSatisfy(p -> assertThat(p[2]).isEqualTo("Running"));
        Set<String> nodes = pods.stream().map(p -> p[6]).collect(Collectors.toSet());
        assertThat(nodes).allSatisfy(n -> assertThat(n).startsWith("sim-node-"));
        assertThat(nodes).hasSize(3);

        ok("scale", "deployment/web", "-n", ns, "--replicas=5");
        ok("rollout", "status", "deployment/web", "-n", ns, "--timeout=90s");
        assertThat(podsWide(ns, "web")).hasSize(5);

        ok("set", "image", "deployment/web", "-n", ns, "busybox=busybox:1.37");
        ok("rollout", "status", "deployment/web", "-n", ns, "--timeout=90s");
        assertThat(ok("get", "pods", "-n", ns, "-l", "app=web", "-o", "jsonpath={.items[*].spec.containers[0].image}"))
                .isEqualTo(String.join(" ", java.util.Collections.nCopies(5, "busybox:1.37")));
        String history = ok("rollout", "history", "deployment/web", "-n", ns);
        assertThat(history).contains("REVISION").containsPattern("(?m)^1\\s").containsPattern("(?m)^2\\s");

        ok("rollout", "undo", "deployment/web", "-n", ns);
        ok("rollout", "status", "deployment/web", "-n", ns, "--timeout=90s");
        assertThat(ok("get", "deployment", "web", "-n", ns, "-o", "jsonpath={.spec.template.spec.containers[0].image}"))
                .isEqualTo("busybox:1.36");
        assertThat(ok(
                        "get",
                        "deployment",
                        "web",
                        "-n",
                        ns,
                        "-o",
                        "jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}"))
                .isEqualTo("3");

        ok("rollout", "restart", "deployment/web", "-n", ns);
        ok("rollout", "status", "deployment/web", "-n", ns, "--timeout=90s");
        assertThat(ok("get", "rs", "-n", ns, "-o", "name").lines().count()).isEqualTo(3);

        String describe = ok("describe", "deployment", "web", "-n", ns);
        assertThat(describe).contains("ScalingReplicaSet").contains("Scaled up replica set web-");

        ok("delete", "deployment", "web", "-n", ns);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> ok("get", "pods,rs", "-n", ns, "-o", "name").isBlank());
    }

    @Test
    void deletingANamespaceRemovesItsWorkloadsAndThenTheNamespace() {
        String ns = "kubectl-ns-delete";
        createNamespace(ns);
        ok("create", "deployment", "web", "-n", ns, "--image=busybox:1.36", "--replicas=2");
        ok("rollout", "status", "deployment/web", "-n", ns, "--timeout=90s");
        // The namespace controller of the controller manager empties it; the API server alone no longer does.
        ok("delete", "namespace", ns, "--timeout=90s");
        assertThat(kubectl.run("get", "namespace", ns).out()).contains("NotFound");
        assertThat(ok("get", "serviceaccounts", "-A", "-o", "name")).doesNotContain(ns);
    }

    @Test
    void everyNamespaceGetsItsDefaultServiceAccount() {
        String ns = "kubectl-sa";
        createNamespace(ns);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> kubectl.run("get", "serviceaccount", "default", "-n", ns)
                                .exitCode()
                        == 0);
    }

    @Test
    void pauseAndResumeHoldTheRollout() {
        String ns = "kubectl-pause";
        createNamespace(ns);
        ok("create", "deployment", "web", "-n", ns, "--image=busybox:1.36", "--replicas=2");
        ok("rollout", "status", "deployment/web", "-n", ns, "--timeout=90s");
        ok("rollout", "pause", "deployment/web", "-n", ns);
        ok("set", "image", "deployment/web", "-n", ns, "busybox=busybox:1.37");
        // Paused: no new ReplicaSet however long we wait for the controller's next passes
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(5))
                .until(() -> ok("get", "rs", "-n", ns, "-o", "name").lines().count() == 1);
        ok("rollout", "resume", "deployment/web", "-n", ns);
        ok("rollout", "status", "deployment/web", "-n", ns, "--timeout=90s");
        assertThat(ok("get", "rs", "-n", ns, "-o", "name").lines().count()).isEqualTo(2);
    }

    @Test
    void cordonedNodesGetNoNewPods() {
        String ns = "kubectl-cordon";
        createNamespace(ns);
        String cordoned = "sim-node-0000";
        ok("cordon", cordoned);
        try {
            ok("create", "deployment", "spread", "-n", ns, "--image=busybox:1.36", "--replicas=6");
            ok("rollout", "status", "deployment/spread", "-n", ns, "--timeout=90s");
            assertThat(podsWide(ns, "spread"))
                    .hasSize(6)
                    .noneSatisfy(p -> assertThat(p[6]).isEqualTo(cordoned));
        } finally {
            ok("uncordon", cordoned);
        }
    }

    @Test
    void drainEvictsThePodsAndTheyComeBackElsewhere() {
        String ns = "kubectl-drain";
        createNamespace(ns);
        ok("create", "deployment", "drained", "-n", ns, "--image=busybox:1.36", "--replicas=3");
        ok("rollout", "status", "deployment/drained", "-n", ns, "--timeout=90s");
        String node = podsWide(ns, "drained").get(0)[6];
        try {
            // only this test's pods: other tests' pods may share the node
            String out = ok("drain", node, "--pod-selector=app=drained", "--ignore-daemonsets", "--timeout=60s");
            assertThat(out).contains("evicted").contains("node/" + node + " drained");
            ok("rollout", "status", "deployment/drained", "-n", ns, "--timeout=90s");
            assertThat(podsWide(ns, "drained"))
                    .hasSize(3)
                    .allSatisfy(p -> assertThat(p[2]).isEqualTo("Running"))
                    .noneSatisfy(p -> assertThat(p[6]).isEqualTo(node));
            assertThat(ok("get", "node", node, "-o", "jsonpath={.spec.unschedulable}"))
                    .isEqualTo("true");
        } finally {
            ok("uncordon", node);
        }
    }

    @Test
    void aPodTooLargeForAnyNodeSaysWhy() {
        String ns = "kubectl-too-large";
        createNamespace(ns);
        ok(
                "run",
                "huge",
                "-n",
                ns,
                "--image=busybox:1.36",
                "--overrides",
                "{\"spec\":{\"containers\":[{\"name\":\"huge\",\"image\":\"busybox:1.36\","
                        + "\"resources\":{\"requests\":{\"cpu\":\"1000\"}}}]}}");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> ok("describe", "pod", "huge", "-n", ns).contains("FailedScheduling"));
        String describe = ok("describe", "pod", "huge", "-n", ns);
        assertThat(describe)
                .contains("0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: "
                        + "3 No preemption victims found for incoming pod.");
        assertThat(ok(
                        "get",
                        "pod",
                        "huge",
                        "-n",
                        ns,
                        "-o",
                        "jsonpath={.status.conditions[?(@.type==\"PodScheduled\")].reason}"))
                .isEqualTo("Unschedulable");
        assertThat(ok("get", "pod", "huge", "-n", ns, "-o", "jsonpath={.spec.nodeName}"))
                .isEmpty();
    }
}
