package dev.capstan.netproxy.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capstan.netproxy.proxy.netlink.NetlinkSocket;
import dev.capstan.netproxy.proxy.netlink.NftBatch;
import dev.capstan.netproxy.proxy.netlink.RuleCompiler;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The netlink batches against a real kernel, in a namespace of the test's own: after each endpoint change applied
 * through netlink, the table must list exactly as after a full rewrite by nft of the new ruleset, chain by chain in
 * rule order; what netlink does not cover is left to nft.
 */
class NetlinkDiffNetnsTest {
    private static final ProxySettings BY_BRIDGE = new ProxySettings("capstan-proxy", "capstan0", "10.96.0.0/16", null);

    @BeforeEach
    void needsRoot() {
        NftTestSupport.requireRootAndNft();
    }

    @Test
    void endpointChangesThroughNetlinkEndWhereAFullRewriteDoes() {
        for (ProxySettings s : List.of(Fixtures.SETTINGS, BY_BRIDGE)) {
            List<Service> services = List.of(
                    Fixtures.service("default", "web", "10.96.0.10", Fixtures.port("http", 80, 8080))
                            .build(),
                    Fixtures.service("default", "dns", "10.96.0.53", Fixtures.port("dns", "UDP", 53, 53, null))
                            .build());
            Map<String, List<EndpointSlice>> steps = new LinkedHashMap<>();
            steps.put("start", slices(List.of("10.244.1.2", "10.244.1.3", "10.244.1.4"), 8080));
            steps.put("one endpoint moves", slices(List.of("10.244.1.2", "10.244.1.9", "10.244.1.4"), 8080));
            steps.put("one endpoint goes", slices(List.of("10.244.1.2", "10.244.1.9"), 8080));
            steps.put("two come", slices(List.of("10.244.1.2", "10.244.1.9", "10.244.2.7", "10.244.1.5"), 8080));
            steps.put("the target port changes", slices(List.of("10.244.1.2", "10.244.1.9"), 9090));
            steps.put("the last endpoints go", slices(List.of(), 9090));
            steps.put("one comes back", slices(List.of("10.244.1.4"), 9090));
            try (TestNetns ns = new TestNetns();
                    Nft nft = new Nft(ns.prefix())) {
                Ruleset previous = null;
                for (var step : steps.entrySet()) {
                    Ruleset next = ProxyRenderer.ruleset(Fixtures.inputs(services, step.getValue()), s);
                    if (previous == null) {
                        nft.apply(NftScripts.full(next, s));
                    } else {
                        NftBatch batch = NetlinkDiff.batch(previous, next, s.table())
                                .orElseThrow(() -> new AssertionError("no netlink batch for " + step.getKey()));
                        assertThat(nft.applyBatch(batch)).isTrue();
                        String stepwise = nft.run(null, "list", "table", "ip", s.table());
                        nft.apply(NftScripts.full(next, s));
                        String rewritten = nft.run(null, "list", "table", "ip", s.table());
                        assertThat(NftTestSupport.chains(stepwise))
                                .as(step.getKey())
                                .isEqualTo(NftTestSupport.chains(rewritten));
                        assertThat(NftTestSupport.sortedLines(stepwise))
                                .as(step.getKey())
                                .isEqualTo(NftTestSupport.sortedLines(rewritten));
                    }
                    previous = next;
                }
                assertThat(NetlinkDiff.batch(previous, previous, s.table())).isEmpty();
            }
        }
    }

