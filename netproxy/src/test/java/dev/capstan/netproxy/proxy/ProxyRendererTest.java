package dev.capstan.netproxy.proxy;

import static dev.capstan.netproxy.proxy.Fixtures.NODE;
import static dev.capstan.netproxy.proxy.Fixtures.SETTINGS;
import static dev.capstan.netproxy.proxy.Fixtures.endpoint;
import static dev.capstan.netproxy.proxy.Fixtures.port;
import static dev.capstan.netproxy.proxy.Fixtures.ready;
import static dev.capstan.netproxy.proxy.Fixtures.service;
import static dev.capstan.netproxy.proxy.Fixtures.slice;
import static dev.capstan.netproxy.proxy.Fixtures.slicePort;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The renderer's decisions, one rule of upstream's at a time. */
class ProxyRendererTest {
    private static final String SP = "ns/svc/tcp/http";

    private static Ruleset render(Service service, Endpoint... endpoints) {
        EndpointSlice slice = slice("ns", "svc", "svc-1", List.of(slicePort("http", "TCP", 8080)), endpoints);
        return ProxyRenderer.ruleset(Fixtures.inputs(List.of(service), List.of(slice)), SETTINGS);
    }

    private static Service clusterIp() {
        return service("ns", "svc", "10.96.0.50", port("http", 80, "web")).build();
    }

    private static String dnat(Ruleset r, String ip) {
        return String.join("\n", r.chains().get(ChainNames.endpoint(SP, ip, 8080)));
    }

    @Test
    void aNamedTargetPortUsesTheSlicePortOfTheServicePortsName() {
        Ruleset r = render(clusterIp(), ready("10.244.1.5", NODE));
        assertThat(r.map(Ruleset.SERVICE_IPS)).containsEntry("10.96.0.50 . tcp . 80", "goto " + ChainNames.service(SP));
        assertThat(dnat(r, "10.244.1.5")).contains("meta l4proto tcp dnat to 10.244.1.5:8080");
    }

    @Test
    void onlyReadyEndpointsTakeTraffic() {
        Ruleset r = render(clusterIp(), ready("10.244.1.5", NODE), endpoint("10.244.1.6", NODE, false, true, true));
        assertThat(r.endpointChainCount()).isEqualTo(1);
        assertThat(r.chains().get(ChainNames.service(SP)).getLast()).startsWith("numgen random mod 1 vmap");
    }

    @Test
    void servingTerminatingEndpointsStandInWhenNoneIsReady() {
        Ruleset r = render(
                clusterIp(),
                endpoint("10.244.1.6", NODE, false, true, true),
                endpoint("10.244.1.7", NODE, false, false, true),
                endpoint("10.244.1.8", NODE, false, false, false));
        assertThat(r.chains()).containsKey(ChainNames.endpoint(SP, "10.244.1.6", 8080));
        assertThat(r.endpointChainCount()).isEqualTo(1);
    }

    @Test
    void noEndpointsRejectsInFilterAndBuildsNoChains() {
        Service np = service("ns", "svc", "10.96.0.50", port("http", "TCP", 80, 8080, 30050))
                .editSpec()
                .withType("NodePort")
                .endSpec()
                .build();
        Ruleset r = render(np);
        assertThat(r.chains()).isEmpty();
        assertThat(r.map(Ruleset.NO_ENDPOINT_SERVICES)).containsEntry("10.96.0.50 . tcp . 80", "goto reject-chain");
        assertThat(r.map(Ruleset.NO_ENDPOINT_NODEPORTS)).containsEntry("tcp . 30050", "goto reject-chain");
        assertThat(r.map(Ruleset.SERVICE_IPS)).isEmpty();
        assertThat(r.clusterIps()).containsExactly("10.96.0.50");
    }

    @Test
    void internalTrafficPolicyLocalUsesOnlyThisNodesEndpointsAndDropsWithoutOne() {
        Service local = service("ns", "svc", "10.96.0.50", port("http", 80, 8080))
                .editSpec()
                .withInternalTrafficPolicy("Local")
                .endSpec()
                .build();
        Ruleset r = render(local, ready("10.244.1.5", NODE), ready("10.244.2.5", "node-b"));
        assertThat(r.map(Ruleset.SERVICE_IPS)).containsEntry("10.96.0.50 . tcp . 80", "goto " + ChainNames.local(SP));
        assertThat(r.chains()).doesNotContainKey(ChainNames.endpoint(SP, "10.244.2.5", 8080));

        Ruleset remoteOnly = render(local, ready("10.244.2.5", "node-b"));
        assertThat(remoteOnly.map(Ruleset.NO_ENDPOINT_SERVICES)).containsEntry("10.96.0.50 . tcp . 80", "drop");
        assertThat(remoteOnly.chains()).isEmpty();
    }

