package dev.capstan.netproxy.dns;

import dev.capstan.client.ApiClient;
import dev.capstan.netproxy.app.NetProxy;
import dev.capstan.netproxy.app.NetProxyConfig;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The DNS part of the netproxy as NetProxy starts it once the caches have synced: the server on the node's
 * InternalIP (or capstan.netproxy.dns-address) and the loop keeping kube-system/kube-dns pointed at it.
 */
public final class ClusterDns implements AutoCloseable {
    /** Record TTL: kubeadm's Corefile sets {@code ttl 30} (the kubernetes plugin's own default is 5). */
    public static final long TTL = 30;
    /** How long an upstream may take; then SERVFAIL (CoreDNS's forward plugin gives up after 2 s as well). */
    static final Duration UPSTREAM_TIMEOUT = Duration.ofSeconds(2);
    /** The kube-dns loop's full pass; changes to its objects wake it at once. */
    static final Duration KUBE_DNS_PERIOD = Duration.ofSeconds(30);
    /** How long to wait for this Node's InternalIP (the node agent registers the Node). */
    static final Duration NODE_ADDRESS_WAIT = Duration.ofMinutes(2);

    private static final Logger LOG = Logger.getLogger(ClusterDns.class);

    /** The settings this part reads (capstan.netproxy.cluster-domain, dns-*). */
    public record Settings(
            String clusterDomain,
            Optional<String> address,
            int port,
            Optional<InetSocketAddress> upstream,
            String serviceIp) {

        /** From the netproxy's configuration; fails on an upstream that is not host:port. */
        public static Settings of(NetProxyConfig config) {
            return new Settings(
                    config.clusterDomain(),
                    config.dnsAddress(),
                    config.dnsPort(),
                    config.dnsUpstream().map(Settings::hostPort),
                    config.dnsServiceIp());
        }

        static InetSocketAddress hostPort(String text) {
            int colon = text.lastIndexOf(':');
            try {
                String host = text.substring(0, colon).replace("[", "").replace("]", "");
                int port = Integer.parseInt(text.substring(colon + 1));
                var address = new InetSocketAddress(host, port);
                if (colon <= 0 || address.isUnresolved()) {
                    throw new IllegalArgumentException("unresolved");
                }
                return address;
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("capstan.netproxy.dns-upstream must be host:port such as"
                        + " 192.168.1.1:53, not '" + text + "'");
            }
        }
    }

    private final DnsServer server;
    private final KubeDnsService kubeDns;

    private ClusterDns(DnsServer server, KubeDnsService kubeDns) {
        this.server = server;
        this.kubeDns = kubeDns;
    }

    /** Starts the server and the kube-dns loop; call after the informers have synced. */
    public static ClusterDns start(ApiClient api, NetProxy.Informers informers, String nodeName, Settings settings)
            throws InterruptedException {
        String address =
                settings.address().isPresent() ? settings.address().get() : waitForInternalIp(informers, nodeName);
        Optional<String> nodeUid = informers
                .node()
                .cache()
                .get("", nodeName)
                .map(n -> n.getMetadata().getUid());
        var state = new InformerClusterState(
                informers.services(), informers.endpointSlices(), informers.namespaces(), Clock.systemUTC());
        int threads = Math.min(4, Runtime.getRuntime().availableProcessors());
        var server = new DnsServer(
                new ClusterResolver(settings.clusterDomain(), TTL, state),
                new DnsServer.Options(address, settings.port(), threads, settings.upstream(), UPSTREAM_TIMEOUT));
        server.start();
        var kubeDns = new KubeDnsService(
                api,
                informers.services(),
                informers.endpointSlices(),
                settings.serviceIp(),
                new KubeDnsService.Endpoint(nodeName, nodeUid, address, server.port()),
                KUBE_DNS_PERIOD);
        kubeDns.start();
        return new ClusterDns(server, kubeDns);
    }

    private static String waitForInternalIp(NetProxy.Informers informers, String nodeName) throws InterruptedException {
        Instant deadline = Instant.now().plus(NODE_ADDRESS_WAIT);
        boolean logged = false;
        while (true) {
            Optional<String> ip = informers.node().cache().get("", nodeName).flatMap(ClusterDns::internalIp);
            if (ip.isPresent()) {
                return ip.get();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("node " + nodeName + " has no InternalIP after " + NODE_ADDRESS_WAIT
                        + "; set capstan.netproxy.dns-address to the address the DNS server should listen on");
            }
            if (!logged) {
                LOG.infof("waiting for node %s's InternalIP to listen on", nodeName);
                logged = true;
            }
            Thread.sleep(500);
        }
    }

    static Optional<String> internalIp(Node node) {
        if (node.getStatus() == null || node.getStatus().getAddresses() == null) {
            return Optional.empty();
        }
        return node.getStatus().getAddresses().stream()
                .filter(a -> "InternalIP".equals(a.getType()))
                .map(NodeAddress::getAddress)
                .findFirst();
    }

    /** The port the server listens on (UDP and TCP). */
    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        kubeDns.close();
        server.close();
    }
}