    @Test
    void theSyncerSendsEndpointChangesThroughNetlinkAndTheRestThroughNft() {
        List<Service> services = new ArrayList<>(List.of(
                Fixtures.service("default", "web", "10.96.0.10", Fixtures.port("http", 80, 8080))
                        .build(),
                Fixtures.service("default", "dns", "10.96.0.53", Fixtures.port("dns", "UDP", 53, 53, null))
                        .build()));
        AtomicReference<ProxyInputs> inputs =
                new AtomicReference<>(Fixtures.inputs(services, slices(List.of("10.244.1.2", "10.244.1.3"), 8080)));
        ProxySettings s = Fixtures.SETTINGS;
        try (TestNetns ns = new TestNetns();
                Nft check = new Nft(ns.prefix())) {
            ProxySyncer syncer = new ProxySyncer(
                    inputs::get, s, new Nft(ns.prefix()), Duration.ZERO, Duration.ofHours(1), Clock.systemUTC());
            try {
                assertThat(syncer.syncNow(false).kind()).isEqualTo("full");
                inputs.set(Fixtures.inputs(services, slices(List.of("10.244.1.2", "10.244.1.7"), 8080)));
                ProxySyncer.SyncResult moved = syncer.syncNow(false);
                assertThat(moved.netlink()).isTrue();
                assertThat(moved.scriptLines()).as("commands").isPositive();
                assertMatchesAFullRewrite(check, inputs.get(), s);
                inputs.set(Fixtures.inputs(services, slices(List.of("10.244.1.7"), 8080)));
                assertThat(syncer.syncNow(false).netlink()).isTrue();
                assertMatchesAFullRewrite(check, inputs.get(), s);
                assertThat(syncer.syncNow(false).scriptLines())
                        .as("nothing changed")
                        .isZero();
                // a new Service, and one going: VIPs and chains come and go through netlink too
                services.add(Fixtures.service("default", "api", "10.96.0.11", Fixtures.port("http", 80, 8080))
                        .build());
                inputs.set(Fixtures.inputs(services, slices(List.of("10.244.1.7"), 8080)));
                assertThat(syncer.syncNow(false).netlink()).isTrue();
                assertMatchesAFullRewrite(check, inputs.get(), s);
                services.removeFirst();
                inputs.set(Fixtures.inputs(services, slices(List.of("10.244.1.7"), 8080)));
                assertThat(syncer.syncNow(false).netlink()).isTrue();
                assertMatchesAFullRewrite(check, inputs.get(), s);
                // session affinity adds a set per endpoint: nft's job
                services.add(Fixtures.service("default", "sticky", "10.96.0.12", Fixtures.port("http", 80, 8080))
                        .editSpec()
                        .withSessionAffinity("ClientIP")
                        .endSpec()
                        .build());
                inputs.set(Fixtures.inputs(
                        services,
                        List.of(Fixtures.slice(
                                "default",
                                "sticky",
                                "sticky-1",
                                List.of(Fixtures.slicePort("http", "TCP", 8080)),
                                Fixtures.ready("10.244.1.8", Fixtures.NODE)))));
                ProxySyncer.SyncResult sticky = syncer.syncNow(false);
                assertThat(sticky.kind()).isEqualTo("incremental");
                assertThat(sticky.netlink()).isFalse();
                assertMatchesAFullRewrite(check, inputs.get(), s);
            } finally {
                syncer.close();
            }
        }
    }

    @Test
    void randomEndpointChangesOfEveryKindOfServiceEndWhereAFullRewriteDoes() {
        // ClusterIP, NodePort with externalTrafficPolicy Local, LoadBalancer, ClientIP affinity and internal
        // traffic policy Local, each now and then removed and added back: most changes go through netlink, the rest
        // through nft; the table must always match.
        List<Service> services = List.of(
                Fixtures.service("default", "plain", "10.96.1.1", Fixtures.port("http", 80, 8080))
                        .build(),
                Fixtures.service("default", "nodeport", "10.96.1.2", Fixtures.port("http", "TCP", 80, 8080, 30002))
                        .editSpec()
                        .withType("NodePort")
                        .withExternalTrafficPolicy("Local")
                        .endSpec()
                        .build(),
                Fixtures.service("default", "lb", "10.96.1.3", Fixtures.port("http", "TCP", 80, 8080, 30003))
                        .editSpec()
                        .withType("LoadBalancer")
                        .endSpec()
                        .build(),
                Fixtures.service("default", "sticky", "10.96.1.4", Fixtures.port("http", 80, 8080))
                        .editSpec()
                        .withSessionAffinity("ClientIP")
                        .endSpec()
                        .build(),
                Fixtures.service("default", "local", "10.96.1.5", Fixtures.port("http", 80, 8080))
                        .editSpec()
                        .withInternalTrafficPolicy("Local")
                        .endSpec()
                        .build());
        java.util.Random random = new java.util.Random(20261207);
        List<EndpointSlice> slices = new ArrayList<>();
        for (Service service : services) {
            slices.add(randomSlice(random, service.getMetadata().getName()));
        }
        AtomicReference<ProxyInputs> inputs = new AtomicReference<>(Fixtures.inputs(services, slices));
        ProxySettings s = Fixtures.SETTINGS;
        int throughNetlink = 0;
        java.util.Set<String> byNft = new java.util.HashSet<>();
        try (TestNetns ns = new TestNetns();
                Nft check = new Nft(ns.prefix())) {
            ProxySyncer syncer = new ProxySyncer(
                    inputs::get, s, new Nft(ns.prefix()), Duration.ZERO, Duration.ofHours(1), Clock.systemUTC());
            try {
                syncer.syncNow(false);
                List<Service> present = new ArrayList<>(services);
                for (int step = 0; step < 60; step++) {
                    int changed = random.nextInt(services.size());
                    if (random.nextInt(5) == 0) { // a Service goes, or comes back
                        Service service = services.get(changed);
                        if (!present.remove(service)) {
                            present.add(service);
                        }
                    } else { // or one Service's endpoints change
                        slices.set(
                                changed,
                                randomSlice(
                                        random,
                                        services.get(changed).getMetadata().getName()));
                    }
                    inputs.set(Fixtures.inputs(present, slices));
                    ProxySyncer.SyncResult result = syncer.syncNow(false);
                    throughNetlink += result.netlink() ? 1 : 0;
                    if (result.scriptLines() > 0 && !result.netlink()) {
                        byNft.add(services.get(changed).getMetadata().getName());
                    }
                    String stepwise = check.run(null, "list", "table", "ip", s.table());
                    String rewritten = nft(check, inputs.get(), s);
                    assertThat(NftTestSupport.chains(stepwise))
                            .as("step %d", step)
                            .isEqualTo(NftTestSupport.chains(rewritten));
                    assertThat(NftTestSupport.sortedLines(stepwise))
                            .as("step %d", step)
                            .isEqualTo(NftTestSupport.sortedLines(rewritten));
                }
            } finally {
                syncer.close();
            }
        }
        // only the sticky Service's changes, which add or remove affinity sets, go through nft
        assertThat(byNft).as("Services whose changes went through nft").containsOnly("sticky");
        assertThat(throughNetlink).as("changes that went through netlink").isGreaterThan(20);
    }

