package dev.capstan.controllers.endpoints;

import static dev.capstan.controllers.endpoints.EndpointsFixtures.pod;
import static dev.capstan.controllers.endpoints.EndpointsFixtures.service;
import static dev.capstan.controllers.endpoints.EndpointsFixtures.sync;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.capstan.client.DeleteOptions;
import dev.capstan.client.Kinds;
import dev.capstan.client.workqueue.ReconcileLoop;
import dev.capstan.model.meta.ObjectKey;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EndpointsControllerTest {
    private static final ObjectKey WEB = new ObjectKey("default", "web");

    private EndpointsFixtures f;
    private EndpointsController controller;

    @BeforeEach
    void setUp() throws InterruptedException {
        f = new EndpointsFixtures();
        controller = new EndpointsController(f.ctx, f.queue);
        f.start();
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private Endpoints endpoints() {
        return f.api.resources(Kinds.ENDPOINTS).get("default", "web").orElseThrow();
    }

    private Endpoints reconcileAndGet() throws Exception {
        sync(controller, WEB);
        Endpoints e = endpoints();
        f.caughtUp(f.informers.informer(Kinds.ENDPOINTS), e);
        return e;
    }

    private static List<String> ips(List<EndpointAddress> addresses) {
        return addresses.stream().map(EndpointAddress::getIp).toList();
    }

    @Test
    void readyPodsInAddressesNotReadyInNotReadyTerminatingAndTerminalAndIpLessLeftOut() throws Exception {
        f.create(pod("ready", "10.0.0.2", true).build());
        f.create(pod("unready", "10.0.0.3", false).build());
        f.create(pod("done", "10.0.0.4", true)
                .editStatus()
                .withPhase("Succeeded")
                .endStatus()
                .build());
        f.create(pod("no-ip", "", true)
                .editStatus()
                .withPodIP(null)
                .withPodIPs(List.of())
                .endStatus()
                .build());
        f.create(pod("other", "10.0.0.9", true)
                .editMetadata()
                .withLabels(Map.of("app", "db"))
                .endMetadata()
                .build());
        Pod terminating = f.create(pod("terminating", "10.0.0.5", true)
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

        Endpoints e = reconcileAndGet();

        assertThat(e.getSubsets()).hasSize(1);
        EndpointSubset s = e.getSubsets().get(0);
        assertThat(ips(s.getAddresses())).containsExactly("10.0.0.2");
        assertThat(ips(s.getNotReadyAddresses())).containsExactly("10.0.0.3");
        assertThat(s.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("http");
            assertThat(p.getPort()).isEqualTo(8080);
            assertThat(p.getProtocol()).isEqualTo("TCP");
        });
        EndpointAddress a = s.getAddresses().get(0);
        assertThat(a.getNodeName()).isEqualTo("node-a");
        assertThat(a.getTargetRef().getKind()).isEqualTo("Pod");
        assertThat(a.getTargetRef().getName()).isEqualTo("ready");
        assertThat(a.getTargetRef().getNamespace()).isEqualTo("default");
        assertThat(a.getTargetRef().getUid()).isNotEmpty();
        assertThat(e.getMetadata().getLabels()).containsExactly(Map.entry("team", "a"));
        // A Service seen for the first time: its creation is the trigger.
        assertThat(e.getMetadata().getAnnotations())
                .containsEntry(
                        PodEndpoints.LAST_CHANGE_TRIGGER_TIME, svc.getMetadata().getCreationTimestamp());
    }

    @Test
    void publishNotReadyAddressesPutsEveryPodTerminatingToo() throws Exception {
        f.create(pod("ready", "10.0.0.2", true).build());
        f.create(pod("unready", "10.0.0.3", false).build());
        Pod terminating = f.create(pod("terminating", "10.0.0.5", false)
                .editMetadata()
                .withFinalizers("test/hold")
                .endMetadata()
                .build());
        f.api.resources(Kinds.PODS).delete("default", terminating.getMetadata().getName());
        f.create(service("web", new IntOrString(8080))
                .editSpec()
                .withPublishNotReadyAddresses(true)
                .endSpec()
                .build());
        await().until(() -> f.informers
                .informer(Kinds.PODS)
                .cache()
                .get("default", "terminating")
                .map(p -> p.getMetadata().getDeletionTimestamp() != null)
                .orElse(false));

        Endpoints e = reconcileAndGet();

        assertThat(e.getSubsets()).singleElement().satisfies(s -> {
            assertThat(ips(s.getAddresses())).containsExactly("10.0.0.2", "10.0.0.3", "10.0.0.5");
            assertThat(s.getNotReadyAddresses()).isEmpty();
        });
    }

    @Test
    void namedTargetPortResolvedPerPodIntoSeparateSubsets() throws Exception {
        f.create(pod("a", "10.0.0.2", true, 8080).build());
        f.create(pod("b", "10.0.0.3", true, 9090).build());
        f.create(pod("c", "10.0.0.4", false, 8080).build());
        f.create(pod("no-port", "10.0.0.5", true)
                .editSpec()
                .editFirstContainer()
                .withPorts(List.of())
                .endContainer()
                .endSpec()
                .build());
        f.create(service("web", new IntOrString("http")).build());

        Endpoints e = reconcileAndGet();

        assertThat(e.getSubsets()).hasSize(2);
        EndpointSubset p8080 = e.getSubsets().stream()
                .filter(s -> s.getPorts().get(0).getPort() == 8080)
                .findFirst()
                .orElseThrow();
        EndpointSubset p9090 = e.getSubsets().stream()
                .filter(s -> s.getPorts().get(0).getPort() == 9090)
                .findFirst()
                .orElseThrow();
        assertThat(ips(p8080.getAddresses())).containsExactly("10.0.0.2");
        assertThat(ips(p8080.getNotReadyAddresses())).containsExactly("10.0.0.4");
        assertThat(ips(p9090.getAddresses())).containsExactly("10.0.0.3");
        assertThat(p9090.getPorts().get(0).getName()).isEqualTo("http");
    }

    @Test
    void selectorChangeMovesEndpoints() throws Exception {
        f.create(pod("web-1", "10.0.0.2", true).build());
        f.create(pod("db-1", "10.0.0.7", true)
                .editMetadata()
                .withLabels(Map.of("app", "db"))
                .endMetadata()
                .build());
        Service svc = f.create(service("web", new IntOrString(8080)).build());
        assertThat(ips(reconcileAndGet().getSubsets().get(0).getAddresses())).containsExactly("10.0.0.2");

        svc.getSpec().setSelector(Map.of("app", "db"));
        f.caughtUp(
                f.informers.informer(Kinds.SERVICES),
                f.api.resources(Kinds.SERVICES).update(svc));

        assertThat(ips(reconcileAndGet().getSubsets().get(0).getAddresses())).containsExactly("10.0.0.7");
    }

    @Test
    void deletedServiceHasItsEndpointsDeleted() throws Exception {
        f.create(pod("web-1", "10.0.0.2", true).build());
        f.create(service("web", new IntOrString(8080)).build());
        reconcileAndGet();

        f.api.resources(Kinds.SERVICES).delete("default", "web");
        await().until(() ->
                f.informers.informer(Kinds.SERVICES).cache().get(WEB).isEmpty());
        sync(controller, WEB);

        assertThat(f.api.resources(Kinds.ENDPOINTS).get("default", "web")).isEmpty();
    }

    @Test
    void writesOnlyWhenSomethingChanged() throws Exception {
        f.create(pod("web-1", "10.0.0.2", true).build());
        f.create(service("web", new IntOrString(8080)).build());
        reconcileAndGet();
        f.api.clearActions();

        sync(controller, WEB);
        assertThat(f.api.actions()).isEmpty();

        // A label change on the Service is carried over.
        Service svc = f.api.resources(Kinds.SERVICES).get("default", "web").orElseThrow();
        svc.getMetadata().setLabels(Map.of("team", "b"));
        f.caughtUp(
                f.informers.informer(Kinds.SERVICES),
                f.api.resources(Kinds.SERVICES).update(svc));
        assertThat(reconcileAndGet().getMetadata().getLabels()).containsExactly(Map.entry("team", "b"));
        assertThat(f.api.actions("update", "endpoints")).hasSize(1);
    }

    @Test
    void headlessServiceGetsLabelAndHostnames() throws Exception {
        f.create(pod("web-0", "10.0.0.2", true)
                .editSpec()
                .withHostname("web-0")
                .withSubdomain("web")
                .endSpec()
                .build());
        f.create(pod("web-1", "10.0.0.3", true)
                .editSpec()
                .withHostname("web-1")
                .withSubdomain("other")
                .endSpec()
                .build());
        f.create(service("web", new IntOrString(8080))
                .editSpec()
                .withClusterIP("None")
                .endSpec()
                .build());

        Endpoints e = reconcileAndGet();

        assertThat(e.getMetadata().getLabels()).containsEntry(PodEndpoints.HEADLESS_LABEL, "");
        List<EndpointAddress> addresses = e.getSubsets().get(0).getAddresses();
        assertThat(addresses).extracting(EndpointAddress::getHostname).containsExactly("web-0", null);
    }

    @Test
    void headlessServiceWithoutPortsListsAddresses() throws Exception {
        f.create(pod("web-0", "10.0.0.2", true).build());
        f.create(service("web", null)
                .editSpec()
                .withClusterIP("None")
                .withPorts(List.of())
                .endSpec()
                .build());

        Endpoints e = reconcileAndGet();

        assertThat(e.getSubsets()).singleElement().satisfies(s -> {
            assertThat(ips(s.getAddresses())).containsExactly("10.0.0.2");
            assertThat(s.getPorts()).isEmpty();
        });
    }

    @Test
    void serviceWithoutSelectorKeepsItsCustomEndpoints() throws Exception {
        f.create(pod("web-1", "10.0.0.2", true).build());
        f.create(service("web", new IntOrString(8080))
                .editSpec()
                .withSelector(Map.of())
                .endSpec()
                .build());
        Endpoints custom = f.api.resources(Kinds.ENDPOINTS)
                .create(new EndpointsBuilder()
                        .withNewMetadata()
                        .withName("web")
                        .withNamespace("default")
                        .endMetadata()
                        .addNewSubset()
                        .addNewAddress()
                        .withIp("192.0.2.1")
                        .endAddress()
                        .endSubset()
                        .build());
        f.api.clearActions();

        sync(controller, WEB);

        assertThat(f.api.actions()).isEmpty();
        assertThat(endpoints().getMetadata().getResourceVersion())
                .isEqualTo(custom.getMetadata().getResourceVersion());
    }

    @Test
    void overCapacityTruncatesToAThousandAndAnnotates() throws Exception {
        for (int i = 0; i < 1005; i++) {
            f.api.resources(Kinds.PODS)
                    .create(pod("p" + i, "10.1." + (i / 250) + "." + (i % 250 + 1), true)
                            .build());
        }
        f.create(pod("last", "10.2.0.1", false).build());
        f.create(service("web", new IntOrString(8080)).build());

        Endpoints e = reconcileAndGet();

        assertThat(e.getMetadata().getAnnotations()).containsEntry(PodEndpoints.OVER_CAPACITY, "truncated");
        assertThat(e.getSubsets()).singleElement().satisfies(s -> {
            assertThat(s.getAddresses()).hasSize(1000);
            assertThat(s.getNotReadyAddresses()).isEmpty();
        });
    }

    @Test
    void handlersDriveTheLoopPodChangesAndLeftoverEndpoints() throws Exception {
        // Endpoints whose Service is gone are removed once the controller runs.
        f.api.resources(Kinds.ENDPOINTS)
                .create(new EndpointsBuilder()
                        .withNewMetadata()
                        .withName("orphan")
                        .withNamespace("default")
                        .endMetadata()
                        .build());
        f.api.resources(Kinds.ENDPOINTS)
                .create(new EndpointsBuilder()
                        .withNewMetadata()
                        .withName("leader")
                        .withNamespace("default")
                        .withAnnotations(Map.of(PodEndpoints.LEADER_ANNOTATION, "{}"))
                        .endMetadata()
                        .build());
        try (var loop = new ReconcileLoop<>(EndpointsController.NAME, f.queue, controller, 2, null)) {
            loop.start();
            f.create(service("web", new IntOrString(8080)).build());
            f.create(pod("web-1", "10.0.0.2", false).build());
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> f.api.resources(Kinds.ENDPOINTS)
                            .get("default", "web")
                            .map(e -> !e.getSubsets().isEmpty()
                                    && e.getSubsets()
                                                    .get(0)
                                                    .getNotReadyAddresses()
                                                    .size()
                                            == 1)
                            .orElse(false));

            // Readiness flips: the pod moves to addresses.
            Pod p = f.api.resources(Kinds.PODS).get("default", "web-1").orElseThrow();
            p.getStatus().getConditions().get(0).setStatus("True");
            f.api.resources(Kinds.PODS).updateStatus(p);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> f.api.resources(Kinds.ENDPOINTS)
                            .get("default", "web")
                            .map(e -> e.getSubsets().get(0).getAddresses().size() == 1)
                            .orElse(false));

            // The pod goes: its address goes.
            f.api.resources(Kinds.PODS).delete("default", "web-1", DeleteOptions.DEFAULT);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> f.api.resources(Kinds.ENDPOINTS)
                            .get("default", "web")
                            .map(e -> e.getSubsets().isEmpty())
                            .orElse(false));

            // Deleting the Endpoints brings them back.
            f.api.resources(Kinds.ENDPOINTS).delete("default", "web");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> f.api.resources(Kinds.ENDPOINTS)
                            .get("default", "web")
                            .isPresent());
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> f.api.resources(Kinds.ENDPOINTS)
                            .get("default", "orphan")
                            .isEmpty());
            assertThat(f.api.resources(Kinds.ENDPOINTS).get("default", "leader"))
                    .isPresent();
        }
    }
}
