package dev.capstan.netproxy.dns;

import static dev.capstan.netproxy.dns.FakeClusterState.endpoint;
import static dev.capstan.netproxy.dns.FakeClusterState.port;
import static dev.capstan.netproxy.dns.FakeClusterState.service;
import static dev.capstan.netproxy.dns.FakeClusterState.slice;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClusterResolverTest {
    static final String SOA =
            "cluster.local. 30 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 1700000000 7200 1800 86400 30";

    static FakeClusterState cluster() {
        return new FakeClusterState()
                .add(service("default", "web", "10.96.0.20", port("http", 80, "TCP"), port("dns", 53, "UDP")))
                .add(service("default", "six", "fd00::10", port("http", 80, "TCP")))
                .add(service("default", "db", "None", port("http", 80, "TCP")))
                .add(slice(
                        "default",
                        "db",
                        "db-abc",
                        8080,
                        endpoint("10.244.1.5", "db-0", true),
                        endpoint("10.244.1.6", null, true),
                        endpoint("10.244.1.7", "db-2", false)))
                .add(slice("default", "db", "db-def", 8080, endpoint("10.244.2.8", null, true)))
                .add(new ServiceBuilder(service("default", "pub", "None", port("http", 80, "TCP")))
                        .editSpec()
                        .withPublishNotReadyAddresses(true)
                        .endSpec()
                        .build())
                .add(slice("default", "pub", "pub-x", 80, endpoint("10.244.3.3", null, false)))
                .add(service("default", "empty", "None", port("http", 80, "TCP")))
                .add(slice("default", "empty", "empty-x", 80, endpoint("10.244.4.4", null, false)))
                .add(FakeClusterState.externalName("default", "ext", "www.example.com"));
    }

    final ClusterResolver resolver = new ClusterResolver("cluster.local", 30, cluster());

    List<String> answers(String name, DnsRecordType type) {
        Answer a = resolver.resolve(name, type);
        assertThat(a.rcode()).as(name).isEqualTo(DnsResponseCode.NOERROR);
        assertThat(a.authoritative()).isTrue();
        return a.answers().stream().map(Rr::toString).toList();
    }

    void assertNegative(String name, DnsRecordType type, DnsResponseCode rcode) {
        Answer a = resolver.resolve(name, type);
        assertThat(a.rcode()).as(name + " " + type).isEqualTo(rcode);
        assertThat(a.answers()).isEmpty();
        assertThat(a.authority()).map(Rr::toString).containsExactly(SOA);
        assertThat(a.outsideZone()).isFalse();
    }

    @Test
    void clusterIpServiceAnswersItsAddressCaseInsensitively() {
        assertThat(answers("web.default.svc.cluster.local", DnsRecordType.A))
                .containsExactly("web.default.svc.cluster.local. 30 IN A 10.96.0.20");
        assertThat(answers("WEB.Default.SVC.cluster.LOCAL.", DnsRecordType.A))
                .containsExactly("web.default.svc.cluster.local. 30 IN A 10.96.0.20");
        assertThat(answers("six.default.svc.cluster.local", DnsRecordType.AAAA))
                .containsExactly("six.default.svc.cluster.local. 30 IN AAAA fd00:0:0:0:0:0:0:10");
    }

    @Test
    void otherTypesOfAnExistingNameAreNoData() {
        assertNegative("web.default.svc.cluster.local", DnsRecordType.AAAA, DnsResponseCode.NOERROR);
        assertNegative("web.default.svc.cluster.local", DnsRecordType.MX, DnsResponseCode.NOERROR);
        assertNegative("six.default.svc.cluster.local", DnsRecordType.A, DnsResponseCode.NOERROR);
        assertNegative("default.svc.cluster.local", DnsRecordType.A, DnsResponseCode.NOERROR);
        assertNegative("svc.cluster.local", DnsRecordType.A, DnsResponseCode.NOERROR);
        assertNegative("cluster.local", DnsRecordType.A, DnsResponseCode.NOERROR);
    }

    @ParameterizedTest
    @CsvSource({
        "nope.default.svc.cluster.local",
        "web.nope.svc.cluster.local",
        "nope.svc.cluster.local",
        "web.cluster.local",
        "a.b.c.d.e.f.svc.cluster.local",
        "empty.default.svc.cluster.local",
        "db-2.db.default.svc.cluster.local",
        "x.web.default.svc.cluster.local",
        "_http._udp.web.default.svc.cluster.local",
        "_grpc._tcp.web.default.svc.cluster.local",
        "not-an-ip.default.pod.cluster.local",
        "10-244-1-999.default.pod.cluster.local"
    })
    void unknownNamesAreNxdomainWithTheZonesSoa(String name) {
        assertNegative(name, DnsRecordType.A, DnsResponseCode.NXDOMAIN);
    }

    @Test
    void headlessServiceAnswersItsReadyEndpointsFromAllSlices() {
        assertThat(answers("db.default.svc.cluster.local", DnsRecordType.A))
                .containsExactlyInAnyOrder(
                        "db.default.svc.cluster.local. 30 IN A 10.244.1.5",
                        "db.default.svc.cluster.local. 30 IN A 10.244.1.6",
                        "db.default.svc.cluster.local. 30 IN A 10.244.2.8");
        assertThat(answers("pub.default.svc.cluster.local", DnsRecordType.A))
                .containsExactly("pub.default.svc.cluster.local. 30 IN A 10.244.3.3");
    }

    @Test
    void externalNameIsACname() {
        assertThat(answers("ext.default.svc.cluster.local", DnsRecordType.A))
                .containsExactly("ext.default.svc.cluster.local. 30 IN CNAME www.example.com.");
    }

    @Test
    void cnamesAreChasedWithinTheZoneAndHandedOnAtItsEdge() {
        FakeClusterState state = cluster()
                .add(FakeClusterState.externalName("default", "alias", "web.default.svc.cluster.local"))
                .add(FakeClusterState.externalName("default", "loop-a", "loop-b.default.svc.cluster.local"))
                .add(FakeClusterState.externalName("default", "loop-b", "loop-a.default.svc.cluster.local"));
        var r = new ClusterResolver("cluster.local", 30, state);

        var inside = r.resolveChasing("alias.default.svc.cluster.local", DnsRecordType.A);
        assertThat(inside.outsideTarget()).isEmpty();
        assertThat(inside.answer().answers())
                .map(Rr::toString)
                .containsExactly(
                        "alias.default.svc.cluster.local. 30 IN CNAME web.default.svc.cluster.local.",
                        "web.default.svc.cluster.local. 30 IN A 10.96.0.20");

        var outside = r.resolveChasing("ext.default.svc.cluster.local", DnsRecordType.A);
        assertThat(outside.outsideTarget()).contains("www.example.com.");
        assertThat(outside.answer().answers()).hasSize(1);

        var loop = r.resolveChasing("loop-a.default.svc.cluster.local", DnsRecordType.A);
        assertThat(loop.outsideTarget()).isEmpty();
        assertThat(loop.answer().answers()).hasSize(9).allMatch(rr -> rr.type() == DnsRecordType.CNAME);

        assertThat(r.resolveChasing("ext.default.svc.cluster.local", DnsRecordType.CNAME)
                        .outsideTarget())
                .isEmpty();
    }

    @Test
    void srvOfAClusterIpServiceTargetsTheServiceWithItsAddressAsGlue() {
        Answer a = resolver.resolve("_http._tcp.web.default.svc.cluster.local", DnsRecordType.SRV);
        assertThat(a.answers())
                .map(Rr::toString)
                .containsExactly("_http._tcp.web.default.svc.cluster.local. 30 IN SRV 0 100 80"
                        + " web.default.svc.cluster.local.");
        assertThat(a.additional())
                .map(Rr::toString)
                .containsExactly("web.default.svc.cluster.local. 30 IN A 10.96.0.20");
        assertThat(answers("_DNS._UDP.web.default.svc.cluster.local", DnsRecordType.SRV))
                .containsExactly("_dns._udp.web.default.svc.cluster.local. 30 IN SRV 0 100 53"
                        + " web.default.svc.cluster.local.");
        assertNegative("_http._tcp.web.default.svc.cluster.local", DnsRecordType.A, DnsResponseCode.NOERROR);
    }

    @Test
    void aSlicePortAnSrvRecordCannotCarryFallsBackToTheServicePort() {
        // the API takes any int32 as a slice's port, as upstream does; SRV has 16 bits, 70000 would wrap to 4464
        FakeClusterState state = new FakeClusterState()
                .add(service("default", "odd", "None", port("http", 80, "TCP")))
                .add(slice("default", "odd", "odd-x", 70000, endpoint("10.244.5.5", "odd-0", true)));
        Answer a = new ClusterResolver("cluster.local", 30, state)
                .resolve("_http._tcp.odd.default.svc.cluster.local", DnsRecordType.SRV);
        assertThat(a.answers())
                .map(Rr::toString)
                .containsExactly(
                        "_http._tcp.odd.default.svc.cluster.local. 30 IN SRV 0 100 80 odd-0.odd.default.svc.cluster.local.");
    }

    @Test
    void srvOfAHeadlessServiceNamesEachEndpointWithItsPort() {
        Answer a = resolver.resolve("_http._tcp.db.default.svc.cluster.local", DnsRecordType.SRV);
        assertThat(a.answers())
                .map(Rr::toString)
                .containsExactlyInAnyOrder(
                        "_http._tcp.db.default.svc.cluster.local. 30 IN SRV 0 33 8080 db-0.db.default.svc.cluster.local.",
                        "_http._tcp.db.default.svc.cluster.local. 30 IN SRV 0 33 8080"
                                + " 10-244-1-6.db.default.svc.cluster.local.",
                        "_http._tcp.db.default.svc.cluster.local. 30 IN SRV 0 33 8080"
                                + " 10-244-2-8.db.default.svc.cluster.local.");
        assertThat(a.additional())
                .map(Rr::toString)
                .containsExactlyInAnyOrder(
                        "db-0.db.default.svc.cluster.local. 30 IN A 10.244.1.5",
                        "10-244-1-6.db.default.svc.cluster.local. 30 IN A 10.244.1.6",
                        "10-244-2-8.db.default.svc.cluster.local. 30 IN A 10.244.2.8");
    }

    @Test
    void endpointsAnswerByHostnameOrDashedAddress() {
        assertThat(answers("db-0.db.default.svc.cluster.local", DnsRecordType.A))
                .containsExactly("db-0.db.default.svc.cluster.local. 30 IN A 10.244.1.5");
        assertThat(answers("10-244-2-8.db.default.svc.cluster.local", DnsRecordType.A))
                .containsExactly("10-244-2-8.db.default.svc.cluster.local. 30 IN A 10.244.2.8");
        assertNegative("db-0.db.default.svc.cluster.local", DnsRecordType.AAAA, DnsResponseCode.NOERROR);
    }

    @Test
    void podNamesAnswerTheirDashedAddress() {
        assertThat(answers("10-244-1-9.default.pod.cluster.local", DnsRecordType.A))
                .containsExactly("10-244-1-9.default.pod.cluster.local. 30 IN A 10.244.1.9");
        assertThat(answers("fd00--9.default.pod.cluster.local", DnsRecordType.AAAA))
                .containsExactly("fd00--9.default.pod.cluster.local. 30 IN AAAA fd00:0:0:0:0:0:0:9");
        assertNegative("10-244-1-9.default.pod.cluster.local", DnsRecordType.AAAA, DnsResponseCode.NOERROR);
    }

    @Test
    void reverseNamesOfClusterIpsAndEndpointsArePtrsOthersGoUpstream() {
        assertThat(answers("20.0.96.10.in-addr.arpa.", DnsRecordType.PTR))
                .containsExactly("20.0.96.10.in-addr.arpa. 30 IN PTR web.default.svc.cluster.local.");
        assertThat(answers("5.1.244.10.in-addr.arpa", DnsRecordType.PTR))
                .containsExactly("5.1.244.10.in-addr.arpa. 30 IN PTR db-0.db.default.svc.cluster.local.");
        assertThat(resolver.resolve("4.3.2.1.in-addr.arpa", DnsRecordType.PTR)).isSameAs(Answer.OUTSIDE);
    }

    @Test
    void namesOutsideTheZoneAreNotOurs() {
        Answer a = resolver.resolve("example.com", DnsRecordType.A);
        assertThat(a.outsideZone()).isTrue();
        assertThat(a.rcode()).isEqualTo(DnsResponseCode.REFUSED);
        assertThat(resolver.resolve("local", DnsRecordType.A).outsideZone()).isTrue();
        assertThat(resolver.resolve("xcluster.local", DnsRecordType.A).outsideZone())
                .isTrue();
    }

    @Test
    void theZoneHasItsSoaAndSchemaVersion() {
        assertThat(answers("cluster.local.", DnsRecordType.SOA)).containsExactly(SOA);
        assertThat(answers("dns-version.cluster.local", DnsRecordType.TXT))
                .containsExactly("dns-version.cluster.local. 28800 IN TXT \"1.1.0\"");
    }

    /**
     * A pod in namespace default asks for {@code web} with ndots:5 and search {@code default.svc.cluster.local
     * svc.cluster.local cluster.local}: fewer than five dots, so the search list goes first, then the bare name.
     */
    @Test
    void theSearchPathOfAPodInDefaultFindsWebOnceAndNothingElse() {
        List<String> search = List.of("default.svc.cluster.local", "svc.cluster.local", "cluster.local");
        List<String> tried =
                new java.util.ArrayList<>(search.stream().map(s -> "web." + s).toList());
        tried.add("web");
        assertThat(answers(tried.get(0), DnsRecordType.A))
                .containsExactly("web.default.svc.cluster.local. 30 IN A 10.96.0.20");
        assertNegative(tried.get(1), DnsRecordType.A, DnsResponseCode.NXDOMAIN);
        assertNegative(tried.get(2), DnsRecordType.A, DnsResponseCode.NXDOMAIN);
        assertThat(resolver.resolve(tried.get(3), DnsRecordType.A).outsideZone())
                .isTrue();
        // "web.default" (one dot) and the full name from another namespace resolve to the same Service
        assertThat(answers("web.default.svc.cluster.local", DnsRecordType.A)).hasSize(1);
        assertNegative("web.default.default.svc.cluster.local", DnsRecordType.A, DnsResponseCode.NXDOMAIN);
        assertNegative("web.default.cluster.local", DnsRecordType.A, DnsResponseCode.NXDOMAIN);
    }
}
