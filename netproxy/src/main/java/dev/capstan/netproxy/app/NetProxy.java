package dev.capstan.netproxy.app;

import dev.capstan.client.ApiClient;
import dev.capstan.client.ApiConnection;
import dev.capstan.client.GrpcApiClient;
import dev.capstan.client.Kinds;
import dev.capstan.client.ListOptions;
import dev.capstan.client.informer.InformerFactory;
import dev.capstan.client.informer.SharedInformer;
import dev.capstan.netproxy.policy.PolicySyncer;
import dev.capstan.netproxy.policy.PolicyTable;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * The netproxy without its framework: one connection to the API server and the shared informers its parts read
 * (Services, EndpointSlices, this Node, pods, namespaces, NetworkPolicies); the parts start once the caches have
 * synced.
 */
public final class NetProxy implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(NetProxy.class);
    private static final Duration SYNC_TIMEOUT = Duration.ofMinutes(2);

    /** What the parts read: one informer per kind, shared. */
    public record Informers(
            SharedInformer<Service> services,
            SharedInformer<EndpointSlice> endpointSlices,
            SharedInformer<Node> node,
            SharedInformer<Pod> pods,
            SharedInformer<Namespace> namespaces,
            SharedInformer<NetworkPolicy> networkPolicies) {}

    private final NetProxyConfig config;
    private final String nodeName;
    private ApiConnection connection;
    private InformerFactory factory;
    // --- policy part (dev.capstan.netproxy.policy) ---
    private PolicySyncer policy;
    // --- end policy part ---
    private volatile boolean ready;
    // ---- dns (dev.capstan.netproxy.dns) ----
    private dev.capstan.netproxy.dns.ClusterDns dns;
    // ---- end dns ----

    public NetProxy(NetProxyConfig config) {
        this.config = config;
        this.nodeName = config.nodeName().orElseGet(NetProxy::hostName);
    }

    public void start() throws InterruptedException {
        connection = ApiConnection.connect(config.api(), Path.of(config.tokenFile()));
        ApiClient api = new GrpcApiClient(connection, "capstan-netproxy");
        factory = new InformerFactory(api, Duration.ZERO);
        var informers = new Informers(
                factory.informer(Kinds.SERVICES),
                factory.informer(Kinds.ENDPOINT_SLICES),
                factory.informer(Kinds.NODES, "", ListOptions.fields("metadata.name=" + nodeName)),
                factory.informer(Kinds.PODS),
                factory.informer(Kinds.NAMESPACES),
                factory.informer(Kinds.NETWORK_POLICIES));
        factory.start();
        if (!factory.waitForSync(SYNC_TIMEOUT)) {
            throw new IllegalStateException("the informers did not sync within " + SYNC_TIMEOUT);
        }
        LOG.infof("netproxy for node %s: caches synced", nodeName);
        // --- policy part (dev.capstan.netproxy.policy): NetworkPolicy table, re-rendered on informer events ---
        policy = new PolicySyncer(
                new PolicySyncer.Sources(informers.pods(), informers.namespaces(), informers.networkPolicies()),
                nodeName,
                new PolicyTable(config.policyTable(), List.of("nft")),
                config.minSyncPeriod(),
                config.syncPeriod());
        policy.start();
        // --- end policy part ---
        // ---- dns: the cluster DNS server and kube-system/kube-dns (dev.capstan.netproxy.dns) ----
        dns = dev.capstan.netproxy.dns.ClusterDns.start(
                api, informers, nodeName, dev.capstan.netproxy.dns.ClusterDns.Settings.of(config));
        // ---- end dns ----
        ready = true;
    }

    public boolean isReady() {
        return ready;
    }

    public String nodeName() {
        return nodeName;
    }

    @Override
    public void close() {
        ready = false;
        // --- policy part: stop syncing, delete the table ---
        if (policy != null) {
            policy.close();
        }
        // --- end policy part ---
        // ---- dns ----
        if (dns != null) {
            dns.close();
        }
        // ---- end dns ----
        if (factory != null) {
            factory.close();
        }
        if (connection != null) {
            connection.close();
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
