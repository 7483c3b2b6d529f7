package dev.capstan.controllers.apiendpoints;

import static dev.capstan.controllers.endpoints.EndpointsFixtures.sync;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.capstan.client.Kinds;
import dev.capstan.client.workqueue.ReconcileLoop;
import dev.capstan.client.workqueue.Result;
import dev.capstan.controllers.endpoints.EndpointsFixtures;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ApiServerEndpointsControllerTest {
    private EndpointsFixtures f;
    private ApiServerEndpointsController controller;

    private void start(ApiEndpointsConfig config) throws InterruptedException {
        f = new EndpointsFixtures();
        controller = new ApiServerEndpointsController(f.ctx, f.queue, config);
        f.start();
    }

    @AfterEach
    void tearDown() {
        if (f != null) {
            f.close();
        }
    }

    private Service service() {
        return f.api.resources(Kinds.SERVICES).get("default", "kubernetes").orElseThrow();
    }

    private Endpoints endpoints() {
        return f.api.resources(Kinds.ENDPOINTS).get("default", "kubernetes").orElseThrow();
    }

    private EndpointSlice slice() {
        return f.api.resources(Kinds.ENDPOINT_SLICES)
                .get("default", "kubernetes")
                .orElseThrow();
    }

    /** Reconciles, then waits until the caches hold what was written. */
    private Result pass() throws Exception {
        Result r = sync(controller, ApiServerEndpointsController.KEY);
        f.caughtUp(f.informers.informer(Kinds.SERVICES), service());
        f.caughtUp(f.informers.informer(Kinds.ENDPOINTS), endpoints());
        f.caughtUp(f.informers.informer(Kinds.ENDPOINT_SLICES), slice());
        return r;
    }

    @Test
    void createsTheKubernetesServiceEndpointsAndSliceAsUpstream() throws Exception {
        start(ApiEndpointsConfig.DEFAULT);

        assertThat(pass()).isEqualTo(Result.requeueAfter(Duration.ofSeconds(10)));

        Service svc = service();
        assertThat(svc.getMetadata().getLabels())
                .containsExactlyInAnyOrderEntriesOf(Map.of("component", "apiserver", "provider", "kubernetes"));
        assertThat(svc.getSpec().getClusterIP()).isEqualTo("10.96.0.1");
        assertThat(svc.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(svc.getSpec().getSessionAffinity()).isEqualTo("None");
        assertThat(svc.getSpec().getSelector()).isEmpty();
        assertThat(svc.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("https");
            assertThat(p.getPort()).isEqualTo(443);
            assertThat(p.getTargetPort()).isEqualTo(new IntOrString(6443));
            assertThat(p.getProtocol()).isEqualTo("TCP");
        });

        Endpoints e = endpoints();
        assertThat(e.getMetadata().getLabels())
                .containsExactly(Map.entry("endpointslice.kubernetes.io/skip-mirror", "true"));
        assertThat(e.getSubsets()).singleElement().satisfies(s -> {
            assertThat(s.getAddresses()).extracting(EndpointAddress::getIp).containsExactly("127.0.0.1");
            assertThat(s.getPorts()).singleElement().satisfies(p -> {
                assertThat(p.getName()).isEqualTo("https");
                assertThat(p.getPort()).isEqualTo(6443);
                assertThat(p.getProtocol()).isEqualTo("TCP");
            });
        });

        EndpointSlice s = slice();
        assertThat(s.getMetadata().getLabels()).containsExactly(Map.entry("kubernetes.io/service-name", "kubernetes"));
        assertThat(s.getAddressType()).isEqualTo("IPv4");
        assertThat(s.getEndpoints()).singleElement().satisfies(ep -> {
            assertThat(ep.getAddresses()).containsExactly("127.0.0.1");
            assertThat(ep.getConditions().getReady()).isTrue();
        });
        assertThat(s.getPorts())
                .singleElement()
                .satisfies(p -> assertThat(p.getPort()).isEqualTo(6443));

        f.api.clearActions();
        pass();
        assertThat(f.api.actions()).isEmpty();
    }

    @Test
    void deletedOrAlteredObjectsAreRestored() throws Exception {
        start(new ApiEndpointsConfig("10.0.0.0/24", List.of("192.168.1.12:6443", "192.168.1.11:6443"), 443));
        pass();

        Service svc = service();
        svc.getSpec().getPorts().get(0).setPort(8443);
        f.api.resources(Kinds.SERVICES).update(svc);
        f.api.resources(Kinds.ENDPOINTS).delete("default", "kubernetes");
        EndpointSlice slice = slice();
        slice.getEndpoints().clear();
        f.caughtUp(
                f.informers.informer(Kinds.ENDPOINT_SLICES),
                f.api.resources(Kinds.ENDPOINT_SLICES).update(slice));

        pass();

        assertThat(service().getSpec().getPorts().get(0).getPort()).isEqualTo(443);
        assertThat(service().getSpec().getClusterIP()).isEqualTo("10.0.0.1");
        assertThat(endpoints().getSubsets().get(0).getAddresses())
                .extracting(EndpointAddress::getIp)
                .containsExactly("192.168.1.11", "192.168.1.12");
        assertThat(slice().getEndpoints())
                .extracting(e -> e.getAddresses().get(0))
                .containsExactly("192.168.1.11", "192.168.1.12");

        f.api.resources(Kinds.SERVICES).delete("default", "kubernetes");
        await().until(() -> f.informers
                .informer(Kinds.SERVICES)
                .cache()
                .get("default", "kubernetes")
                .isEmpty());
        pass();
        assertThat(service().getSpec().getClusterIP()).isEqualTo("10.0.0.1");
    }

    @Test
    void theLoopRestoresADeletedServiceWithoutWaitingForTheInterval() throws Exception {
        start(ApiEndpointsConfig.DEFAULT);
        try (var loop = new ReconcileLoop<>(ApiServerEndpointsController.NAME, f.queue, controller, 1, null)) {
            loop.start();
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> f.api.resources(Kinds.ENDPOINT_SLICES)
                            .get("default", "kubernetes")
                            .isPresent());
            f.api.resources(Kinds.SERVICES).delete("default", "kubernetes");
            f.api.resources(Kinds.ENDPOINTS).delete("default", "kubernetes");
            f.api.resources(Kinds.ENDPOINT_SLICES).delete("default", "kubernetes");
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> f.api.resources(Kinds.SERVICES)
                                    .get("default", "kubernetes")
                                    .isPresent()
                            && f.api.resources(Kinds.ENDPOINTS)
                                    .get("default", "kubernetes")
                                    .isPresent()
                            && f.api.resources(Kinds.ENDPOINT_SLICES)
                                    .get("default", "kubernetes")
                                    .isPresent());
        }
    }

    @ParameterizedTest
    @CsvSource({
        "10.96.0.0/16,10.96.0.1",
        "10.96.5.7/16,10.96.0.1",
        "172.16.0.0/12,172.16.0.1",
        "10.0.0.128/25,10.0.0.129"
    })
    void clusterIPIsTheFirstAddressOfTheRange(String cidr, String ip) {
        assertThat(new ApiEndpointsConfig(cidr, List.of("127.0.0.1:6443"), 443).clusterIP())
                .isEqualTo(ip);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"localhost:6443", "127.0.0.1", "127.0.0.1:0", "10.0.0.1:6443|10.0.0.2:7443", "[fd00::1:6443"})
    void badAddressesFailLoudly(String addresses) {
        assertThatThrownBy(() -> new ApiEndpointsConfig("10.96.0.0/16", List.of(addresses.split("\\|")), 443))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ipv6AddressesAreAccepted() {
        ApiEndpointsConfig c = new ApiEndpointsConfig("10.96.0.0/16", List.of("[fd00:0::1]:6443"), 443);
        assertThat(c.ips()).containsExactly("fd00::1");
        assertThat(c.apiServerPort()).isEqualTo(6443);
        assertThatThrownBy(() -> new ApiEndpointsConfig("fd00::/64", List.of("127.0.0.1:6443"), 443))
                .hasMessageContaining("IPv4");
    }
}
