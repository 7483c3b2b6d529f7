package dev.capstan.netproxy.policy;

import static dev.capstan.netproxy.policy.Fixtures.NODE;
import static dev.capstan.netproxy.policy.Fixtures.block;
import static dev.capstan.netproxy.policy.Fixtures.from;
import static dev.capstan.netproxy.policy.Fixtures.labels;
import static dev.capstan.netproxy.policy.Fixtures.namespace;
import static dev.capstan.netproxy.policy.Fixtures.pod;
import static dev.capstan.netproxy.policy.Fixtures.policy;
import static dev.capstan.netproxy.policy.Fixtures.port;
import static dev.capstan.netproxy.policy.Fixtures.selector;
import static dev.capstan.netproxy.policy.Fixtures.to;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cases the golden files do not show at a glance. */
class PolicyRendererTest {
    private static final Pod WEB = pod("shop", "web", NODE, "10.244.0.10", labels("app", "web"));

    private static String render(List<NetworkPolicy> policies, List<Pod> pods) {
        return PolicyRenderer.render("t", new PolicyInputs(NODE, policies, pods, List.of(namespace("shop"))));
    }

    @Test
    void policyTypesDefaultToIngressAndToEgressWhenEgressRulesExist() {
        var withEgress =
                policy("shop", "p", selector(), List.of(), List.of(), List.of(to(List.of(block("10.0.0.0/8")))));
        assertThat(render(List.of(withEgress), List.of(WEB)))
                .contains("chain ingress-shop/web", "chain egress-shop/web", "ip daddr 10.0.0.0/8 return");
        var ingressOnly = policy("shop", "p", selector(), List.of(), List.of(), List.of());
        assertThat(render(List.of(ingressOnly), List.of(WEB)))
                .contains("chain ingress-shop/web")
                .doesNotContain("chain egress-shop/web");
        var egressOnly = policy("shop", "p", selector(), List.of("Egress"), List.of(), List.of());
        assertThat(render(List.of(egressOnly), List.of(WEB)))
                .contains("chain egress-shop/web")
                .doesNotContain("chain ingress-shop/web");
    }

    @Test
    void aRuleWhosePeersMatchNoIpv4AllowsNothingRatherThanEverything() {
        var p = policy(
                "shop",
                "p",
                selector(),
                List.of(),
                List.of(from(List.of(block("fd00::/8"), block("10.1.0.0/16", "10.0.0.0/8")))),
                List.of());
        String text = render(List.of(p), List.of(WEB));
        assertThat(chain(text, "ingress-shop/web"))
                .isEqualTo(List.of(
                        "ip saddr 10.244.0.10 return comment \"a pod can always reach itself\"", "counter drop"));
    }

    @Test
    void portsOfUnknownProtocolsOrUnresolvedNamesAllowNothing() {
        var p = policy(
                "shop",
                "p",
                selector(),
                List.of(),
                List.of(from(List.of(), port("ICMP", 1), port("TCP", "no-such-port"))),
                List.of());
        assertThat(chain(render(List.of(p), List.of(WEB)), "ingress-shop/web")).hasSize(2);
        // no ports at all: every port and protocol
        var any = policy("shop", "p", selector(), List.of(), List.of(from(List.of())), List.of());
        assertThat(chain(render(List.of(any), List.of(WEB)), "ingress-shop/web"))
                .contains("return comment \"shop/p ingress[0]\"");
    }

    @Test
    void onlyRunningPodsOfThisNodeWithAnIpAreGuarded() {
        Pod pending = new PodBuilder(pod("shop", "pending", NODE, "10.244.0.11", labels()))
                .editStatus()
                .withPodIP(null)
                .withPodIPs(List.of())
                .endStatus()
                .build();
        Pod failed = new PodBuilder(pod("shop", "failed", NODE, "10.244.0.12", labels()))
                .editStatus()
                .withPhase("Failed")
                .endStatus()
                .build();
        Pod v6 = pod("shop", "v6", NODE, "fd00::5", labels());
        Pod remote = pod("shop", "remote", "node-b", "10.244.1.10", labels());
        String text = render(
                List.of(policy("shop", "p", selector(), List.of(), List.of(), List.of())),
                List.of(WEB, pending, failed, v6, remote));
        assertThat(text).contains("chain ingress-shop/web").doesNotContain("pending", "failed", "v6", "remote");
    }

    @Test
    void aNamespaceNotYetCachedIsKnownByItsNameLabel() {
        Pod dns = pod("kube-system", "coredns", "node-b", "10.244.1.2", labels());
        var p = policy(
                "shop",
                "p",
                selector(),
                List.of(),
                List.of(from(List.of(Fixtures.namespaces(selector("kubernetes.io/metadata.name", "kube-system"))))),
                List.of());
        // the inputs hold the namespace shop only
        assertThat(render(List.of(p), List.of(WEB, dns))).contains("elements = { 10.244.1.2 }");
    }

    @Test
    void anAddressTwoPodsClaimJumpsToOneChain() {
        Pod stale = pod("shop", "a-stale", NODE, "10.244.0.10", labels());
        String text =
                render(List.of(policy("shop", "p", selector(), List.of(), List.of(), List.of())), List.of(WEB, stale));
        assertThat(text).containsOnlyOnce("10.244.0.10 : jump").contains("10.244.0.10 : jump ingress-shop/a-stale");
    }

    @Test
    void longNamesAreCutAndKeptApart(@TempDir Path dir) throws IOException {
        String ns = "n".repeat(63);
        String stem = "p".repeat(240);
        Pod one = pod(ns, stem + "-1", NODE, "10.244.0.21", labels());
        Pod two = pod(ns, stem + "-2", NODE, "10.244.0.22", labels());
        String text = PolicyRenderer.render(
                "t",
                new PolicyInputs(
                        NODE,
                        List.of(policy(
                                ns,
                                "q".repeat(253),
                                selector(),
                                List.of(),
                                List.of(from(List.of(Fixtures.pods(selector())))),
                                List.of())),
                        List.of(one, two),
                        List.of(namespace(ns))));
        Matcher m = Pattern.compile("chain (ingress-\\S+) \\{").matcher(text);
        List<String> names = m.results().map(r -> r.group(1)).toList();
        assertThat(names)
                .hasSize(2)
                .doesNotHaveDuplicates()
                .allSatisfy(n -> assertThat(n).hasSizeLessThanOrEqualTo(200));
        assertThat(text).containsPattern("set from-n+/q+-[0-9a-f]{12} \\{");
        NftTool.require();
        Path file = dir.resolve("long.nft");
        Files.writeString(file, text);
        NftTool.run(List.of("nft", "-c", "-f", file.toString()), null);
    }

    /** The rules of one chain, one a line, trimmed. */
    private static List<String> chain(String text, String name) {
        int start = text.indexOf("chain " + name + " {\n");
        assertThat(start).as("chain %s", name).isNotNegative();
        String body = text.substring(text.indexOf('\n', start) + 1, text.indexOf("\t}\n", start));
        return body.lines().map(String::strip).toList();
    }
}
