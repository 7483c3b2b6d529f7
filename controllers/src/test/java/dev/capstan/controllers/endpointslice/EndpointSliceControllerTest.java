package dev.capstan.controllers.endpointslice;

import static dev.capstan.controllers.endpoints.EndpointsFixtures.pod;
import static dev.capstan.controllers.endpoints.EndpointsFixtures.service;
import static dev.capstan.controllers.endpoints.EndpointsFixtures.sync;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.capstan.client.Kinds;
import dev.capstan.client.ListOptions;
import dev.capstan.client.workqueue.ReconcileLoop;
import dev.capstan.controllers.endpoints.EndpointsFixtures;
import dev.capstan.controllers.endpoints.PodEndpoints;
import dev.capstan.model.meta.ObjectKey;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EndpointSliceControllerTest {
    private static final ObjectKey WEB = new ObjectKey("default", "web");

    private EndpointsFixtures f;
    private EndpointSliceController controller;

    @BeforeEach
    void setUp() throws InterruptedException {
        f = new EndpointsFixtures();
        controller = new EndpointSliceController(f.ctx, f.queue);
        f.start();
        f.node("node-a", "zone-1");
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private List<EndpointSlice> slices() {
        return f.api.resources(Kinds.ENDPOINT_SLICES).list("default", ListOptions.ALL).items().stream()
                .filter(s -> "web".equals(s.getMetadata().getLabels().get(EndpointSliceController.LABEL_SERVICE_NAME)))
                .sorted(Comparator.comparing(s -> s.getMetadata().getName()))
                .toList();
    }

    private List<EndpointSlice> reconcileAndList() throws Exception {
        sync(controller, WEB);
        List<EndpointSlice> out = slices();
        for (EndpointSlice s : out) {
            f.caughtUp(f.informers.informer(Kinds.ENDPOINT_SLICES), s);
        }
        return out;
    }

    private static Endpoint endpointOf(List<EndpointSlice> slices, String pod) {
        return slices.stream()
                .flatMap(s -> s.getEndpoints().stream())
                .filter(e -> e.getTargetRef().getName().equals(pod))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void sliceCarriesLabelsOwnerAndConditionsAsUpstream() throws Exception {
        f.create(pod("ready", "10.0.0.2", true).build());
        f.create(pod("unready", "10.0.0.3", false).build());
        Pod terminating = f.create(pod("terminating", "10.0.0.4", true)
                .editMetadata()
                .withFinalizers("test/hold")
                .endMetadata()
                .build());
        f.api.resources(Kinds.PODS).delete("default", terminating.getMetadata().getName());
        Service svc = f.create(service("web", new IntOrString(8080)).build());
        await().until(() -> f.informers
                .informer(Kinds.PODS)
                .cache()
                .get("default", "terminating")
                .map(p -> p.getMetadata().getDeletionTimestamp() != null)
                .orElse(false));

        List<EndpointSlice> slices = reconcileAndList();

        assertThat(slices).singleElement().satisfies(s -> {
            assertThat(s.getMetadata().getName()).startsWith("web-");
            assertThat(s.getMetadata().getGenerateName()).isEqualTo("web-");
            assertThat(s.getAddressType()).isEqualTo("IPv4");
            assertThat(s.getMetadata().getLabels())
                    .containsExactlyInAnyOrderEntriesOf(Map.of(
                            "kubernetes.io/service-name", "web",
                            "endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io",
                            "team", "a"));
            assertThat(s.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
                assertThat(o.getApiVersion()).isEqualTo("v1");
                assertThat(o.getKind()).isEqualTo("Service");
                assertThat(o.getName()).isEqualTo("web");
                assertThat(o.getUid()).isEqualTo(svc.getMetadata().getUid());
                assertThat(o.getController()).isTrue();
                assertThat(o.getBlockOwnerDeletion()).isTrue();
            });
            assertThat(s.getPorts()).singleElement().satisfies(p -> {
                assertThat(p.getName()).isEqualTo("http");
                assertThat(p.getPort()).isEqualTo(8080);
                assertThat(p.getProtocol()).isEqualTo("TCP");
            });
            assertThat(s.getMetadata().getAnnotations()).containsKey(PodEndpoints.LAST_CHANGE_TRIGGER_TIME);
        });
        Endpoint ready = endpointOf(slices, "ready");
        assertThat(ready.getAddresses()).containsExactly("10.0.0.2");
        assertThat(List.of(
                        ready.getConditions().getReady(),
                        ready.getConditions().getServing(),
                        ready.getConditions().getTerminating()))
                .containsExactly(true, true, false);
        assertThat(ready.getNodeName()).isEqualTo("node-a");
        assertThat(ready.getZone()).isEqualTo("zone-1");
        assertThat(ready.getTargetRef().getKind()).isEqualTo("Pod");
        Endpoint unready = endpointOf(slices, "unready");
        assertThat(List.of(
                        unready.getConditions().getReady(),
                        unready.getConditions().getServing(),
                        unready.getConditions().getTerminating()))
                .containsExactly(false, false, false);
        // Terminating pods stay, serving per their readiness, never ready.
        Endpoint term = endpointOf(slices, "terminating");
        assertThat(List.of(
                        term.getConditions().getReady(),
                        term.getConditions().getServing(),
                        term.getConditions().getTerminating()))
                .containsExactly(false, true, true);
    }

    @Test
    void moreThanAHundredPodsSplitIntoSlicesOfAtMostAHundred() throws Exception {
        for (int i = 0; i < 250; i++) {
            f.api.resources(Kinds.PODS)
                    .create(pod("p" + i, "10.1." + (i / 200) + "." + (i % 200 + 1), true)
                            .build());
        }
        f.create(service("web", new IntOrString(8080)).build());

        List<EndpointSlice> slices = reconcileAndList();

        assertThat(slices).hasSizeGreaterThanOrEqualTo(3);
        assertThat(slices).allSatisfy(s -> assertThat(s.getEndpoints()).hasSizeLessThanOrEqualTo(100));
        Set<String> addresses = slices.stream()
                .flatMap(s -> s.getEndpoints().stream())
                .map(e -> e.getAddresses().get(0))
                .collect(Collectors.toSet());
        assertThat(addresses).hasSize(250);

        // Removing some pods empties nothing needlessly and keeps every slice within bounds; a re-sync is a no-op.
        for (int i = 0; i < 120; i++) {
            f.api.resources(Kinds.PODS).delete("default", "p" + i);
        }
        f.create(pod("extra", "10.2.0.1", true).build());
        List<EndpointSlice> after = reconcileAndList();
        assertThat(after.stream().mapToInt(s -> s.getEndpoints().size()).sum()).isEqualTo(131);
        assertThat(after).allSatisfy(s -> assertThat(s.getEndpoints()).hasSizeLessThanOrEqualTo(100));
        f.api.clearActions();
        sync(controller, WEB);
        assertThat(f.api.actions()).isEmpty();
    }

    @Test
    void namedPortsWithDifferentNumbersGetTheirOwnSlices() throws Exception {
        f.create(pod("a", "10.0.0.2", true, 8080).build());
        f.create(pod("b", "10.0.0.3", true, 9090).build());
        f.create(service("web", new IntOrString("http")).build());

        List<EndpointSlice> slices = reconcileAndList();

        assertThat(slices).hasSize(2);
        assertThat(slices).extracting(s -> s.getPorts().get(0).getPort()).containsExactlyInAnyOrder(8080, 9090);
        assertThat(slices).allSatisfy(s -> assertThat(s.getEndpoints()).hasSize(1));
    }

    @Test
    void serviceWithoutPodsGetsAPlaceholderThatIsNotRewritten() throws Exception {
        f.create(service("web", new IntOrString(8080)).build());

        List<EndpointSlice> slices = reconcileAndList();
        assertThat(slices).singleElement().satisfies(s -> {
            assertThat(s.getEndpoints()).isEmpty();
            assertThat(s.getPorts()).isEmpty();
        });
        f.api.clearActions();
        sync(controller, WEB);
        assertThat(f.api.actions()).isEmpty();

        // The first pod reuses the placeholder's name instead of deleting and creating.
        f.create(pod("a", "10.0.0.2", true).build());
        List<EndpointSlice> after = reconcileAndList();
        assertThat(after).singleElement().satisfies(s -> {
            assertThat(s.getMetadata().getName())
                    .isEqualTo(slices.get(0).getMetadata().getName());
            assertThat(s.getEndpoints()).hasSize(1);
        });
        assertThat(f.api.actions("create", "endpointslices")).isEmpty();
    }

    @Test
    void selectorChangeMovesEndpointsAndHeadlessGetsItsLabel() throws Exception {
        f.create(pod("web-1", "10.0.0.2", true).build());
        f.create(pod("db-1", "10.0.0.7", true)
                .editMetadata()
                .withLabels(Map.of("app", "db"))
                .endMetadata()
                .build());
        Service svc = f.create(service("web", new IntOrString(8080))
                .editSpec()
                .withClusterIP("None")
                .endSpec()
                .build());
        List<EndpointSlice> first = reconcileAndList();
        assertThat(first).singleElement().satisfies(s -> {
            assertThat(s.getEndpoints())
                    .extracting(e -> e.getAddresses().get(0))
                    .containsExactly("10.0.0.2");
            assertThat(s.getMetadata().getLabels()).containsEntry(PodEndpoints.HEADLESS_LABEL, "");
        });

        svc = f.api.resources(Kinds.SERVICES).get("default", "web").orElseThrow();
        svc.getSpec().setSelector(Map.of("app", "db"));
        f.caughtUp(
                f.informers.informer(Kinds.SERVICES),
                f.api.resources(Kinds.SERVICES).update(svc));

        assertThat(reconcileAndList())
                .singleElement()
                .satisfies(s -> assertThat(s.getEndpoints())
                        .extracting(e -> e.getAddresses().get(0))
                        .containsExactly("10.0.0.7"));
    }

    @Test
    void podOnUnknownNodeIsLeftOutAndTheServiceRetried() throws Exception {
        f.create(pod("a", "10.0.0.2", true).build());
        f.create(pod("lost", "10.0.0.3", true)
                .editSpec()
                .withNodeName("node-gone")
                .endSpec()
                .build());
        f.create(service("web", new IntOrString(8080)).build());

        assertThatThrownBy(() -> sync(controller, WEB)).hasMessageContaining("Node node-gone Not Found");

        assertThat(slices())
                .singleElement()
                .satisfies(s -> assertThat(s.getEndpoints()).hasSize(1));
        assertThat(f.events).anySatisfy(e -> assertThat(e.reason()).isEqualTo("FailedToUpdateEndpointSlices"));
    }

    @Test
    void handlersKeepSlicesCurrentWithPodsNodesAndEdits() throws Exception {
        try (var loop = new ReconcileLoop<>(EndpointSliceController.NAME, f.queue, controller, 2, null)) {
            loop.start();
            f.create(service("web", new IntOrString(8080)).build());
            f.create(pod("a", "10.0.0.2", false).build());
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> slices().size() == 1
                            && slices().get(0).getEndpoints().size() == 1
                            && !slices().get(0)
                                    .getEndpoints()
                                    .get(0)
                                    .getConditions()
                                    .getReady());

            Pod p = f.api.resources(Kinds.PODS).get("default", "a").orElseThrow();
            p.getStatus().getConditions().get(0).setStatus("True");
            f.api.resources(Kinds.PODS).updateStatus(p);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> slices().get(0)
                            .getEndpoints()
                            .get(0)
                            .getConditions()
                            .getReady());

            // A zone set late on the node reaches the endpoint.
            var node = f.api.resources(Kinds.NODES).get("", "node-a").orElseThrow();
            node.getMetadata().setLabels(Map.of(EndpointSliceController.LABEL_TOPOLOGY_ZONE, "zone-2"));
            f.api.resources(Kinds.NODES).update(node);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> "zone-2"
                            .equals(slices().get(0).getEndpoints().get(0).getZone()));

            // Someone edits the slice: it is put back.
            EndpointSlice s = slices().get(0);
            s.getEndpoints().clear();
            f.api.resources(Kinds.ENDPOINT_SLICES).update(s);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> slices().size() == 1
                            && slices().get(0).getEndpoints().size() == 1);

            // Someone deletes it: it comes back.
            f.api.resources(Kinds.ENDPOINT_SLICES)
                    .delete("default", slices().get(0).getMetadata().getName());
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> slices().size() == 1
                            && slices().get(0).getEndpoints().size() == 1);
        }
    }

    @Test
    void aSliceTakenOverByAnotherManagerIsReplacedNotWaitedFor() throws Exception {
        try (var loop = new ReconcileLoop<>(EndpointSliceController.NAME, f.queue, controller, 1, null)) {
            loop.start();
            f.create(service("web", new IntOrString(8080)).build());
            f.create(pod("a", "10.0.0.2", true).build());
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> slices().size() == 1
                            && slices().get(0).getEndpoints().size() == 1);

            EndpointSlice taken = slices().get(0);
            taken.getMetadata().getLabels().put(EndpointSliceController.LABEL_MANAGED_BY, "someone-else");
            f.api.resources(Kinds.ENDPOINT_SLICES).update(taken);

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> slices().stream()
                            .filter(s -> EndpointSliceController.CONTROLLER_NAME.equals(
                                    s.getMetadata().getLabels().get(EndpointSliceController.LABEL_MANAGED_BY)))
                            .anyMatch(s -> s.getEndpoints().size() == 1));
        }
    }
}
