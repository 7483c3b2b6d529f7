package dev.capstan.controllers.nodeipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.capstan.client.Kinds;
import dev.capstan.client.events.EventRecorder;
import dev.capstan.client.fake.FakeApiClient;
import dev.capstan.client.informer.InformerFactory;
import dev.capstan.client.workqueue.ReconcileLoop;
import dev.capstan.client.workqueue.WorkQueue;
import dev.capstan.controllers.ControllerContext;
import dev.capstan.model.meta.ObjectKey;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NodeIpamControllerTest {
    private final FakeApiClient api = new FakeApiClient();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    private NodeIpamController controller(NodeIpamController.Config config) throws InterruptedException {
        InformerFactory informers = new InformerFactory(api, Duration.ZERO);
        closing.add(informers);
        EventRecorder recorder = (regarding, type, reason, message) ->
                events.add(regarding.getMetadata().getName() + " " + type + " " + reason + " " + message);
        var ctx = new ControllerContext(api, informers, recorder, Clock.systemUTC());
        WorkQueue<ObjectKey> queue = WorkQueue.create(NodeIpamController.NAME);
        closing.add(queue);
        var controller = new NodeIpamController(ctx, queue, config);
        informers.start();
        assertThat(informers.waitForSync(Duration.ofSeconds(5))).isTrue();
        return controller;
    }

    private void createNode(String name, String... podCidr) {
        var builder =
                new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec();
        if (podCidr.length > 0) {
            builder = builder.withPodCIDR(podCidr[0]).withPodCIDRs(podCidr[0]);
        }
        api.resources(Kinds.NODES).create(builder.endSpec().build());
    }

    private Node node(String name) {
        return api.resources(Kinds.NODES).get("", name).orElseThrow();
    }

    private static ObjectKey key(String name) {
        return ObjectKey.clusterScoped(name);
    }

    @Test
    void everyNodeGetsItsOwnSubnetOnce() throws Exception {
        for (int i = 0; i < 5; i++) {
            createNode("n" + i);
        }
        NodeIpamController controller = controller(NodeIpamController.Config.DEFAULTS);
        for (int i = 0; i < 5; i++) {
            controller.reconcile(key("n" + i));
        }
        List<String> cidrs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Node n = node("n" + i);
            assertThat(n.getSpec().getPodCIDRs()).containsExactly(n.getSpec().getPodCIDR());
            cidrs.add(n.getSpec().getPodCIDR());
        }
        assertThat(cidrs)
                .containsExactly("10.244.0.0/24", "10.244.1.0/24", "10.244.2.0/24", "10.244.3.0/24", "10.244.4.0/24");

        // once the cache has the patches, reconciling again changes nothing
        await().untilAsserted(() -> {
            for (int i = 0; i < 5; i++) {
                controller.reconcile(key("n" + i));
            }
            assertThat(api.actions("patch", "nodes")).hasSize(5);
            assertThat(controller.allocatedCount()).isEqualTo(5);
        });
    }

    @Test
    void aRestartedControllerKeepsExistingAllocations() throws Exception {
        createNode("old-a", "10.244.0.0/24");
        createNode("old-b", "10.244.1.0/24");
        createNode("old-c", "10.244.3.0/24");
        createNode("new");
        NodeIpamController controller = controller(NodeIpamController.Config.DEFAULTS);

        controller.reconcile(key("new"));

        assertThat(node("new").getSpec().getPodCIDR()).isEqualTo("10.244.2.0/24");
        assertThat(node("old-c").getSpec().getPodCIDR()).isEqualTo("10.244.3.0/24");
        assertThat(controller.allocatedCount()).isEqualTo(4);
    }

    @Test
    void exhaustedRangeRecordsCidrNotAvailableAndFails() throws Exception {
        createNode("a");
        createNode("b");
        createNode("c");
        NodeIpamController controller = controller(new NodeIpamController.Config("10.244.0.0/23", 24));
        controller.reconcile(key("a"));
        controller.reconcile(key("b"));

        assertThatThrownBy(() -> controller.reconcile(key("c"))).hasMessageContaining("no remaining CIDRs");
        assertThat(events).containsExactly("c Normal CIDRNotAvailable Node c status is now: CIDRNotAvailable");
        assertThat(node("c").getSpec().getPodCIDR()).isNull();
    }

    @Test
    void deletedNodeFreesItsSubnet() throws Exception {
        createNode("a");
        createNode("b");
        NodeIpamController controller = controller(new NodeIpamController.Config("10.244.0.0/23", 24));
        controller.reconcile(key("a"));
        controller.reconcile(key("b"));
        String freed = node("a").getSpec().getPodCIDR();

        api.resources(Kinds.NODES).delete("", "a");
        createNode("c");
        await().untilAsserted(() -> {
            controller.reconcile(key("a")); // the cache has seen the deletion: the subnet is released
            assertThat(controller.allocatedCount()).isEqualTo(1);
        });
        await().until(() ->
                controller.reconcile(key("c")) != null && node("c").getSpec().getPodCIDR() != null);

        assertThat(node("c").getSpec().getPodCIDR()).isEqualTo(freed);
    }

    @Test
    void underAReconcileLoopManyNodesGetDistinctSubnetsEvenBeforeTheCacheSeesThePatches() throws Exception {
        InformerFactory informers = new InformerFactory(api, Duration.ZERO);
        closing.add(informers);
        var ctx = new ControllerContext(api, informers, EventRecorder.NONE, Clock.systemUTC());
        WorkQueue<ObjectKey> queue = WorkQueue.create(NodeIpamController.NAME);
        var controller = new NodeIpamController(ctx, queue);
        informers.start();
        var loop = new ReconcileLoop<>(NodeIpamController.NAME, queue, controller, 4, null);
        closing.add(loop);
        closing.add(queue::shutDown);
        loop.start();
        for (int i = 0; i < 40; i++) {
            createNode("node-" + i);
            queue.add(key("node-" + i)); // extra adds race the informer's own
        }

        await().atMost(Duration.ofSeconds(10))
                .until(() -> api.resources(Kinds.NODES).list("", dev.capstan.client.ListOptions.ALL).items().stream()
                        .allMatch(n -> n.getSpec().getPodCIDR() != null));
        List<String> cidrs = api.resources(Kinds.NODES).list("", dev.capstan.client.ListOptions.ALL).items().stream()
                .map(n -> n.getSpec().getPodCIDR())
                .toList();
        assertThat(cidrs).hasSize(40).doesNotHaveDuplicates();
        assertThat(api.actions("patch", "nodes")).hasSize(40);
    }
}
