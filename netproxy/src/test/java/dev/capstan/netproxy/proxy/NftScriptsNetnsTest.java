package dev.capstan.netproxy.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scripts against a real kernel, in a namespace of the test's own: after any sequence of incremental diffs or
 * refreshes, the table must hold exactly what a full rewrite of the last ruleset gives.
 */
class NftScriptsNetnsTest {

    @BeforeEach
    void needsRoot() {
        NftTestSupport.requireRootAndNft();
    }

    @Test
    void diffsEndWhereAFullRewriteDoes() {
        runSequence(false);
    }

    @Test
    void refreshesEndWhereAFullRewriteDoes() {
        runSequence(true);
    }

    private void runSequence(boolean refresh) {
        ProxySettings s = Fixtures.SETTINGS;
        try (TestNetns ns = new TestNetns();
                Nft nft = new Nft(ns.prefix())) {
            Ruleset previous = null;
            for (String name : GoldenCases.SEQUENCE) {
                Ruleset next = ProxyRenderer.ruleset(GoldenCases.CASES.get(name), s);
                String script = previous == null
                        ? NftScripts.full(next, s)
                        : refresh ? NftScripts.refresh(previous, next, s) : NftScripts.diff(previous, next, s);
                if (previous != null && !refresh) {
                    nft.applyCommands(s.table(), script); // through the long-lived nft -i, as the syncer does
                } else {
                    nft.apply(script);
                }
                String stepwise = sortedListing(nft);
                nft.apply(NftScripts.full(next, s));
                assertThat(stepwise).as("after %s", name).isEqualTo(sortedListing(nft));
                previous = next;
            }
            assertThat(NftScripts.diff(previous, previous, s)).isEmpty();
        }
    }

    @Test
    void aChangedAffinityTimeoutReplacesTheSetsAndTheRulesUsingThem() {
        ProxySettings s = Fixtures.SETTINGS;
        ProxyInputs before = GoldenCases.CASES.get("session-affinity");
        var services = before.services().stream()
                .map(svc -> svc.getMetadata().getName().equals("sticky")
                        ? new io.fabric8.kubernetes.api.model.ServiceBuilder(svc)
                                .editSpec()
                                .editSessionAffinityConfig()
                                .editClientIP()
                                .withTimeoutSeconds(900)
                                .endClientIP()
                                .endSessionAffinityConfig()
                                .endSpec()
                                .build()
                        : svc)
                .toList();
        ProxyInputs after =
                new ProxyInputs(services, before.endpointSlices(), before.nodeName(), before.nodeAddresses());
        try (TestNetns ns = new TestNetns();
                Nft nft = new Nft(ns.prefix())) {
            Ruleset r1 = ProxyRenderer.ruleset(before, s);
            Ruleset r2 = ProxyRenderer.ruleset(after, s);
            nft.apply(NftScripts.full(r1, s));
            nft.apply(NftScripts.diff(r1, r2, s));
            String stepwise = sortedListing(nft);
            assertThat(stepwise).contains("timeout 15m");
            nft.apply(NftScripts.full(r2, s));
            assertThat(stepwise).isEqualTo(sortedListing(nft));
        }
    }

    @Test
    void aRefusedScriptSaysWhichLine() {
        try (TestNetns ns = new TestNetns()) {
            Nft nft = new Nft(ns.prefix());
            assertThatThrownBy(() -> nft.apply("add table ip t\nadd chain ip t c\nadd rule ip t c frobnicate\n"))
                    .isInstanceOf(Nft.NftException.class)
                    .hasMessageContaining("script line 3: add rule ip t c frobnicate");
            // the session: a refused script changes nothing, says why, and the session goes on
            try (nft) {
                nft.apply("add table ip t\n");
                assertThatThrownBy(() -> nft.applyCommands("t", "add chain ip t c\nadd rule ip t c frobnicate\n"))
                        .isInstanceOf(Nft.NftException.class)
                        .hasMessageContaining("frobnicate");
                nft.applyCommands("t", "add chain ip t d\n");
                assertThat(nft.run(null, "list", "table", "ip", "t"))
                        .contains("chain d")
                        .doesNotContain("chain c");
            }
        }
    }

    private static String sortedListing(Nft nft) {
        return String.join(
                "\n", NftTestSupport.sortedLines(nft.run(null, "list", "table", "ip", Fixtures.SETTINGS.table())));
    }
}
