package dev.capstan.netproxy.proxy;

import dev.capstan.client.ResourceClient;
import dev.capstan.client.informer.ResourceEventHandler;
import dev.capstan.client.informer.SharedInformer;
import dev.capstan.client.workqueue.ReconcileLoop;
import dev.capstan.client.workqueue.WorkQueue;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The proxy part of the netproxy: informer handlers trigger the {@link ProxySyncer} (table {@code settings.table()},
 * family ip) and the {@link LoadBalancerStatusWriter}; health-check ports follow each sync. On start it sets
 * {@code net.ipv4.conf.all.route_localnet=1} (NodePorts on 127.0.0.1, as upstream's iptables mode) unless told
 * not to; close deletes the table, stops the servers and puts the sysctl back as it was.
 */
public final class ServiceProxy implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ServiceProxy.class);
    static final Path ROUTE_LOCALNET = Path.of("/proc/sys/net/ipv4/conf/all/route_localnet");

    private final SharedInformer<Service> services;
    private final SharedInformer<EndpointSlice> endpointSlices;
    private final SharedInformer<Node> node;
    private final String nodeName;
    private final ProxySettings baseSettings;
    private final boolean setRouteLocalnet;
    /** The sysctl's value before start() set it, put back by close(); null when start() did not set it. */
    private volatile String routeLocalnetBefore;

    private final ProxySyncer syncer;
    private final HealthCheckServers healthChecks = new HealthCheckServers();
    private final WorkQueue<String> statusQueue = WorkQueue.create("netproxy-lb-status");
    private final ReconcileLoop<String> statusLoop;

    /**
     * @param settings table, bridge and service CIDR; its pod CIDR is the fallback when the Node has no
     *     spec.podCIDR
     * @param services, endpointSlices, node the shared informers (node: this node only); handlers are added here
     * @param serviceClient where LoadBalancer status goes (status subresource)
     * @param nft how nft is run (a prefix such as {@code ip netns exec NS}, or none)
     * @param setRouteLocalnet whether start() sets net.ipv4.conf.all.route_localnet=1
     */
    public ServiceProxy(
            ProxySettings settings,
            SharedInformer<Service> services,
            SharedInformer<EndpointSlice> endpointSlices,
            SharedInformer<Node> node,
            ResourceClient<Service> serviceClient,
            String nodeName,
            Nft nft,
            Duration minSyncPeriod,
            Duration syncPeriod,
            Clock clock,
            boolean setRouteLocalnet) {
        this.services = Objects.requireNonNull(services, "services");
        this.endpointSlices = Objects.requireNonNull(endpointSlices, "endpointSlices");
        this.node = Objects.requireNonNull(node, "node");
        this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
        this.baseSettings = settings;
        this.setRouteLocalnet = setRouteLocalnet;
        this.syncer = new ProxySyncer(
                this::snapshot, this::settings, nft, minSyncPeriod, syncPeriod, clock, healthChecks::sync);
        this.statusLoop = new ReconcileLoop<>(
                "netproxy-lb-status",
                statusQueue,
                new LoadBalancerStatusWriter(services.cache(), serviceClient, () -> nodeAddresses("InternalIP")),
                1,
                null);
        services.addEventHandler(ResourceEventHandler.onAny(s -> {
            syncer.requestSync();
            statusQueue.add(
                    s.getMetadata().getNamespace() + "/" + s.getMetadata().getName());
        }));
        endpointSlices.addEventHandler(ResourceEventHandler.onAny(s -> syncer.requestSync()));
        node.addEventHandler(ResourceEventHandler.onAny(n -> {
            syncer.requestSync();
            services.cache().keys().forEach(statusQueue::add);
        }));
    }

    /** Starts syncing; call once the informers have synced (a table from half a cache would drop traffic). */
    public void start() {
        if (setRouteLocalnet) {
            try {
                routeLocalnetBefore = Files.readString(ROUTE_LOCALNET).trim();
                Files.writeString(ROUTE_LOCALNET, "1");
            } catch (IOException e) {
                LOG.warn("cannot set net.ipv4.conf.all.route_localnet=1 (NodePorts on 127.0.0.1 will not answer): "
                        + e.getMessage());
            }
        }
        syncer.start();
        statusLoop.start();
    }

    public ProxySyncer syncer() {
        return syncer;
    }

    ProxyInputs snapshot() {
        return new ProxyInputs(services.cache().list(), endpointSlices.cache().list(), nodeName, nodeAddresses(null));
    }

    private ProxySettings settings() {
        String podCidr = thisNode()
                .map(n -> n.getSpec() == null ? null : n.getSpec().getPodCIDR())
                .filter(c -> c != null && !c.contains(":"))
                .orElse(baseSettings.podCidr());
        return new ProxySettings(baseSettings.table(), baseSettings.bridge(), baseSettings.serviceCidr(), podCidr);
    }

    private Optional<Node> thisNode() {
        return node.cache().get(nodeName);
    }

    /** The Node's IPv4 addresses of the type (InternalIP and ExternalIP when null), in the Node's order. */
    private List<String> nodeAddresses(String type) {
        return thisNode()
                .map(n -> n.getStatus() == null || n.getStatus().getAddresses() == null
                        ? List.<String>of()
                        : n.getStatus().getAddresses().stream()
                                .filter(a -> type == null
                                        ? "InternalIP".equals(a.getType()) || "ExternalIP".equals(a.getType())
                                        : type.equals(a.getType()))
                                .map(NodeAddress::getAddress)
                                .filter(ProxyRenderer::isIpv4)
                                .distinct()
                                .toList())
                .orElse(List.of());
    }

    @Override
    public void close() {
        statusLoop.close();
        syncer.close();
        healthChecks.close();
        // leave the machine as it was: the sysctl goes back once the table that relied on it is gone
        if (routeLocalnetBefore != null && !routeLocalnetBefore.equals("1")) {
            try {
                Files.writeString(ROUTE_LOCALNET, routeLocalnetBefore);
            } catch (IOException e) {
                LOG.warn("cannot restore net.ipv4.conf.all.route_localnet=" + routeLocalnetBefore + ": "
                        + e.getMessage());
            }
        }
    }
}
