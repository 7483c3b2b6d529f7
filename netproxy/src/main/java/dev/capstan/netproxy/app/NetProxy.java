package dev.capstan.netproxy.app;

import dev.capstan.client.ApiClient;
import dev.capstan.client.ApiConnection;
import dev.capstan.client.GrpcApiClient;
import dev.capstan.client.Kinds;
import dev.capstan.client.ListOptions;
import dev.capstan.client.component.ComponentRuntime;
import dev.capstan.client.informer.InformerFactory;
import dev.capstan.client.informer.SharedInformer;
import dev.capstan.model.node.NodeNames;
import dev.capstan.netproxy.dns.ClusterDns;
import dev.capstan.netproxy.policy.PolicySyncer;
import dev.capstan.netproxy.policy.PolicyTable;
import dev.capstan.netproxy.proxy.Nft;
import dev.capstan.netproxy.proxy.ProxySettings;
import dev.capstan.netproxy.proxy.ServiceProxy;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The netproxy without its framework: one connection to the API server, the shared informers (Services,
 * EndpointSlices, this Node, pods, namespaces, NetworkPolicies) and the three parts that read them once the caches
 * have synced: the Service table ({@link ServiceProxy}), the NetworkPolicy table ({@link PolicySyncer}) and the cluster
 * DNS ({@link ClusterDns}).
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
    private volatile boolean ready;
    private ServiceProxy serviceProxy;
    private PolicySyncer policy;
    private ClusterDns dns;

    public NetProxy(NetProxyConfig config) {
        this.config = config;
        this.nodeName = config.nodeName().orElseGet(NodeNames::thisMachine);
    }

    public void start() throws InterruptedException {
        connection = ApiConnection.connect(config.api(), Path.of(config.tokenFile()));
        ComponentRuntime.awaitApi("netproxy", connection);
        ApiClient api = new GrpcApiClient(connection, "capstan-netproxy");
        factory = new InformerFactory(api, Duration.ZERO);
        var informers = new Informers(
                factory.informer(Kinds.SERVICES),
                factory.informer(Kinds.ENDPOINT_SLICES),
                factory.informer(Kinds.NODES, "", ListOptions.fields("metadata.name=" + nodeName)),
                factory.informer(Kinds.PODS),
                factory.informer(Kinds.NAMESPACES),
                factory.informer(Kinds.NETWORK_POLICIES));
        // its handlers go on before the informers start; it syncs once they have synced
        serviceProxy = new ServiceProxy(
                new ProxySettings(config.table(), config.bridge(), config.serviceCidr(), null),
                informers.services(),
                informers.endpointSlices(),
                informers.node(),
                api.resources(Kinds.SERVICES),
                nodeName,
                new Nft(List.of()),
                config.minSyncPeriod(),
                config.syncPeriod(),
                Clock.systemUTC(),
                true);
        factory.start();
        if (!factory.waitForSync(SYNC_TIMEOUT)) {
            throw new IllegalStateException("the informers did not sync within " + SYNC_TIMEOUT);
        }
        LOG.infof("netproxy for node %s: caches synced", nodeName);
        serviceProxy.start();
        policy = new PolicySyncer(
                new PolicySyncer.Sources(informers.pods(), informers.namespaces(), informers.networkPolicies()),
                nodeName,
                new PolicyTable(config.policyTable(), new Nft(List.of())),
                config.minSyncPeriod(),
                config.syncPeriod());
        policy.start();
        dns = ClusterDns.start(api, informers, nodeName, ClusterDns.Settings.of(config));
        LOG.infof(
                "netproxy: Services in nftables table %s, NetworkPolicy in %s, DNS on port %d",
                config.table(), config.policyTable(), dns.port());
        ready = true;
    }

    /**
     * Ready once the parts started and both tables were loaded once, so that Services and policies are in force when
     * {@code ./capstan up} says the node is up.
     */
    public boolean isReady() {
        return ready && serviceProxy.syncer().lastResult() != null && policy.applies() > 0;
    }

    public String nodeName() {
        return nodeName;
    }

    @Override
    public void close() {
        ready = false;
        // each part stops and removes what it made (tables, the DNS sockets) before the informers go
        if (dns != null) {
            dns.close();
        }
        if (policy != null) {
            policy.close();
        }
        if (serviceProxy != null) {
            serviceProxy.close();
        }
        if (factory != null) {
            factory.close();
        }
        if (connection != null) {
            connection.close();
        }
    }
}
