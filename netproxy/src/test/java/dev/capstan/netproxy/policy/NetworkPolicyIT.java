package dev.capstan.netproxy.policy;

import static dev.capstan.netproxy.policy.Fixtures.from;
import static dev.capstan.netproxy.policy.Fixtures.labels;
import static dev.capstan.netproxy.policy.Fixtures.namespace;
import static dev.capstan.netproxy.policy.Fixtures.pod;
import static dev.capstan.netproxy.policy.Fixtures.pods;
import static dev.capstan.netproxy.policy.Fixtures.policy;
import static dev.capstan.netproxy.policy.Fixtures.port;
import static dev.capstan.netproxy.policy.Fixtures.selector;
import static dev.capstan.netproxy.policy.Fixtures.to;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.capstan.client.Kinds;
import dev.capstan.client.fake.FakeApiClient;
import dev.capstan.client.informer.InformerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NetworkPolicy enforced by the kernel: the syncer, fed by informers of a fake API server, loads its table into
 * the node namespace of a {@link TestBridgeNetwork}; a busybox httpd in pod A, clients in pods B (role=client) and
 * C. Denied connections are dropped, so a failing client waits out its 2 s timeout.
 */
class NetworkPolicyIT {
    private static final String NODE = "node-it";
    private static final String TABLE = "capstan-policy";

    @TempDir
    Path www;

    @Test
    void denyAllThenAllowByLabel() throws Exception {
        NftTool.require("ip", "busybox");
        Files.writeString(www.resolve("index.html"), "hello\n");
        FakeApiClient api = new FakeApiClient();
        TestBridgeNetwork net = new TestBridgeNetwork();
        try (net;
                InformerFactory factory = new InformerFactory(api, Duration.ZERO)) {
            String a = net.addPod("a", 10);
            String b = net.addPod("b", 11);
            String c = net.addPod("c", 12);
            String vip = "10.251.0.10";
            net.addServiceVip(vip, a);
            net.start("a", "busybox", "httpd", "-f", "-p", "80", "-h", www.toString());
            api.resources(Kinds.NAMESPACES).create(namespace("shop"));
            api.resources(Kinds.PODS).create(pod("shop", "a", NODE, a, labels("app", "server")));
            api.resources(Kinds.PODS).create(pod("shop", "b", NODE, b, labels("role", "client")));
            api.resources(Kinds.PODS).create(pod("shop", "c", NODE, c, labels()));
            var sources = new PolicySyncer.Sources(
                    factory.informer(Kinds.PODS),
                    factory.informer(Kinds.NAMESPACES),
                    factory.informer(Kinds.NETWORK_POLICIES));
            factory.start();
            assertThat(factory.waitForSync(Duration.ofSeconds(10))).isTrue();

            try (PolicySyncer syncer = new PolicySyncer(
                    sources,
                    NODE,
                    new PolicyTable(TABLE, new dev.capstan.netproxy.proxy.Nft(net.nftPrefix())),
                    Duration.ofMillis(50),
                    Duration.ofMinutes(5))) {
                syncer.start();
                await().atMost(Duration.ofSeconds(5)).until(() -> syncer.applies() >= 1);
                // no policy: everyone gets in (the server may take a moment to listen)
                await().atMost(Duration.ofSeconds(10)).until(() -> net.httpOk(net.namespaceOf("b"), a));
                assertThat(net.httpOk(net.namespaceOf("c"), a)).isTrue();
                assertThat(net.httpOk(net.namespaceOf("c"), vip))
                        .as("C through the Service VIP")
                        .isTrue();

                api.resources(Kinds.NETWORK_POLICIES)
                        .create(policy(
                                "shop", "deny", selector("app", "server"), List.of("Ingress"), List.of(), List.of()));
                awaitLoaded(syncer, "chain ingress-shop/a");
                assertThat(net.httpOk(net.namespaceOf("b"), a))
                        .as("B under deny-all")
                        .isFalse();
                assertThat(net.httpOk(net.namespaceOf("c"), a))
                        .as("C under deny-all")
                        .isFalse();
                // the node itself (kubelet probes) is never filtered
                assertThat(net.httpOk(net.node(), a))
                        .as("the node under deny-all")
                        .isTrue();
                // what was dropped went through the pod's chain
                assertThat(net.exec(net.node(), "nft", "list", "chain", "ip", TABLE, "ingress-shop/a"))
                        .containsPattern("counter packets [1-9]");

                api.resources(Kinds.NETWORK_POLICIES)
                        .create(policy(
                                "shop",
                                "from-clients",
                                selector("app", "server"),
                                List.of(),
                                List.of(from(List.of(pods(selector("role", "client"))), port("TCP", 80))),
                                List.of()));
                awaitLoaded(syncer, "@from-shop/from-clients/0 tcp dport 80 return");
                assertThat(net.httpOk(net.namespaceOf("b"), a))
                        .as("B, labelled role=client")
                        .isTrue();
                assertThat(net.httpOk(net.namespaceOf("c"), a))
                        .as("C, unlabelled")
                        .isFalse();

                // B's own egress isolated with nothing allowed: A's ingress rule alone does not let it through
                api.resources(Kinds.NETWORK_POLICIES)
                        .create(policy(
                                "shop",
                                "client-egress",
                                selector("role", "client"),
                                List.of("Egress"),
                                List.of(),
                                List.of()));
                awaitLoaded(syncer, "chain egress-shop/b");
                assertThat(net.httpOk(net.namespaceOf("b"), a))
                        .as("B with egress denied")
                        .isFalse();
                api.resources(Kinds.NETWORK_POLICIES)
                        .create(policy(
                                "shop",
                                "client-to-server",
                                selector("role", "client"),
                                List.of("Egress"),
                                List.of(),
                                List.of(to(List.of(pods(selector("app", "server"))), port("TCP", 80)))));
                awaitLoaded(syncer, "@to-shop/client-to-server/0 tcp dport 80 return");
                assertThat(net.httpOk(net.namespaceOf("b"), a))
                        .as("B with egress to the server allowed")
                        .isTrue();

                // a label change moves C into the allowed set
                var cPod = api.resources(Kinds.PODS).get("shop", "c").orElseThrow();
                cPod.getMetadata().getLabels().put("role", "client");
                api.resources(Kinds.PODS).update(cPod);
                awaitLoaded(syncer, "chain egress-shop/c");
                assertThat(net.httpOk(net.namespaceOf("c"), a))
                        .as("C once labelled role=client")
                        .isTrue();
            }
            // closing the syncer removed the table
            assertThat(net.exec(net.node(), "nft", "list", "tables")).doesNotContain(TABLE);
        }
        assertThat(net.anyLeft()).as("namespaces left behind").isFalse();
    }

    private static void awaitLoaded(PolicySyncer syncer, String text) {
        await().atMost(Duration.ofSeconds(5))
                .until(() ->
                        syncer.appliedText() != null && syncer.appliedText().contains(text));
    }
}
