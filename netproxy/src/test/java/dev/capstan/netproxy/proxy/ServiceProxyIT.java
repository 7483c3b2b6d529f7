package dev.capstan.netproxy.proxy;

import static dev.capstan.netproxy.proxy.Fixtures.port;
import static dev.capstan.netproxy.proxy.Fixtures.ready;
import static dev.capstan.netproxy.proxy.Fixtures.service;
import static dev.capstan.netproxy.proxy.Fixtures.slice;
import static dev.capstan.netproxy.proxy.Fixtures.slicePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.capstan.client.Kinds;
import dev.capstan.client.fake.FakeApiClient;
import dev.capstan.client.informer.InformerFactory;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole proxy part against a real kernel: informers over a fake API feed {@link ServiceProxy}, whose nft runs
 * in a namespace made here (the "node", 10.77.0.1), wired by a veth pair to a second namespace whose two busybox
 * httpd servers (10.77.0.2 and 10.77.0.3, port 8080) are the endpoints. Traffic is sent from the node namespace:
 * to the ClusterIP (output hook), to the NodePort on the node's address and on 127.0.0.1.
 */
class ServiceProxyIT {
    private static final String VIP = "10.96.0.100";

    @TempDir
    Path dir;

    private TestNetns node;
    private TestNetns pods;
    private final List<Process> servers = new ArrayList<>();
    private InformerFactory factory;
    private ServiceProxy proxy;

    @BeforeEach
    void network() throws Exception {
        NftTestSupport.requireRootAndNft();
        node = new TestNetns();
        pods = new TestNetns();
        String veth = "cp" + node.name.substring(node.name.length() - 8);
        node.exec("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", pods.name);
        node.exec("ip", "addr", "add", "10.77.0.1/24", "dev", veth);
        node.exec("ip", "link", "set", veth, "up");
        node.exec("ip", "route", "add", "10.96.0.0/16", "dev", veth); // the VIP needs a route before DNAT
        node.exec("sysctl", "-q", "-w", "net.ipv4.conf.all.route_localnet=1"); // the namespace's own, not the host's
        pods.exec("ip", "addr", "add", "10.77.0.2/24", "dev", "eth0");
        pods.exec("ip", "addr", "add", "10.77.0.3/24", "dev", "eth0");
        pods.exec("ip", "link", "set", "eth0", "up");
        server("10.77.0.2", "one");
        server("10.77.0.3", "two");
    }

    private void server(String ip, String body) throws Exception {
        Path root = Files.createDirectories(dir.resolve(ip));
        Files.writeString(root.resolve("index.html"), body + "\n");
        List<String> command = new ArrayList<>(pods.prefix());
        command.addAll(List.of("busybox", "httpd", "-f", "-p", ip + ":8080", "-h", root.toString()));
        servers.add(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (factory != null) {
            factory.close();
        }
        for (Process p : servers) {
            p.destroy();
            p.waitFor();
        }
        if (pods != null) {
            pods.close();
        }
        if (node != null) {
            node.close();
        }
    }

    private String curl(String url) {
        List<String> command = new ArrayList<>(node.prefix());
        command.addAll(List.of("curl", "-s", "-S", "--max-time", "2", url));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            return p.waitFor() == 0 ? out : "exit " + p.exitValue() + ": " + out;
        } catch (Exception e) {
            return e.toString();
        }
    }