    /** A Service's slice for the random test: 0 to 4 endpoints from a small pool, in random states, on either node. */
    private static EndpointSlice randomSlice(java.util.Random random, String service) {
        List<Endpoint> endpoints = new ArrayList<>();
        int count = random.nextInt(5);
        for (int i = 0; i < count; i++) {
            boolean ready = random.nextInt(4) != 0;
            endpoints.add(Fixtures.endpoint(
                    "10.244." + (random.nextBoolean() ? 1 : 2) + "." + (2 + random.nextInt(6)),
                    random.nextBoolean() ? Fixtures.NODE : "node-b",
                    ready,
                    ready || random.nextBoolean(),
                    !ready && random.nextBoolean()));
        }
        return Fixtures.slice(
                "default",
                service,
                service + "-1",
                List.of(Fixtures.slicePort("http", "TCP", 8080)),
                endpoints.stream().distinct().toArray(Endpoint[]::new));
    }

    /** Lists the table as nft's full rewrite of {@code inputs} leaves it (the rewrite stays). */
    private static String nft(Nft nft, ProxyInputs inputs, ProxySettings s) {
        nft.apply(NftScripts.full(ProxyRenderer.ruleset(inputs, s), s));
        return nft.run(null, "list", "table", "ip", s.table());
    }

    /** The table as it is equals what nft's full rewrite of the same inputs gives (which then stays). */
    private static void assertMatchesAFullRewrite(Nft nft, ProxyInputs inputs, ProxySettings s) {
        String stepwise = nft.run(null, "list", "table", "ip", s.table());
        nft.apply(NftScripts.full(ProxyRenderer.ruleset(inputs, s), s));
        String rewritten = nft.run(null, "list", "table", "ip", s.table());
        assertThat(NftTestSupport.chains(stepwise)).isEqualTo(NftTestSupport.chains(rewritten));
        assertThat(NftTestSupport.sortedLines(stepwise)).isEqualTo(NftTestSupport.sortedLines(rewritten));
    }