    @Test
    void externalTrafficPolicyLocalKeepsTheClientAddressAndShortCircuitsPodAndHostTraffic() {
        Service lb = service("ns", "svc", "10.96.0.50", port("http", "TCP", 80, 8080, 30050))
                .editSpec()
                .withType("LoadBalancer")
                .withExternalTrafficPolicy("Local")
                .endSpec()
                .build();
        Ruleset r = render(lb, ready("10.244.1.5", NODE), ready("10.244.2.5", "node-b"));
        String external = ChainNames.external(SP);
        assertThat(r.map(Ruleset.SERVICE_NODEPORTS)).containsEntry("tcp . 30050", "goto " + external);
        assertThat(r.map(Ruleset.SERVICE_IPS)).containsEntry("192.168.50.10 . tcp . 80", "goto " + external);
        assertThat(r.chains().get(external))
                .noneMatch(rule -> rule.equals(ProxyRenderer.MARK_MASQ))
                .anyMatch(rule -> rule.startsWith("ip saddr 10.244.1.0/24 goto " + ChainNames.service(SP)))
                .anyMatch(rule -> rule.startsWith("fib saddr type local " + ProxyRenderer.MARK_MASQ))
                .endsWith("goto " + ChainNames.local(SP));
        assertThat(String.join("\n", r.chains().get(ChainNames.local(SP)))).doesNotContain("10.244.2.5");

        Ruleset remoteOnly = render(lb, ready("10.244.2.5", "node-b"));
        assertThat(remoteOnly.map(Ruleset.NO_ENDPOINT_NODEPORTS)).containsEntry("tcp . 30050", "drop");
        assertThat(remoteOnly.chains().get(external)).noneMatch(rule -> rule.startsWith("goto "));
    }

    @Test
    void externalTrafficPolicyClusterMasqueradesEveryExternalPacket() {
        Service np = service("ns", "svc", "10.96.0.50", port("http", "TCP", 80, 8080, 30050))
                .editSpec()
                .withType("NodePort")
                .withExternalTrafficPolicy("Cluster")
                .endSpec()
                .build();
        Ruleset r = render(np, ready("10.244.2.5", "node-b"));
        assertThat(r.chains().get(ChainNames.external(SP)))
                .containsExactly(ProxyRenderer.MARK_MASQ, "goto " + ChainNames.service(SP));
        assertThat(r.chains().get(ChainNames.service(SP)).getFirst())
                .isEqualTo("ip daddr 10.96.0.50 tcp dport 80 ip saddr != 10.244.1.0/24 jump mark-for-masquerade");
        assertThat(dnat(r, "10.244.2.5")).startsWith("ip saddr 10.244.2.5 jump mark-for-masquerade");
    }

    @Test
    void clientIpAffinityKeepsOneSetPerEndpointWithTheTimeout() {
        Service sticky = service("ns", "svc", "10.96.0.50", port("http", 80, 8080))
                .editSpec()
                .withSessionAffinity("ClientIP")
                .endSpec()
                .build();
        Ruleset r = render(sticky, ready("10.244.1.5", NODE));
        String set = ChainNames.affinity(SP, "10.244.1.5", 8080);
        assertThat(r.affinitySets()).containsEntry(set, 10800);
        assertThat(r.chains().get(ChainNames.service(SP)))
                .contains("ip saddr @" + set + " goto " + ChainNames.endpoint(SP, "10.244.1.5", 8080));
        assertThat(dnat(r, "10.244.1.5")).contains("update @" + set + " { ip saddr }");
    }

    @Test
    void headlessAndExternalNameServicesGetNothing() {
        Service headless = service("ns", "svc", "None", port("http", 80, 8080)).build();
        assertThat(render(headless, ready("10.244.1.5", NODE))).isEqualTo(Ruleset.empty());
    }