    @Test
    void servesTheVipAndNodePortsAndFollowsEndpointChanges() throws Exception {
        FakeApiClient api = new FakeApiClient();
        api.resources(Kinds.NODES)
                .create(new NodeBuilder()
                        .withNewMetadata()
                        .withName(Fixtures.NODE)
                        .endMetadata()
                        .withNewStatus()
                        .addNewAddress()
                        .withType("InternalIP")
                        .withAddress("10.77.0.1")
                        .endAddress()
                        .endStatus()
                        .build());
        Service web = service("default", "web", VIP, port("http", "TCP", 80, "http", 30080))
                .editSpec()
                .withType("LoadBalancer")
                .withExternalTrafficPolicy("Cluster")
                .endSpec()
                .build();
        api.resources(Kinds.SERVICES).create(web);
        EndpointSlice slice =
                slice("default", "web", "web-1", List.of(slicePort("http", "TCP", 8080)), ready("10.77.0.2", "node-b"));
        api.resources(Kinds.ENDPOINT_SLICES).create(slice);

        startProxy(api);

        await().atMost(Duration.ofSeconds(10)).until(() -> curl("http://" + VIP + "/"), "one"::equals);
        assertThat(curl("http://10.77.0.1:30080/")).isEqualTo("one");
        assertThat(curl("http://127.0.0.1:30080/")).isEqualTo("one");
        assertThat(curl("http://10.77.0.1:80/"))
                .as("the LoadBalancer on the node's address")
                .isEqualTo("one");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            var ingress = api.resources(Kinds.SERVICES)
                    .get("default", "web")
                    .orElseThrow()
                    .getStatus()
                    .getLoadBalancer()
                    .getIngress();
            assertThat(ingress).singleElement().satisfies(i -> {
                assertThat(i.getIp()).isEqualTo("10.77.0.1");
                assertThat(i.getIpMode()).isEqualTo("VIP");
            });
        });

        // the endpoint moves: only its chains and the service chain change
        api.resources(Kinds.ENDPOINT_SLICES)
                .update(slice(
                        "default",
                        "web",
                        "web-1",
                        List.of(slicePort("http", "TCP", 8080)),
                        ready("10.77.0.3", "node-b")));
        await().atMost(Duration.ofSeconds(10)).until(() -> curl("http://" + VIP + "/"), "two"::equals);
        assertThat(proxy.syncer().lastIncrementalChange().kind()).isEqualTo("incremental");
        assertThat(proxy.syncer().lastIncrementalChange().netlink())
                .as("an endpoint change goes through netlink")
                .isTrue();
        assertThat(curl("http://127.0.0.1:30080/")).isEqualTo("two");

        // no endpoints: rejected at once (connection refused), not left to time out
        api.resources(Kinds.ENDPOINT_SLICES).delete("default", "web-1");
        await().atMost(Duration.ofSeconds(10)).until(() -> curl("http://" + VIP + "/"), r -> r.startsWith("exit 7"));
        assertThat(proxy.syncer().lastIncrementalChange().netlink())
                .as("the last endpoint going goes through netlink")
                .isTrue();

        // one comes back, and a second Service selects it: new chains, maps and VIPs, through netlink too
        api.resources(Kinds.ENDPOINT_SLICES)
                .create(slice(
                        "default",
                        "web",
                        "web-1",
                        List.of(slicePort("http", "TCP", 8080)),
                        ready("10.77.0.2", "node-b")));
        await().atMost(Duration.ofSeconds(10)).until(() -> curl("http://" + VIP + "/"), "one"::equals);
        assertThat(proxy.syncer().lastIncrementalChange().netlink())
                .as("the first endpoint coming goes through netlink")
                .isTrue();
        api.resources(Kinds.SERVICES)
                .create(service("default", "api", "10.96.0.101", port("http", "TCP", 80, "http", null))
                        .build());
        api.resources(Kinds.ENDPOINT_SLICES)
                .create(slice(
                        "default",
                        "api",
                        "api-1",
                        List.of(slicePort("http", "TCP", 8080)),
                        ready("10.77.0.2", "node-b")));
        await().atMost(Duration.ofSeconds(10)).until(() -> curl("http://10.96.0.101/"), "one"::equals);
        assertThat(proxy.syncer().lastIncrementalChange().netlink())
                .as("a new Service goes through netlink")
                .isTrue();

        // back to ClusterIP: the LoadBalancer status goes
        Service current = api.resources(Kinds.SERVICES).get("default", "web").orElseThrow();
        current.getSpec().setType("ClusterIP");
        current.getSpec().getPorts().getFirst().setNodePort(null);
        api.resources(Kinds.SERVICES).update(current);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(api.resources(Kinds.SERVICES)
                                .get("default", "web")
                                .orElseThrow()
                                .getStatus()
                                .getLoadBalancer()
                                .getIngress())
                        .isNullOrEmpty());

        proxy.close();
        proxy = null;
        assertThat(node.exec("nft", "list", "tables")).doesNotContain("capstan-proxy");
    }

    private void startProxy(FakeApiClient api) throws InterruptedException {
        factory = new InformerFactory(api, Duration.ZERO);
        proxy = new ServiceProxy(
                new ProxySettings("capstan-proxy", "capstan0", "10.96.0.0/16", "10.244.1.0/24"),
                factory.informer(Kinds.SERVICES),
                factory.informer(Kinds.ENDPOINT_SLICES),
                factory.informer(Kinds.NODES),
                api.resources(Kinds.SERVICES),
                Fixtures.NODE,
                new Nft(node.prefix()),
                Duration.ofMillis(50),
                Duration.ofSeconds(30),
                Clock.systemUTC(),
                false);
        factory.start();
        assertThat(factory.waitForSync(Duration.ofSeconds(10))).isTrue();
        proxy.start();
    }

    @Test
    void clientIpAffinitySticksToOneEndpointWhereOtherwiseBothServe() throws Exception {
        FakeApiClient api = new FakeApiClient();
        api.resources(Kinds.NODES)
                .create(new NodeBuilder()
                        .withNewMetadata()
                        .withName(Fixtures.NODE)
                        .endMetadata()
                        .build());
        Service sticky = service("default", "sticky", "10.96.0.101", port("http", 80, 8080))
                .editSpec()
                .withSessionAffinity("ClientIP")
                .endSpec()
                .build();
        Service spread = service("default", "spread", "10.96.0.102", port("http", 80, 8080))
                .build();
        api.resources(Kinds.SERVICES).create(sticky);
        api.resources(Kinds.SERVICES).create(spread);
        for (String name : List.of("sticky", "spread")) {
            api.resources(Kinds.ENDPOINT_SLICES)
                    .create(slice(
                            "default",
                            name,
                            name + "-1",
                            List.of(slicePort("http", "TCP", 8080)),
                            ready("10.77.0.2", "node-b"),
                            ready("10.77.0.3", "node-b")));
        }
        startProxy(api);
        await().atMost(Duration.ofSeconds(10)).until(() -> curl("http://10.96.0.101/"), r -> !r.startsWith("exit"));
        Set<String> stickyAnswers = new HashSet<>();
        Set<String> spreadAnswers = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            stickyAnswers.add(curl("http://10.96.0.101/"));
            spreadAnswers.add(curl("http://10.96.0.102/"));
        }
        assertThat(stickyAnswers).hasSize(1).isSubsetOf("one", "two");
        assertThat(spreadAnswers).containsExactlyInAnyOrder("one", "two"); // all 20 alike: p = 2^-19
    }
}