    @Test
    void changesBeyondEndpointsAreLeftToNft() {
        List<Service> one = List.of(Fixtures.service("default", "web", "10.96.0.10", Fixtures.port("http", 80, 8080))
                .build());
        List<Service> two = new ArrayList<>(one);
        two.add(Fixtures.service("default", "api", "10.96.0.11", Fixtures.port("http", 80, 8080))
                .build());
        List<EndpointSlice> slices = slices(List.of("10.244.1.2"), 8080);
        Ruleset before = ProxyRenderer.ruleset(Fixtures.inputs(one, slices), Fixtures.SETTINGS);
        Ruleset after = ProxyRenderer.ruleset(Fixtures.inputs(two, slices), Fixtures.SETTINGS);
        assertThat(NetlinkDiff.batch(before, after, "capstan-proxy")).isPresent(); // a new VIP
        // a Service claiming another's external IP and port: the merged table keeps the first one's element
        List<Service> sharing = List.of(
                Fixtures.service("default", "web", "10.96.0.10", Fixtures.port("http", 80, 8080))
                        .editSpec()
                        .withExternalIPs("192.0.2.50")
                        .endSpec()
                        .build(),
                Fixtures.service("default", "copy", "10.96.0.12", Fixtures.port("http", 80, 8080))
                        .editSpec()
                        .withExternalIPs("192.0.2.50")
                        .endSpec()
                        .build());
        List<EndpointSlice> both = new ArrayList<>(slices);
        both.add(Fixtures.slice(
                "default",
                "copy",
                "copy-1",
                List.of(Fixtures.slicePort("http", "TCP", 8080)),
                Fixtures.ready("10.244.1.3", Fixtures.NODE)));
        var parts = ProxyRenderer.parts(Fixtures.inputs(sharing.subList(0, 1), both), Fixtures.SETTINGS, Map.of());
        var withCopy = ProxyRenderer.parts(Fixtures.inputs(sharing, both), Fixtures.SETTINGS, parts);
        assertThat(NetlinkDiff.batch(parts, withCopy, "capstan-proxy")).isEmpty();
        // forms outside the compiler's are nft's
        assertThat(RuleCompiler.compile("ip saddr != @affinity-x goto x")).isEmpty();
        assertThat(RuleCompiler.compile("ip saddr 10.245.0.0/15 jump mark-for-masquerade"))
                .as("host bits set")
                .isEmpty();
        assertThat(RuleCompiler.compile("goto x comment \"c\"")).isPresent();
        assertThat(RuleCompiler.compile("goto x comment \"a \\\"quote\\\"\"")).isEmpty();
        assertThat(RuleCompiler.compile("fib daddr type unicast goto x")).isEmpty();
        assertThat(RuleCompiler.compile("masquerade")).isEmpty();
        assertThat(RuleCompiler.compile("ct state established accept")).isEmpty();
        assertThat(RuleCompiler.compile("ip daddr 10.96.0.10 tcp dport 80 jump x"))
                .isPresent();
    }

    @Test
    void aRefusedBatchChangesNothingAndSaysWhy() {
        try (TestNetns ns = new TestNetns();
                Nft nft = new Nft(ns.prefix())) {
            nft.apply("add table ip t\nadd chain ip t a\n");
            String before = nft.run(null, "list", "table", "ip", "t");
            NftBatch batch = new NftBatch("t");
            batch.addChain("b");
            batch.addRule("missing", RuleCompiler.compile("jump a").orElseThrow());
            assertThatThrownBy(() -> nft.applyBatch(batch))
                    .isInstanceOf(NetlinkSocket.NetlinkException.class)
                    .hasMessageContaining("command 2 of 2: No such file or directory");
            assertThat(nft.run(null, "list", "table", "ip", "t")).isEqualTo(before);
            // the socket goes on after a refusal
            NftBatch good = new NftBatch("t");
            good.addChain("b");
            good.addRule("b", RuleCompiler.compile("ip saddr 10.0.0.1 jump a").orElseThrow());
            assertThat(nft.applyBatch(good)).isTrue();
            assertThat(nft.run(null, "list", "chain", "ip", "t", "b")).contains("ip saddr 10.0.0.1 jump a");
        }
    }

    /** One slice per Service, every endpoint ready, half of them on this node. */
    private static List<EndpointSlice> slices(List<String> ips, int port) {
        Endpoint[] endpoints = IntStream.range(0, ips.size())
                .mapToObj(i -> Fixtures.ready(ips.get(i), i % 2 == 0 ? Fixtures.NODE : "node-b"))
                .toArray(Endpoint[]::new);
        return List.of(
                Fixtures.slice("default", "web", "web-1", List.of(Fixtures.slicePort("http", "TCP", port)), endpoints),
                Fixtures.slice("default", "dns", "dns-1", List.of(Fixtures.slicePort("dns", "UDP", 53)), endpoints));
    }
}
