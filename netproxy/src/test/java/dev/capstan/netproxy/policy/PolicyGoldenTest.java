package dev.capstan.netproxy.policy;

import static dev.capstan.netproxy.policy.Fixtures.NODE;
import static dev.capstan.netproxy.policy.Fixtures.block;
import static dev.capstan.netproxy.policy.Fixtures.from;
import static dev.capstan.netproxy.policy.Fixtures.labels;
import static dev.capstan.netproxy.policy.Fixtures.namespace;
import static dev.capstan.netproxy.policy.Fixtures.namespaces;
import static dev.capstan.netproxy.policy.Fixtures.pod;
import static dev.capstan.netproxy.policy.Fixtures.pods;
import static dev.capstan.netproxy.policy.Fixtures.podsIn;
import static dev.capstan.netproxy.policy.Fixtures.policy;
import static dev.capstan.netproxy.policy.Fixtures.port;
import static dev.capstan.netproxy.policy.Fixtures.selector;
import static dev.capstan.netproxy.policy.Fixtures.to;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The renderer against golden files in {@code src/test/resources/golden/policy}, each of which {@code nft -c -f}
 * must accept. Regenerate them with {@code -Dgolden.update=true} (or env GOLDEN_UPDATE=1) and read the diff.
 */
class PolicyGoldenTest {
    private static final Path DIR = Path.of("src/test/resources/golden/policy");
    private static final String TABLE = "capstan-policy";
    private static final Map<String, PolicyInputs> CASES = cases();

    static Stream<String> caseNames() {
        return CASES.keySet().stream();
    }

    @ParameterizedTest
    @MethodSource("caseNames")
    void rendersTheGoldenFile(String name) throws IOException {
        String text = PolicyRenderer.render(TABLE, CASES.get(name));
        Path file = DIR.resolve(name + ".nft");
        if (Boolean.getBoolean("golden.update") || "1".equals(System.getenv("GOLDEN_UPDATE"))) {
            Files.writeString(file, text);
        }
        assertThat(text).isEqualTo(Files.readString(file));
    }

    @Test
    void everyGoldenFileLoads() throws IOException {
        NftTool.require();
        List<Path> files;
        try (Stream<Path> s = Files.list(DIR)) {
            files = s.filter(f -> f.toString().endsWith(".nft")).sorted().toList();
        }
        assertThat(files).hasSize(CASES.size());
        for (Path f : files) {
            NftTool.run(List.of("nft", "-c", "-f", f.toAbsolutePath().toString()), null);
        }
    }

    @Test
    void outputDoesNotDependOnInputOrder() {
        for (PolicyInputs in : CASES.values()) {
            var shuffled = new PolicyInputs(
                    in.nodeName(),
                    List.copyOf(in.policies()).reversed(),
                    List.copyOf(in.pods()).reversed(),
                    List.copyOf(in.namespaces()).reversed());
            assertThat(PolicyRenderer.render(TABLE, shuffled)).isEqualTo(PolicyRenderer.render(TABLE, in));
        }
    }

