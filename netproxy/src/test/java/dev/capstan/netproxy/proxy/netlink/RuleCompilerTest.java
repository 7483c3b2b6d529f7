package dev.capstan.netproxy.proxy.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The encodings nft 1.0.6 uses, as {@code nft --debug=netlink} shows them; the kernel tests are the netns ones. */
class RuleCompilerTest {
    @Test
    void elementKeysPadEachPartOfAConcatenationToAWord() {
        assertThat(RuleCompiler.elementKey("10.96.0.1 . tcp . 80"))
                .hasValueSatisfying(k -> assertThat(k).containsExactly(10, 96, 0, 1, 6, 0, 0, 0, 0, 80, 0, 0));
        assertThat(RuleCompiler.elementKey("udp . 30053"))
                .hasValueSatisfying(k -> assertThat(k).containsExactly(17, 0, 0, 0, 0x75, 0x65, 0, 0));
        assertThat(RuleCompiler.elementKey("10.96.0.10"))
                .hasValueSatisfying(k -> assertThat(k).containsExactly(10, 96, 0, 10));
    }

    @Test
    void keysOutsideTheEncodedFormsAreRefused() {
        assertThat(RuleCompiler.elementKey("10.96.0.1 . tcp . 70000")).isEmpty();
        assertThat(RuleCompiler.elementKey("10.96.0.0/16")).isEmpty();
        assertThat(RuleCompiler.elementKey("10.96.0.1 . icmp . 0")).isEmpty();
        assertThat(RuleCompiler.elementKey("10.96.0.256")).isEmpty();
        assertThat(RuleCompiler.elementKey("tcp")).isEmpty();
    }

    @Test
    void verdictsWithAndWithoutAChain() {
        assertThat(RuleCompiler.verdict("goto service-x")).contains(new RuleCompiler.Verdict(-4, "service-x"));
        assertThat(RuleCompiler.verdict("drop")).contains(new RuleCompiler.Verdict(0, null));
        assertThat(RuleCompiler.verdict("accept")).isEmpty();
        assertThat(RuleCompiler.verdict("goto")).isEmpty();
    }

    @Test
    void commentsAndFibSourceTypeCompile() {
        var rule = RuleCompiler.compile("fib saddr type local goto service-x comment \"short-circuit local traffic\"")
                .orElseThrow();
        assertThat(rule.comment()).isEqualTo("short-circuit local traffic");
        assertThat(rule.expressions()).extracting(e -> e.name).containsExactly("fib", "cmp", "immediate");
        assertThat(RuleCompiler.compile("goto x comment \"" + "c".repeat(129) + "\""))
                .isEmpty();
        assertThat(RuleCompiler.compile("goto x comment \"unterminated")).isEmpty();
    }

    @Test
    void theTablesFixedFormsCompileAsNftDoes() {
        assertThat(names("ct state new jump service-endpoints-check"))
                .containsExactly("ct", "bitwise", "cmp", "immediate");
        assertThat(names("iifname != \"lo\" ip daddr 127.0.0.0/8 ct status & dnat == 0 drop"))
                .containsExactly("meta", "cmp", "payload", "cmp", "ct", "bitwise", "cmp", "immediate");
        assertThat(names("mark set mark or 0x4000")).containsExactly("meta", "bitwise", "meta");
        assertThat(names("mark and 0x4000 == 0 return")).containsExactly("meta", "bitwise", "cmp", "immediate");
        assertThat(names("masquerade fully-random")).containsExactly("masq");
        assertThat(names("ip daddr . meta l4proto . th dport vmap @service-ips"))
                .containsExactly("payload", "meta", "payload", "lookup");
        assertThat(names("fib daddr type local meta l4proto . th dport vmap @service-nodeports"))
                .containsExactly("fib", "cmp", "meta", "payload", "lookup");
        assertThat(names("ip daddr @cluster-ips reject comment \"no Service port at this ClusterIP\""))
                .containsExactly("payload", "lookup", "reject");
        // off a byte boundary the address is masked first
        assertThat(names("ip daddr 10.96.0.0/12 drop")).containsExactly("payload", "bitwise", "cmp", "immediate");
        assertThat(names("ip daddr 10.96.0.0/16 drop")).containsExactly("payload", "cmp", "immediate");
        assertThat(names("update @affinity-x { ip saddr }")).containsExactly("payload", "dynset");
        // a verdict ends a rule; a mark needs a number
        assertThat(RuleCompiler.compile("drop jump x")).isEmpty();
        assertThat(RuleCompiler.compile("mark set mark or lots")).isEmpty();
        assertThat(RuleCompiler.compile("ip daddr 10.96.0.0/33 drop")).isEmpty();
    }

    private static java.util.List<String> names(String rule) {
        return RuleCompiler.compile(rule).orElseThrow().expressions().stream()
                .map(e -> e.name)
                .toList();
    }
}
