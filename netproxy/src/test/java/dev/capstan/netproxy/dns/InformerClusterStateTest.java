package dev.capstan.netproxy.dns;

import static dev.capstan.netproxy.dns.FakeClusterState.endpoint;
import static dev.capstan.netproxy.dns.FakeClusterState.port;
import static dev.capstan.netproxy.dns.FakeClusterState.service;
import static dev.capstan.netproxy.dns.FakeClusterState.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.capstan.client.Kinds;
import dev.capstan.client.fake.FakeApiClient;
import dev.capstan.client.informer.InformerFactory;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The resolver over real informers (fed by the fake API): its indexes follow adds, updates and deletes. */
class InformerClusterStateTest {
    final FakeApiClient api = new FakeApiClient();
    final InformerFactory factory = new InformerFactory(api, Duration.ZERO);
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.ofEpochSecond(1_000));
    final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    @AfterEach
    void tearDown() {
        factory.close();
    }

    @Test
    void answersFromTheCachesAndFollowsChanges() throws InterruptedException {
        api.resources(Kinds.NAMESPACES)
                .create(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName("shop")
                        .endMetadata()
                        .build());
        api.resources(Kinds.SERVICES).create(service("shop", "cart", "10.96.3.4", port("http", 80, "TCP")));
        api.resources(Kinds.SERVICES).create(service("shop", "db", "None", port("http", 80, "TCP")));
        api.resources(Kinds.ENDPOINT_SLICES)
                .create(slice("shop", "db", "db-1", 5432, endpoint("10.244.0.9", "db-0", true)));
        var state = new InformerClusterState(
                factory.informer(Kinds.SERVICES),
                factory.informer(Kinds.ENDPOINT_SLICES),
                factory.informer(Kinds.NAMESPACES),
                clock);
        factory.start();
        assertThat(factory.waitForSync(Duration.ofSeconds(10))).isTrue();
        var resolver = new ClusterResolver("cluster.local", 30, state);

        assertThat(resolver.resolve("cart.shop.svc.cluster.local", DnsRecordType.A)
                        .answers())
                .map(Rr::toString)
                .containsExactly("cart.shop.svc.cluster.local. 30 IN A 10.96.3.4");
        assertThat(resolver.resolve("db-0.db.shop.svc.cluster.local", DnsRecordType.A)
                        .answers())
                .map(Rr::toString)
                .containsExactly("db-0.db.shop.svc.cluster.local. 30 IN A 10.244.0.9");
        assertThat(resolver.resolve("4.3.96.10.in-addr.arpa", DnsRecordType.PTR).answers())
                .map(Rr::toString)
                .containsExactly("4.3.96.10.in-addr.arpa. 30 IN PTR cart.shop.svc.cluster.local.");
        assertThat(resolver.resolve("9.0.244.10.in-addr.arpa", DnsRecordType.PTR)
                        .answers())
                .map(Rr::toString)
                .containsExactly("9.0.244.10.in-addr.arpa. 30 IN PTR db-0.db.shop.svc.cluster.local.");
        assertThat(resolver.resolve("shop.svc.cluster.local", DnsRecordType.A).rcode())
                .isEqualTo(DnsResponseCode.NOERROR);
        assertThat(state.serial()).isEqualTo(1_000);

        now.set(Instant.ofEpochSecond(2_000));
        api.resources(Kinds.SERVICES).delete("shop", "cart", dev.capstan.client.DeleteOptions.DEFAULT);
        api.resources(Kinds.ENDPOINT_SLICES)
                .create(slice("shop", "db", "db-2", 5432, endpoint("10.244.0.10", "db-1", true)));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> resolver.resolve("db.shop.svc.cluster.local", DnsRecordType.A)
                                .answers()
                                .size()
                        == 2);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> resolver.resolve("cart.shop.svc.cluster.local", DnsRecordType.A)
                                .rcode()
                        == DnsResponseCode.NXDOMAIN);
        assertThat(resolver.resolve("4.3.96.10.in-addr.arpa", DnsRecordType.PTR).outsideZone())
                .isTrue();
        assertThat(state.serial()).isEqualTo(2_000);
    }
}
