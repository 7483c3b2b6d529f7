package dev.capstan.netproxy.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.netproxy.proxy.netlink.NftBatch;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Whole tables through netlink against a real kernel, in a namespace of the test's own: each must list exactly as
 * nft's script for the same ruleset leaves it, chain by chain in rule order.
 */
class NetlinkTableNetnsTest {
    /** Pod traffic told by the bridge, and a service range off a byte boundary (a masked address match). */
    private static final ProxySettings BY_BRIDGE = new ProxySettings("capstan-proxy", "capstan0", "10.96.0.0/12", null);

    @BeforeEach
    void needsRoot() {
        NftTestSupport.requireRootAndNft();
    }

    @Test
    void everyGoldenCaseListsAsNftsOwnTable() {
        for (ProxySettings s : List.of(Fixtures.SETTINGS, BY_BRIDGE)) {
            try (TestNetns ns = new TestNetns();
                    Nft nft = new Nft(ns.prefix())) {
                for (String name : GoldenCases.SEQUENCE) {
                    Ruleset r = ProxyRenderer.ruleset(GoldenCases.CASES.get(name), s);
                    NftBatch batch = NetlinkTable.full(r, s)
                            .orElseThrow(() -> new AssertionError("no netlink form for " + name));
                    // replaces the table the step before left (none at first)
                    assertThat(nft.applyBatch(batch)).isTrue();
                    String throughNetlink = listing(nft, s);
                    nft.apply(NftScripts.full(r, s));
                    assertSameTable(throughNetlink, listing(nft, s), name + " " + s.podCidr());
                }
            }
        }
    }

    @Test
    void refreshesListAsAFullRewriteAndKeepAffinityState() {
        ProxySettings s = Fixtures.SETTINGS;
        try (TestNetns ns = new TestNetns();
                Nft nft = new Nft(ns.prefix())) {
            Ruleset previous = null;
            for (String name : GoldenCases.SEQUENCE) {
                Ruleset next = ProxyRenderer.ruleset(GoldenCases.CASES.get(name), s);
                if (previous == null) {
                    nft.apply(NftScripts.full(next, s));
                } else {
                    String affinitySet = next.affinitySets().isEmpty()
                            ? null
                            : next.affinitySets().firstKey();
                    boolean kept =
                            affinitySet != null && previous.affinitySets().containsKey(affinitySet);
                    if (kept) {
                        nft.apply("add element ip " + s.table() + " " + affinitySet + " { 10.244.9.9 }\n");
                    }
                    assertThat(nft.applyBatch(
                                    NetlinkTable.refresh(previous, next, s).orElseThrow()))
                            .isTrue();
                    String refreshed = listing(nft, s);
                    if (kept) {
                        assertThat(nft.run(null, "list", "set", "ip", s.table(), affinitySet))
                                .as("a client's affinity survives the refresh")
                                .contains("10.244.9.9");
                        nft.apply("delete element ip " + s.table() + " " + affinitySet + " { 10.244.9.9 }\n");
                        refreshed = listing(nft, s);
                    }
                    nft.apply(NftScripts.full(next, s));
                    assertSameTable(refreshed, listing(nft, s), "refresh to " + name);
                }
                previous = next;
            }
        }
    }

    /**
     * A table of megabytes (a send buffer enlarged past its default, element lists split over messages) through the
     * syncer: 300 Services of 10 endpoints and one of 300.
     */
    @Test
    void aLargeTableGoesThroughNetlinkInOneBatch() {
        List<Service> services = new ArrayList<>();
        List<EndpointSlice> slices = new ArrayList<>();
        for (int i = 0; i < 301; i++) {
            String name = "svc-" + i;
            services.add(Fixtures.service(
                            "big", name, "10.96." + (i / 250) + "." + (i % 250 + 1), Fixtures.port("http", 80, 8080))
                    .build());
            int count = i == 300 ? 300 : 10;
            Endpoint[] endpoints = new Endpoint[count];
            for (int e = 0; e < count; e++) {
                String ip = count == 10
                        ? "10." + (100 + i / 250) + "." + (i % 250) + "." + (e + 1)
                        : "10.120." + (e / 250) + "." + (e % 250 + 1);
                endpoints[e] = Fixtures.ready(ip, Fixtures.NODE);
            }
            slices.add(Fixtures.slice(
                    "big", name, name + "-1", List.of(Fixtures.slicePort("http", "TCP", 8080)), endpoints));
        }
        AtomicReference<ProxyInputs> inputs = new AtomicReference<>(Fixtures.inputs(services, slices));
        ProxySettings s = Fixtures.SETTINGS;
        try (TestNetns ns = new TestNetns();
                Nft check = new Nft(ns.prefix())) {
            ProxySyncer syncer = new ProxySyncer(
                    inputs::get, s, new Nft(ns.prefix()), Duration.ZERO, Duration.ofHours(1), Clock.systemUTC());
            try {
                ProxySyncer.SyncResult full = syncer.syncNow(false);
                assertThat(full.kind()).isEqualTo("full");
                assertThat(full.netlink()).isTrue();
                String throughNetlink = listing(check, s);
                assertThat(throughNetlink).contains("numgen random mod 300 vmap");
                ProxySyncer.SyncResult refresh = syncer.syncNow(true);
                assertThat(refresh.kind()).isEqualTo("refresh");
                assertThat(refresh.netlink()).isTrue();
                assertThat(listing(check, s)).isEqualTo(throughNetlink);
                check.apply(NftScripts.full(ProxyRenderer.ruleset(inputs.get(), s), s));
                assertSameTable(throughNetlink, listing(check, s), "300 Services");
            } finally {
                syncer.close();
            }
        }
    }

    private static void assertSameTable(String actual, String expected, String what) {
        assertThat(NftTestSupport.chains(actual)).as(what).isEqualTo(NftTestSupport.chains(expected));
        assertThat(NftTestSupport.sortedLines(actual)).as(what).isEqualTo(NftTestSupport.sortedLines(expected));
    }

    private static String listing(Nft nft, ProxySettings s) {
        return nft.run(null, "list", "table", "ip", s.table());
    }
}