    private static Map<String, PolicyInputs> cases() {
        Map<String, PolicyInputs> c = new TreeMap<>();
        var shop = List.of(namespace("shop", "team", "web"), namespace("ops", "team", "ops"));
        var web = pod("shop", "web", NODE, "10.244.0.10", labels("app", "web"), "http", "TCP/8080");
        var db = pod("shop", "db", NODE, "10.244.0.11", labels("app", "db"));
        var remoteWeb = pod("shop", "web-2", "node-b", "10.244.1.10", labels("app", "web"));
        var client = pod("shop", "client", NODE, "10.244.0.20", labels("role", "client"));
        var remoteClient = pod("shop", "client-2", "node-b", "10.244.1.20", labels("role", "client"));
        var stranger = pod("shop", "stranger", NODE, "10.244.0.30", labels());
        var monitor = pod("ops", "monitor", "node-b", "10.244.1.40", labels("role", "monitor"));
        var opsClient = pod("ops", "client", NODE, "10.244.0.41", labels("role", "client"));

        // podSelector {} with Ingress and no rules: every local pod of shop takes nothing but replies
        c.put(
                "default-deny-ingress",
                new PolicyInputs(
                        NODE,
                        List.of(policy("shop", "default-deny", selector(), List.of("Ingress"), List.of(), List.of())),
                        List.of(web, db, remoteWeb, client, monitor),
                        shop));

        c.put(
                "allow-by-pod-label",
                new PolicyInputs(
                        NODE,
                        List.of(policy(
                                "shop",
                                "web-from-clients",
                                selector("app", "web"),
                                List.of(),
                                List.of(from(List.of(pods(selector("role", "client"))), port(null, 8080))),
                                List.of())),
                        List.of(web, db, remoteWeb, client, remoteClient, stranger, opsClient),
                        shop));

        c.put(
                "namespace-selector",
                new PolicyInputs(
                        NODE,
                        List.of(policy(
                                "shop",
                                "db-from-ops",
                                selector("app", "db"),
                                List.of("Ingress"),
                                List.of(
                                        from(List.of(namespaces(selector("team", "ops")))),
                                        from(
                                                List.of(podsIn(selector(), selector("role", "client"))),
                                                port("TCP", 5432))),
                                List.of())),
                        List.of(web, db, client, stranger, monitor, opsClient),
                        shop));

        c.put(
                "ipblock-except",
                new PolicyInputs(
                        NODE,
                        List.of(policy(
                                "shop",
                                "web-from-office",
                                selector("app", "web"),
                                List.of("Ingress"),
                                List.of(
                                        from(List.of(
                                                block("172.17.0.0/16", "172.17.1.0/24", "172.17.1.128/25"),
                                                block("10.1.2.3/8"),
                                                block("fd00::/8"))),
                                        from(List.of(block("192.168.0.0/16", "192.0.0.0/8")))),
                                List.of())),
                        List.of(web, db, client),
                        shop));

        var api1 = pod("shop", "api-1", NODE, "10.244.0.51", labels("app", "api"), "http", "TCP/8080", "dns", "UDP/53");
        var api2 = pod("shop", "api-2", NODE, "10.244.0.52", labels("app", "api"), "http", "TCP/80");
        var api3 = pod("shop", "api-3", NODE, "10.244.0.53", labels("app", "api"));
        var pg1 = pod("shop", "pg-1", NODE, "10.244.0.61", labels("app", "pg"), "postgres", "TCP/5432");
        var pg2 = pod("shop", "pg-2", "node-b", "10.244.1.62", labels("app", "pg"), "postgres", "TCP/15432");
        c.put(
                "named-port",
                new PolicyInputs(
                        NODE,
                        List.of(
                                policy(
                                        "shop",
                                        "api-http",
                                        selector("app", "api"),
                                        List.of(),
                                        List.of(from(
                                                List.of(),
                                                port(null, "http"),
                                                port("UDP", "dns"),
                                                port("TCP", 9000, 9100),
                                                port("TCP", 9050),
                                                port("TCP", 9101))),
                                        List.of()),
                                policy(
                                        "shop",
                                        "api-to-pg",
                                        selector("app", "api"),
                                        List.of("Egress"),
                                        List.of(),
                                        List.of(to(List.of(pods(selector("app", "pg"))), port(null, "postgres"))))),
                        List.of(api1, api2, api3, pg1, pg2, web),
                        shop));

        var kubeDns = pod("kube-system", "coredns", "node-b", "10.244.1.2", labels("k8s-app", "kube-dns"));
        c.put(
                "egress-deny-allow-dns",
                new PolicyInputs(
                        NODE,
                        List.of(
                                policy("shop", "deny-egress", selector(), List.of("Egress"), List.of(), List.of()),
                                policy(
                                        "shop",
                                        "allow-dns",
                                        selector(),
                                        List.of("Egress"),
                                        List.of(),
                                        List.of(to(
                                                List.of(podsIn(
                                                        selector("kubernetes.io/metadata.name", "kube-system"),
                                                        selector("k8s-app", "kube-dns"))),
                                                port("UDP", 53),
                                                port("TCP", 53))))),
                        List.of(web, client, remoteWeb, kubeDns),
                        List.of(namespace("shop"), namespace("kube-system"))));

        var hostPod = new io.fabric8.kubernetes.api.model.PodBuilder(
                        pod("shop", "host-agent", NODE, "192.168.1.5", labels("app", "web")))
                .editSpec()
                .withHostNetwork(true)
                .endSpec()
                .build();
        var done = new io.fabric8.kubernetes.api.model.PodBuilder(
                        pod("shop", "job", NODE, "10.244.0.70", labels("role", "a")))
                .editStatus()
                .withPhase("Succeeded")
                .endStatus()
                .build();
        c.put(
                "multiple-policies-union",
                new PolicyInputs(
                        NODE,
                        List.of(
                                policy(
                                        "shop",
                                        "web-from-a",
                                        selector("app", "web"),
                                        List.of(),
                                        List.of(from(List.of(pods(selector("role", "a"))), port("TCP", 80))),
                                        List.of()),
                                policy(
                                        "shop",
                                        "web-from-b",
                                        selector("app", "web"),
                                        List.of("Ingress", "Egress"),
                                        List.of(from(List.of(pods(selector("role", "b"))), port("TCP", 443))),
                                        List.of(to(List.of(block("10.0.0.0/8")), port("UDP", null)))),
                                policy("ops", "elsewhere", selector(), List.of("Ingress"), List.of(), List.of())),
                        List.of(
                                web,
                                hostPod,
                                done,
                                pod("shop", "a", NODE, "10.244.0.71", labels("role", "a")),
                                pod("shop", "b", "node-b", "10.244.1.72", labels("role", "b")),
                                pod("shop", "ab", NODE, "10.244.0.73", labels("role", "b"))),
                        shop));
        return c;
    }
}
