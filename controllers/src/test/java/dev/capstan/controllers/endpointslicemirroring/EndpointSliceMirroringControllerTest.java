package dev.capstan.controllers.endpointslicemirroring;

import static dev.capstan.controllers.endpoints.EndpointsFixtures.service;
import static dev.capstan.controllers.endpoints.EndpointsFixtures.sync;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.capstan.client.Kinds;
import dev.capstan.client.ListOptions;
import dev.capstan.client.workqueue.ReconcileLoop;
import dev.capstan.controllers.endpoints.EndpointsFixtures;
import dev.capstan.model.meta.ObjectKey;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EndpointSliceMirroringControllerTest {
    private static final ObjectKey EXT = new ObjectKey("default", "ext");

    private EndpointsFixtures f;
    private EndpointSliceMirroringController controller;

    @BeforeEach
    void setUp() throws InterruptedException {
        f = new EndpointsFixtures();
        controller = new EndpointSliceMirroringController(f.ctx, f.queue);
        f.start();
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private Service selectorless() {
        return f.create(service("ext", new IntOrString(8443))
                .editSpec()
                .withSelector(Map.of())
                .endSpec()
                .build());
    }

    private Endpoints custom(Map<String, String> labels) {
        Endpoints e = f.api.resources(Kinds.ENDPOINTS)
                .create(new EndpointsBuilder()
                        .withNewMetadata()
                        .withName("ext")
                        .withNamespace("default")
                        .withLabels(labels)
                        .withAnnotations(Map.of(
                                "note",
                                "kept",
                                "endpoints.kubernetes.io/last-change-trigger-time",
                                "2026-01-01T00:00:00Z"))
                        .endMetadata()
                        .addNewSubset()
                        .addNewAddress()
                        .withIp("192.0.2.2")
                        .withNodeName("n1")
                        .endAddress()
                        .addNewAddress()
                        .withIp("192.0.2.1")
                        .withHostname("db-0")
                        .endAddress()
                        .addNewNotReadyAddress()
                        .withIp("192.0.2.3")
                        .endNotReadyAddress()
                        .addNewAddress()
                        .withIp("2001:db8:0:0::1")
                        .endAddress()
                        .addNewAddress()
                        .withIp("not-an-ip")
                        .endAddress()
                        .addNewPort()
                        .withName("https")
                        .withPort(8443)
                        .withProtocol("TCP")
                        .endPort()
                        .endSubset()
                        .build());
        f.caughtUp(f.informers.informer(Kinds.ENDPOINTS), e);
        return e;
    }

    private List<EndpointSlice> slices() {
        return f.api.resources(Kinds.ENDPOINT_SLICES).list("default", ListOptions.ALL).items().stream()
                .sorted(Comparator.comparing(EndpointSlice::getAddressType))
                .toList();
    }

    private List<EndpointSlice> reconcileAndList() throws Exception {
        sync(controller, EXT);
        List<EndpointSlice> out = slices();
        out.forEach(s -> f.caughtUp(f.informers.informer(Kinds.ENDPOINT_SLICES), s));
        return out;
    }

    @Test
    void customEndpointsAreMirroredPerAddressType() throws Exception {
        selectorless();
        Endpoints ep = custom(Map.of("custom", "yes"));

        List<EndpointSlice> slices = reconcileAndList();

        assertThat(slices).extracting(EndpointSlice::getAddressType).containsExactly("IPv4", "IPv6");
        EndpointSlice v4 = slices.get(0);
        assertThat(v4.getMetadata().getGenerateName()).isEqualTo("ext-");
        assertThat(v4.getMetadata().getLabels())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "custom", "yes",
                        "kubernetes.io/service-name", "ext",
                        "endpointslice.kubernetes.io/managed-by", "endpointslicemirroring-controller.k8s.io"));
        assertThat(v4.getMetadata().getAnnotations()).containsExactly(Map.entry("note", "kept"));
        assertThat(v4.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("Endpoints");
            assertThat(o.getUid()).isEqualTo(ep.getMetadata().getUid());
            assertThat(o.getController()).isTrue();
        });
        assertThat(v4.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("https");
            assertThat(p.getPort()).isEqualTo(8443);
        });
        assertThat(v4.getEndpoints())
                .extracting(e -> e.getAddresses().get(0))
                .containsExactly("192.0.2.2", "192.0.2.1", "192.0.2.3");
        assertThat(v4.getEndpoints())
                .extracting(e -> e.getConditions().getReady())
                .containsExactly(true, true, false);
        assertThat(v4.getEndpoints()).extracting(Endpoint::getNodeName).containsExactly("n1", null, null);
        assertThat(v4.getEndpoints()).extracting(Endpoint::getHostname).containsExactly(null, "db-0", null);
        // The IPv6 address is printed in its short form.
        assertThat(slices.get(1).getEndpoints())
                .singleElement()
                .satisfies(e -> assertThat(e.getAddresses()).containsExactly("2001:db8::1"));
        assertThat(f.events).anySatisfy(e -> {
            assertThat(e.reason()).isEqualTo("InvalidIPAddress");
            assertThat(e.message()).isEqualTo("Skipped 1 invalid IP addresses when mirroring to EndpointSlices");
        });

        // Nothing changed: nothing written.
        f.api.clearActions();
        sync(controller, EXT);
        assertThat(f.api.actions()).isEmpty();
    }

    @Test
    void skipMirrorLabelAndSelectorRemoveMirroredSlices() throws Exception {
        Service svc = selectorless();
        Endpoints ep = custom(Map.of());
        assertThat(reconcileAndList()).hasSize(2);

        ep = f.api.resources(Kinds.ENDPOINTS).get("default", "ext").orElseThrow();
        ep.getMetadata().setLabels(Map.of(EndpointSliceMirroringController.LABEL_SKIP_MIRROR, "true"));
        f.caughtUp(
                f.informers.informer(Kinds.ENDPOINTS),
                f.api.resources(Kinds.ENDPOINTS).update(ep));
        sync(controller, EXT);
        assertThat(slices()).isEmpty();

        ep = f.api.resources(Kinds.ENDPOINTS).get("default", "ext").orElseThrow();
        ep.getMetadata().setLabels(Map.of());
        f.caughtUp(
                f.informers.informer(Kinds.ENDPOINTS),
                f.api.resources(Kinds.ENDPOINTS).update(ep));
        assertThat(reconcileAndList()).hasSize(2);

        svc = f.api.resources(Kinds.SERVICES).get("default", "ext").orElseThrow();
        svc.getSpec().setSelector(Map.of("app", "x"));
        f.caughtUp(
                f.informers.informer(Kinds.SERVICES),
                f.api.resources(Kinds.SERVICES).update(svc));
        sync(controller, EXT);
        assertThat(slices()).isEmpty();
    }

    @Test
    void endpointsWithoutServiceAreNotMirrored() throws Exception {
        custom(Map.of());
        assertThat(reconcileAndList()).isEmpty();
    }

    @Test
    void handlersFollowEndpointChanges() throws Exception {
        try (var loop = new ReconcileLoop<>(EndpointSliceMirroringController.NAME, f.queue, controller, 2, null)) {
            loop.start();
            selectorless();
            custom(Map.of());
            await().atMost(Duration.ofSeconds(10)).until(() -> slices().size() == 2);

            Endpoints ep =
                    f.api.resources(Kinds.ENDPOINTS).get("default", "ext").orElseThrow();
            ep.getSubsets().get(0).getAddresses().removeIf(a -> a.getIp().contains(":"));
            f.api.resources(Kinds.ENDPOINTS).update(ep);
            await().atMost(Duration.ofSeconds(10)).until(() -> slices().size() == 1);

            f.api.resources(Kinds.ENDPOINTS).delete("default", "ext");
            await().atMost(Duration.ofSeconds(10)).until(() -> slices().isEmpty());
        }
    }
}
