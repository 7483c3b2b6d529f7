package dev.capstan.controllers.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.capstan.client.Kinds;
import dev.capstan.client.ListOptions;
import dev.capstan.client.fake.FakeApiClient;
import dev.capstan.client.informer.InformerFactory;
import dev.capstan.client.workqueue.Result;
import dev.capstan.client.workqueue.WorkQueue;
import dev.capstan.controllers.ControllerContext;
import dev.capstan.model.meta.ObjectKey;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NodeLifecycleControllerTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final FakeApiClient api = new FakeApiClient(clock);
    private final InformerFactory informers = new InformerFactory(api, Duration.ZERO);
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final WorkQueue<ObjectKey> queue = WorkQueue.create(NodeLifecycleController.NAME);
    private NodeLifecycleController controller;

    @BeforeEach
    void start() throws InterruptedException {
        var ctx = new ControllerContext(
                api,
                informers,
                (HasMetadata regarding, String type, String reason, String message) ->
                        events.add(regarding.getMetadata().getName() + " " + type + " " + reason + ": " + message),
                clock);
        controller = new NodeLifecycleController(ctx, queue);
        informers.start();
        assertThat(informers.waitForSync(Duration.ofSeconds(5))).isTrue();
    }

    @AfterEach
    void stop() {
        queue.shutDown();
        informers.close();
    }

    // ---- the world ----

    private void kubeletPosts(String name, String ready) {
        String now = NodeHealth.time(clock.instant());
        List<NodeCondition> conditions = new ArrayList<>();
        for (String type : List.of("MemoryPressure", "DiskPressure", "PIDPressure", "Ready")) {
            String status = type.equals("Ready") ? ready : "False";
            conditions.add(new io.fabric8.kubernetes.api.model.NodeConditionBuilder()
                    .withType(type)
                    .withStatus(status)
                    .withReason(
                            type.equals("Ready") ? ("True".equals(ready) ? "KubeletReady" : "KubeletNotReady") : "Fine")
                    .withMessage("kubelet says so")
                    .withLastHeartbeatTime(now)
                    .withLastTransitionTime(now)
                    .build());
        }
        var nodes = api.resources(Kinds.NODES);
        Node node = nodes.get("", name).orElse(null);
        if (node == null) {
            nodes.create(new NodeBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .endMetadata()
                    .withNewSpec()
                    .endSpec()
                    .withNewStatus()
                    .withConditions(conditions)
                    .endStatus()
                    .build());
            return;
        }
        for (NodeCondition c : conditions) {
            NodeCondition old = NodeHealth.condition(node, c.getType());
            if (old != null && Objects.equals(old.getStatus(), c.getStatus())) {
                c.setLastTransitionTime(old.getLastTransitionTime());
            }
        }
        node.getStatus().setConditions(conditions);
        nodes.updateStatus(node);
    }

    private void renewLease(String name) {
        var leases = api.resources(NodeLifecycleController.NODE_LEASES);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("holderIdentity", name);
        spec.put("leaseDurationSeconds", 40);
        spec.put("renewTime", clock.instant().toString());
        GenericKubernetesResource lease = leases.get("kube-node-lease", name).orElse(null);
        if (lease == null) {
            lease = new GenericKubernetesResource();
            lease.setApiVersion("coordination.k8s.io/v1");
            lease.setKind("Lease");
            lease.setMetadata(new ObjectMetaBuilder()
                    .withName(name)
                    .withNamespace("kube-node-lease")
                    .build());
            lease.setAdditionalProperty("spec", spec);
            leases.create(lease);
        } else {
            lease.setAdditionalProperty("spec", spec);
            leases.update(lease);
        }
    }

    private void createPod(String name, String node, Toleration... tolerations) {
        api.resources(Kinds.PODS)
                .create(new PodBuilder()
                        .withNewMetadata()
                        .withNamespace("default")
                        .withName(name)
                        .endMetadata()
                        .withNewSpec()
                        .withNodeName(node)
                        .withTolerations(tolerations)
                        .addNewContainer()
                        .withName("c")
                        .withImage("nginx")
                        .endContainer()
                        .endSpec()
                        .withNewStatus()
                        .withPhase("Running")
                        .addNewCondition()
                        .withType("Ready")
                        .withStatus("True")
                        .endCondition()
                        .endStatus()
                        .build());
    }

    /** Waits until the informers hold what the fake holds, so that reconcile reads the latest state. */
    private void caughtUp() {
        await().atMost(Duration.ofSeconds(5))
                .until(() -> sameAsCache(Kinds.NODES.kind()) && sameAsCache(Kinds.PODS.kind()) && sameAsCache("Lease"));
    }

    private boolean sameAsCache(String kind) {
        List<? extends HasMetadata> stored;
        List<? extends HasMetadata> cached;
        switch (kind) {
            case "Node" -> {
                stored = api.resources(Kinds.NODES).list("", ListOptions.ALL).items();
                cached = informers.informer(Kinds.NODES).cache().list();
            }
            case "Pod" -> {
                stored = api.resources(Kinds.PODS).list("", ListOptions.ALL).items();
                cached = informers.informer(Kinds.PODS).cache().list();
            }
            default -> {
                stored = api.resources(NodeLifecycleController.NODE_LEASES)
                        .list("kube-node-lease", ListOptions.ALL)
                        .items();
                cached = informers
                        .informer(NodeLifecycleController.NODE_LEASES, "kube-node-lease", ListOptions.ALL)
                        .cache()
                        .list();
            }
        }
        if (stored.size() != cached.size()) {
            return false;
        }
        Map<String, String> versions = new LinkedHashMap<>();
        cached.forEach(
                o -> versions.put(o.getMetadata().getName(), o.getMetadata().getResourceVersion()));
        return stored.stream()
                .allMatch(o -> o.getMetadata()
                        .getResourceVersion()
                        .equals(versions.get(o.getMetadata().getName())));
    }

    private Result reconcileNode(String name) {
        caughtUp();
        return controller.reconcile(ObjectKey.clusterScoped(name));
    }

    private Result reconcilePod(String name) {
        caughtUp();
        return controller.reconcile(new ObjectKey("default", name));
    }

    private Node node(String name) {
        return api.resources(Kinds.NODES).get("", name).orElseThrow();
    }

    private List<String> taints(String name) {
        List<Taint> taints = node(name).getSpec().getTaints();
        return taints == null
                ? List.of()
                : taints.stream().map(t -> t.getKey() + ":" + t.getEffect()).toList();
    }

    private String ready(String name) {
        return NodeHealth.condition(node(name), "Ready").getStatus();
    }

    /** Both nodes' kubelets alive for {@code seconds}, posting leases every 10 s; only "alive" ones post. */
    private void time(int seconds, String... alive) {
        for (int s = 0; s < seconds; s += 10) {
            clock.advance(Duration.ofSeconds(Math.min(10, seconds - s)));
            for (String name : alive) {
                renewLease(name);
            }
        }
    }

    private static ObjectKey podKey(String name) {
        return new ObjectKey("default", name);
    }

    // ---- the tests ----

    @Test
    void nodesThatRenewTheirLeaseStayUntouched() {
        kubeletPosts("a", "True");
        renewLease("a");
        kubeletPosts("b", "True");
        renewLease("b");
        reconcileNode("a");
        time(120, "a", "b");

        Result result = reconcileNode("a");

        assertThat(result).isEqualTo(Result.requeueAfter(Duration.ofSeconds(5)));
        assertThat(ready("a")).isEqualTo("True");
        assertThat(taints("a")).isEmpty();
        assertThat(api.actions("updateStatus", "nodes")).isEmpty();
        assertThat(events).containsExactly("a Normal RegisteredNode: Node a event: Registered Node a in Controller");
    }

    @Test
    void aNodeWhoseLeaseStopsBecomesUnknownIsTaintedAndItsPodsAreEvictedAfterTheDefaultToleration() {
        kubeletPosts("a", "True");
        renewLease("a");
        kubeletPosts("b", "True");
        renewLease("b");
        createPod("web", "b");
        reconcileNode("a");
        reconcileNode("b");
        time(40, "a");
        reconcileNode("b");
        assertThat(ready("b")).as("not yet past the 40 s grace period").isEqualTo("True");

        time(10, "a");
        reconcileNode("b");

        NodeCondition readyB = NodeHealth.condition(node("b"), "Ready");
        assertThat(readyB.getStatus()).isEqualTo("Unknown");
        assertThat(readyB.getReason()).isEqualTo("NodeStatusUnknown");
        assertThat(readyB.getMessage()).isEqualTo("Kubelet stopped posting node status.");
        assertThat(NodeHealth.condition(node("b"), "MemoryPressure").getStatus())
                .isEqualTo("Unknown");
        assertThat(taints("b")).containsExactly("node.kubernetes.io/unreachable:NoSchedule");
        assertThat(events)
                .contains(
                        "b Normal NodeNotReady: Node b status is now: NodeNotReady",
                        "web Warning NodeNotReady: Node is not ready");
        Pod web = api.resources(Kinds.PODS).get("default", "web").orElseThrow();
        assertThat(web.getStatus().getConditions())
                .anySatisfy(c -> assertThat(c.getType() + "=" + c.getStatus()).isEqualTo("Ready=False"));

        time(5, "a");
        reconcileNode("b");
        assertThat(taints("b"))
                .containsExactlyInAnyOrder(
                        "node.kubernetes.io/unreachable:NoSchedule", "node.kubernetes.io/unreachable:NoExecute");
        assertThat(node("b").getSpec().getTaints())
                .filteredOn(t -> t.getEffect().equals("NoExecute"))
                .singleElement()
                .satisfies(t -> assertThat(t.getTimeAdded()).isEqualTo(NodeHealth.time(clock.instant())));
        Instant tainted = clock.instant();

        assertThat(reconcilePod("web")).isEqualTo(Result.requeueAfter(Duration.ofSeconds(300)));
        assertThat(controller.scheduledEviction(podKey("web"))).contains(tainted.plusSeconds(300));

        time(299, "a");
        assertThat(reconcilePod("web")).isEqualTo(Result.requeueAfter(Duration.ofSeconds(1)));
        assertThat(api.resources(Kinds.PODS).get("default", "web")).isPresent();

        time(1, "a");
        assertThat(reconcilePod("web")).isEqualTo(Result.DONE);
        assertThat(events).contains("web Normal TaintManagerEviction: Marking for deletion Pod default/web");
        assertThat(api.resources(Kinds.PODS).get("default", "web")).isEmpty();
    }

    @Test
    void podsEvictAtOnceWithoutAToleranceAndNeverWithOneWithoutSeconds() {
        kubeletPosts("a", "True");
        renewLease("a");
        kubeletPosts("b", "True");
        renewLease("b");
        createPod("plain", "b");
        createPod("short", "b", toleration(30L));
        createPod("forever", "b", toleration(null));
        Node b = node("b");
        b.getSpec()
                .setTaints(List.of(new io.fabric8.kubernetes.api.model.TaintBuilder()
                        .withKey("example.com/drain")
                        .withEffect("NoExecute")
                        .build()));
        api.resources(Kinds.NODES).update(b);

        reconcilePod("plain");
        assertThat(api.resources(Kinds.PODS).get("default", "plain")).isEmpty();
        assertThat(reconcilePod("short")).isEqualTo(Result.DONE);
        assertThat(api.resources(Kinds.PODS).get("default", "short"))
                .as("short tolerates only unreachable")
                .isEmpty();

        Node again = node("b");
        again.getSpec().setTaints(List.of());
        api.resources(Kinds.NODES).update(again);
        reconcileNode("a");
        reconcileNode("b");
        time(60, "a");
        reconcileNode("b");
        time(5, "a");
        reconcileNode("b");
        assertThat(taints("b")).contains("node.kubernetes.io/unreachable:NoExecute");

        assertThat(reconcilePod("forever")).isEqualTo(Result.DONE);
        assertThat(controller.scheduledEviction(podKey("forever"))).isEmpty();
        time(3600, "a");
        reconcilePod("forever");
        assertThat(api.resources(Kinds.PODS).get("default", "forever")).isPresent();
    }

    private static Toleration toleration(Long seconds) {
        return new io.fabric8.kubernetes.api.model.TolerationBuilder()
                .withKey("node.kubernetes.io/unreachable")
                .withOperator("Exists")
                .withEffect("NoExecute")
                .withTolerationSeconds(seconds)
                .build();
    }

    @Test
    void aNodeThatComesBackLosesItsTaintsAndItsPodsTheirScheduledEviction() {
        kubeletPosts("a", "True");
        renewLease("a");
        kubeletPosts("b", "True");
        renewLease("b");
        createPod("web", "b");
        reconcileNode("a");
        reconcileNode("b");
        time(60, "a");
        reconcileNode("b");
        time(5, "a");
        reconcileNode("b");
        reconcilePod("web");
        assertThat(controller.scheduledEviction(podKey("web"))).isPresent();

        renewLease("b");
        kubeletPosts("b", "True");
        reconcileNode("b");
        assertThat(taints("b")).isEmpty();
        assertThat(ready("b")).isEqualTo("True");

        reconcilePod("web");
        assertThat(controller.scheduledEviction(podKey("web"))).isEmpty();
        assertThat(events).contains("web Normal TaintManagerEviction: Cancelling deletion of Pod default/web");
        assertThat(api.resources(Kinds.PODS).get("default", "web")).isPresent();
    }

    @Test
    void aNotReadyNodeGetsTheNotReadyTaints() {
        kubeletPosts("a", "True");
        renewLease("a");
        kubeletPosts("b", "True");
        renewLease("b");
        reconcileNode("b");
        kubeletPosts("b", "False");

        reconcileNode("b");

        assertThat(taints("b"))
                .containsExactlyInAnyOrder(
                        "node.kubernetes.io/not-ready:NoSchedule", "node.kubernetes.io/not-ready:NoExecute");
        assertThat(ready("b")).as("the kubelet's own status is left alone").isEqualTo("False");
    }

    @Test
    void whenNoNodeIsReadyNothingIsTaintedForEviction() {
        kubeletPosts("only", "True");
        renewLease("only");
        createPod("web", "only");
        reconcileNode("only");
        time(60);
        reconcileNode("only");
        time(5);
        reconcileNode("only");

        assertThat(ready("only")).isEqualTo("Unknown");
        assertThat(taints("only")).containsExactly("node.kubernetes.io/unreachable:NoSchedule");
        reconcilePod("web");
        assertThat(controller.scheduledEviction(podKey("web"))).isEmpty();
    }

    @Test
    void aNodeThatNeverPostedStatusGetsTheStartupGracePeriod() {
        api.resources(Kinds.NODES)
                .create(new NodeBuilder()
                        .withNewMetadata()
                        .withName("silent")
                        .endMetadata()
                        .build());
        kubeletPosts("a", "True");
        renewLease("a");
        reconcileNode("silent");
        time(50, "a");
        reconcileNode("silent");
        assertThat(node("silent").getStatus() == null
                        || node("silent").getStatus().getConditions() == null
                        || node("silent").getStatus().getConditions().isEmpty())
                .isTrue();

        time(20, "a");
        reconcileNode("silent");

        NodeCondition ready = NodeHealth.condition(node("silent"), "Ready");
        assertThat(ready.getStatus()).isEqualTo("Unknown");
        assertThat(ready.getReason()).isEqualTo("NodeStatusNeverUpdated");
        assertThat(ready.getMessage()).isEqualTo("Kubelet never posted node status.");
        assertThat(node("silent").getStatus().getConditions()).hasSize(4);
    }
}