    @Test
    void twoLoadBalancersOnOnePortTheFirstByNameWins() {
        Service a = service("ns", "a", "10.96.0.51", port("http", "TCP", 80, 8080, 30051))
                .editSpec()
                .withType("LoadBalancer")
                .endSpec()
                .build();
        Service b = service("ns", "b", "10.96.0.52", port("http", "TCP", 80, 8080, 30052))
                .editSpec()
                .withType("LoadBalancer")
                .endSpec()
                .build();
        List<EndpointSlice> slices = List.of(
                slice("ns", "a", "a-1", List.of(slicePort("http", "TCP", 8080)), ready("10.244.1.5", NODE)),
                slice("ns", "b", "b-1", List.of(slicePort("http", "TCP", 8080)), ready("10.244.1.6", NODE)));
        Ruleset r = ProxyRenderer.ruleset(Fixtures.inputs(List.of(b, a), slices), SETTINGS);
        assertThat(r.map(Ruleset.SERVICE_IPS))
                .containsEntry("192.168.50.10 . tcp . 80", "goto " + ChainNames.external("ns/a/tcp/http"));
    }

    @Test
    void aSlicePortNoPacketCanCarryGivesNoEndpoints() {
        // The API takes any int32 as a slice's port (upstream does not check it); nft refuses 70000 and would refuse
        // the whole table with it
        for (int bad : List.of(70000, 0, -1)) {
            EndpointSlice slice =
                    slice("ns", "svc", "svc-1", List.of(slicePort("http", "TCP", bad)), ready("10.244.1.5", NODE));
            Service svc =
                    service("ns", "svc", "10.96.0.50", port("http", 80, "web")).build();
            Ruleset r = ProxyRenderer.ruleset(Fixtures.inputs(List.of(svc), List.of(slice)), SETTINGS);
            assertThat(r.chains()).as("port %d", bad).isEmpty();
            assertThat(r.map(Ruleset.NO_ENDPOINT_SERVICES)).containsKey("10.96.0.50 . tcp . 80");
        }
    }

    @Test
    void unchangedServicesKeepTheirPartAndThePartsMergeIntoTheWholeRuleset() {
        Service a = service("ns", "a", "10.96.0.51", port("http", 80, 8080)).build();
        Service b = service("ns", "b", "10.96.0.52", port("http", 80, 8080)).build();
        EndpointSlice sliceA =
                slice("ns", "a", "a-1", List.of(slicePort("http", "TCP", 8080)), ready("10.244.1.5", NODE));
        EndpointSlice sliceB =
                slice("ns", "b", "b-1", List.of(slicePort("http", "TCP", 8080)), ready("10.244.1.6", NODE));
        ProxyInputs before = Fixtures.inputs(List.of(b, a), List.of(sliceA, sliceB));
        var first = ProxyRenderer.parts(before, SETTINGS, java.util.Map.of());
        assertThat(first).containsOnlyKeys("ns/a", "ns/b");
        assertThat(List.copyOf(first.keySet())).containsExactly("ns/a", "ns/b"); // in the renderer's order
        assertThat(ProxyRenderer.merge(first)).isEqualTo(ProxyRenderer.ruleset(before, SETTINGS));

        // b's endpoint moves; a is an equal copy (as after a resync): a keeps its part, b gets a new one
        EndpointSlice movedB =
                slice("ns", "b", "b-1", List.of(slicePort("http", "TCP", 8080)), ready("10.244.1.9", NODE));
        Service copyOfA =
                service("ns", "a", "10.96.0.51", port("http", 80, 8080)).build();
        ProxyInputs after = Fixtures.inputs(List.of(copyOfA, b), List.of(sliceA, movedB));
        var second = ProxyRenderer.parts(after, SETTINGS, first);
        assertThat(second.get("ns/a")).isSameAs(first.get("ns/a"));
        assertThat(second.get("ns/b")).isNotSameAs(first.get("ns/b"));
        assertThat(ProxyRenderer.merge(second)).isEqualTo(ProxyRenderer.ruleset(after, SETTINGS));
        assertThat(second.get("ns/b").rules().chains())
                .containsKey(ChainNames.endpoint("ns/b/tcp/http", "10.244.1.9", 8080));
    }

    @Test
    void chainNamesAreBoundedValidAndStable() {
        String longName = "n".repeat(63) + "/" + "s".repeat(63) + "/tcp/" + "p".repeat(15);
        String name = ChainNames.endpoint(longName + "x".repeat(200), "10.244.100.100", 65535);
        assertThat(name.length()).isLessThanOrEqualTo(ChainNames.MAX);
        assertThat(name).matches("[a-z][A-Za-z0-9_./-]*(\\.\\.\\.)?");
        assertThat(ChainNames.service("ns1/svc1/tcp/p80"))
                .isEqualTo(ChainNames.service("ns1/svc1/tcp/p80"))
                .startsWith("service-")
                .endsWith("-ns1/svc1/tcp/p80")
                .hasSize("service-".length() + 9 + 16);
    }
}
