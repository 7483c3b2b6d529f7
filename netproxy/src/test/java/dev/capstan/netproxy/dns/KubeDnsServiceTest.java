package dev.capstan.netproxy.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.capstan.client.DeleteOptions;
import dev.capstan.client.Kinds;
import dev.capstan.client.fake.FakeApiClient;
import dev.capstan.client.informer.InformerFactory;
import dev.capstan.client.informer.SharedInformer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KubeDnsServiceTest {
    final FakeApiClient api = new FakeApiClient();
    final InformerFactory factory = new InformerFactory(api, Duration.ZERO);
    final SharedInformer<Service> services = factory.informer(Kinds.SERVICES);
    final SharedInformer<EndpointSlice> slices = factory.informer(Kinds.ENDPOINT_SLICES);
    KubeDnsService kubeDns;

    void start() throws InterruptedException {
        factory.start();
        assertThat(factory.waitForSync(Duration.ofSeconds(10))).isTrue();
        kubeDns = new KubeDnsService(
                api,
                services,
                slices,
                "10.96.0.10",
                new KubeDnsService.Endpoint("node-1", Optional.of("uid-1"), "192.168.1.10", 5353),
                Duration.ofMinutes(5));
        kubeDns.start();
    }

    @AfterEach
    void tearDown() {
        if (kubeDns != null) {
            kubeDns.close();
        }
        factory.close();
    }

    Optional<Service> service() {
        return api.resources(Kinds.SERVICES).get("kube-system", "kube-dns");
    }

    Optional<EndpointSlice> slice() {
        return api.resources(Kinds.ENDPOINT_SLICES).get("kube-system", "kube-dns-node-1");
    }

    @Test
    void createsTheNamespaceTheServiceAndThisNodesSlice() throws InterruptedException {
        start();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> slice().isPresent() && service().isPresent());
        assertThat(api.resources(Kinds.NAMESPACES).get("", "kube-system")).isPresent();

        Service svc = service().orElseThrow();
        assertThat(svc.getMetadata().getLabels())
                .containsEntry("k8s-app", "kube-dns")
                .containsEntry("kubernetes.io/name", "CoreDNS");
        assertThat(svc.getSpec().getClusterIP()).isEqualTo("10.96.0.10");
        assertThat(svc.getSpec().getSelector()).isNullOrEmpty();
        assertThat(svc.getSpec().getPorts())
                .extracting(p -> p.getName() + " " + p.getPort() + "/" + p.getProtocol() + "->"
                        + p.getTargetPort().getIntVal())
                .containsExactly("dns 53/UDP->5353", "dns-tcp 53/TCP->5353");

        EndpointSlice slice = slice().orElseThrow();
        assertThat(slice.getMetadata().getLabels())
                .containsAllEntriesOf(Map.of(
                        "kubernetes.io/service-name", "kube-dns",
                        "endpointslice.kubernetes.io/managed-by", "capstan-netproxy"));
        assertThat(slice.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(o -> assertThat(o.getKind() + " " + o.getName() + " " + o.getUid())
                        .isEqualTo("Node node-1 uid-1"));
        assertThat(slice.getAddressType()).isEqualTo("IPv4");
        assertThat(slice.getEndpoints()).hasSize(1);
        assertThat(slice.getEndpoints().get(0).getAddresses()).containsExactly("192.168.1.10");
        assertThat(slice.getEndpoints().get(0).getConditions().getReady()).isTrue();
        assertThat(slice.getEndpoints().get(0).getNodeName()).isEqualTo("node-1");
        assertThat(slice.getPorts())
                .extracting(p -> p.getName() + " " + p.getPort() + "/" + p.getProtocol())
                .containsExactly("dns 5353/UDP", "dns-tcp 5353/TCP");
    }

    @Test
    void leavesAnExistingNamespaceAloneAndSettles() throws InterruptedException {
        api.resources(Kinds.NAMESPACES)
                .create(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName("kube-system")
                        .endMetadata()
                        .build());
        start();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> slice().isPresent() && service().isPresent());
        Thread.sleep(300); // the informers deliver the loop's own writes, which wake it once more
        int writes = api.actions().size();
        Thread.sleep(700);
        assertThat(api.actions()).hasSize(writes);
        assertThat(api.actions())
                .filteredOn(a -> a.resource().equals("namespaces"))
                .hasSize(1); // the test's own create
    }

    @Test
    void putsBackWhatIsDeletedOrChanged() throws InterruptedException {
        start();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> slice().isPresent() && service().isPresent());
        String uid = service().orElseThrow().getMetadata().getUid();
        api.resources(Kinds.SERVICES).delete("kube-system", "kube-dns", DeleteOptions.DEFAULT);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> service()
                        .map(s -> !s.getMetadata().getUid().equals(uid))
                        .orElse(false));

        api.resources(Kinds.ENDPOINT_SLICES).delete("kube-system", "kube-dns-node-1", DeleteOptions.DEFAULT);
        await().atMost(Duration.ofSeconds(10)).until(() -> slice().isPresent());

        EndpointSlice moved = new EndpointSliceBuilder(slice().orElseThrow())
                .editFirstEndpoint()
                .withAddresses("10.0.0.99")
                .endEndpoint()
                .build();
        api.resources(Kinds.ENDPOINT_SLICES).update(moved);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> slice().orElseThrow()
                        .getEndpoints()
                        .get(0)
                        .getAddresses()
                        .equals(java.util.List.of("192.168.1.10")));
    }
}
