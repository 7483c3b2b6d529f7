package dev.capstan.netproxy.app;

import dev.capstan.client.ApiClient;
import dev.capstan.client.ApiConnection;
import dev.capstan.client.GrpcApiClient;
import dev.capstan.client.Kinds;
import dev.capstan.client.ListOptions;
import dev.capstan.client.informer.InformerFactory;
import dev.capstan.client.informer.SharedInformer;
import dev.capstan.netproxy.proxy.Nft;
import dev.capstan.netproxy.proxy.ProxySettings;
import dev.capstan.netproxy.proxy.ServiceProxy;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
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
    private volatile boolean ready;
    // --- proxy (dev.capstan.netproxy.proxy) ---
    private ServiceProxy serviceProxy;
    // --- end proxy ---

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
        // --- proxy (dev.capstan.netproxy.proxy): handlers before the informers start, syncing after they synced ---
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
        // --- end proxy ---
        factory.start();
        if (!factory.waitForSync(SYNC_TIMEOUT)) {
            throw new IllegalStateException("the informers did not sync within " + SYNC_TIMEOUT);
        }
        // --- proxy ---
        serviceProxy.start();
        // --- end proxy ---
        LOG.infof("netproxy for node %s: caches synced", nodeName);
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
        // --- proxy: stops syncing, deletes the table ---
        if (serviceProxy != null) {
            serviceProxy.close();
        }
        // --- end proxy ---
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
