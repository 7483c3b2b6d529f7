package dev.capstan.netproxy.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.capstan.client.Kinds;
import dev.capstan.client.fake.FakeApiClient;
import dev.capstan.client.informer.InformerFactory;
import dev.capstan.netproxy.app.NetProxy;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The part as NetProxy starts it: informers of the fake API, the node's InternalIP, a real server. */
class ClusterDnsTest {

    @Test
    void listensOnTheNodesInternalIpAndPointsKubeDnsThere() throws Exception {
        var api = new FakeApiClient();
        api.resources(Kinds.NODES)
                .create(new NodeBuilder()
                        .withNewMetadata()
                        .withName("node-1")
                        .endMetadata()
                        .withNewStatus()
                        .addNewAddress()
                        .withType("Hostname")
                        .withAddress("node-1")
                        .endAddress()
                        .addNewAddress()
                        .withType("InternalIP")
                        .withAddress("127.0.0.1")
                        .endAddress()
                        .endStatus()
                        .build());
        api.resources(Kinds.SERVICES).create(FakeClusterState.service("default", "kubernetes", "10.96.0.1"));
        try (var factory = new InformerFactory(api, Duration.ZERO)) {
            var informers = new NetProxy.Informers(
                    factory.informer(Kinds.SERVICES),
                    factory.informer(Kinds.ENDPOINT_SLICES),
                    factory.informer(Kinds.NODES), // the fake selects no metadata.name fields
                    factory.informer(Kinds.PODS),
                    factory.informer(Kinds.NAMESPACES),
                    factory.informer(Kinds.NETWORK_POLICIES));
            factory.start();
            assertThat(factory.waitForSync(Duration.ofSeconds(10))).isTrue();
            var settings =
                    new ClusterDns.Settings("cluster.local", Optional.empty(), 0, Optional.empty(), "10.96.0.10");
            try (var dns = ClusterDns.start(api, informers, "node-1", settings);
                    var client = new DnsTestClient(new InetSocketAddress("127.0.0.1", dns.port()))) {
                var reply = client.udp("kubernetes.default.svc.cluster.local", DnsRecordType.A);
                assertThat(reply.rcode()).isEqualTo(DnsResponseCode.NOERROR);
                assertThat(reply.answers()).containsExactly("kubernetes.default.svc.cluster.local. 30 IN A 10.96.0.1");

                await().atMost(Duration.ofSeconds(10))
                        .until(() -> api.resources(Kinds.ENDPOINT_SLICES)
                                .get("kube-system", "kube-dns-node-1")
                                .isPresent());
                var slice = api.resources(Kinds.ENDPOINT_SLICES)
                        .get("kube-system", "kube-dns-node-1")
                        .orElseThrow();
                assertThat(slice.getEndpoints().get(0).getAddresses()).containsExactly("127.0.0.1");
                assertThat(slice.getPorts()).allMatch(p -> p.getPort() == dns.port());
                String nodeUid = api.resources(Kinds.NODES)
                        .get("", "node-1")
                        .orElseThrow()
                        .getMetadata()
                        .getUid();
                assertThat(slice.getMetadata().getOwnerReferences())
                        .singleElement()
                        .satisfies(o -> assertThat(o.getUid()).isEqualTo(nodeUid));
                // kube-dns itself resolves once the informer has it
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> client.udp("kube-dns.kube-system.svc.cluster.local", DnsRecordType.A)
                                .answers()
                                .equals(java.util.List.of(
                                        "kube-dns.kube-system.svc.cluster.local. 30 IN A 10.96.0.10")));
            }
        }
    }

    @Test
    void upstreamMustBeHostAndPort() {
        assertThat(ClusterDns.Settings.hostPort("127.0.0.1:5353")).isEqualTo(new InetSocketAddress("127.0.0.1", 5353));
        assertThat(ClusterDns.Settings.hostPort("[::1]:53").getPort()).isEqualTo(53);
        for (String bad : new String[] {"127.0.0.1", ":53", "127.0.0.1:x"}) {
            assertThatThrownBy(() -> ClusterDns.Settings.hostPort(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("capstan.netproxy.dns-upstream must be host:port");
        }
    }
}
