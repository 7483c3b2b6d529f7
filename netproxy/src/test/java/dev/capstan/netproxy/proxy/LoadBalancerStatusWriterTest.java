package dev.capstan.netproxy.proxy;

import static dev.capstan.netproxy.proxy.Fixtures.port;
import static dev.capstan.netproxy.proxy.Fixtures.service;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.client.Kinds;
import dev.capstan.client.fake.FakeApiClient;
import dev.capstan.client.informer.InformerFactory;
import io.fabric8.kubernetes.api.model.Service;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadBalancerStatusWriterTest {
    @Test
    void writesTheNodesInternalIpsOnLoadBalancersOnlyWhenDifferentAndClearsThemOnOthers() throws Exception {
        FakeApiClient api = new FakeApiClient();
        Service lb = service("ns", "lb", "10.96.0.9", port("http", "TCP", 80, 8080, 30009))
                .editSpec()
                .withType("LoadBalancer")
                .endSpec()
                .build();
        api.resources(Kinds.SERVICES).create(lb);
        try (InformerFactory factory = new InformerFactory(api, Duration.ZERO)) {
            var informer = factory.informer(Kinds.SERVICES);
            factory.start();
            assertThat(factory.waitForSync(Duration.ofSeconds(5))).isTrue();
            var writer = new LoadBalancerStatusWriter(
                    informer.cache(), api.resources(Kinds.SERVICES), () -> List.of("192.168.50.10"));

            api.clearActions();
            writer.reconcile("ns/lb");
            Service written = api.resources(Kinds.SERVICES).get("ns", "lb").orElseThrow();
            assertThat(written.getStatus().getLoadBalancer().getIngress())
                    .singleElement()
                    .satisfies(i -> {
                        assertThat(i.getIp()).isEqualTo("192.168.50.10");
                        assertThat(i.getIpMode()).isEqualTo("VIP");
                    });
            assertThat(api.actions()).hasSize(1);

            org.awaitility.Awaitility.await()
                    .until(() -> informer.cache()
                                    .get("ns/lb")
                                    .orElseThrow()
                                    .getStatus()
                                    .getLoadBalancer()
                                    .getIngress()
                            != null);
            api.clearActions();
            writer.reconcile("ns/lb");
            assertThat(api.actions())
                    .as("nothing written when the status is right")
                    .isEmpty();

            written.getSpec().setType("ClusterIP");
            written.getSpec().getPorts().getFirst().setNodePort(null);
            api.resources(Kinds.SERVICES).update(written);
            org.awaitility.Awaitility.await()
                    .until(() -> "ClusterIP"
                            .equals(informer.cache()
                                    .get("ns/lb")
                                    .orElseThrow()
                                    .getSpec()
                                    .getType()));
            writer.reconcile("ns/lb");
            assertThat(api.resources(Kinds.SERVICES)
                            .get("ns", "lb")
                            .orElseThrow()
                            .getStatus()
                            .getLoadBalancer()
                            .getIngress())
                    .isNullOrEmpty();
        }
    }
}
