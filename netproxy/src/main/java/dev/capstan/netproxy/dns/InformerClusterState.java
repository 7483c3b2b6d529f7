package dev.capstan.netproxy.dns;

import dev.capstan.client.informer.Indexer;
import dev.capstan.client.informer.ResourceEventHandler;
import dev.capstan.client.informer.SharedInformer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link ClusterState} over the shared informers' caches, with three indexes of its own (slices by Service, Services
 * by ClusterIP, slices by address) so that every lookup is a hash lookup under the cache's read lock.
 */
public final class InformerClusterState implements ClusterState {
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    private static final String BY_SERVICE = "dns-by-service";
    private static final String BY_CLUSTER_IP = "dns-by-cluster-ip";
    private static final String BY_ADDRESS = "dns-by-address";

    private final Indexer<Service> services;
    private final Indexer<EndpointSlice> slices;
    private final Indexer<Namespace> namespaces;
    private volatile long serial;

    public InformerClusterState(
            SharedInformer<Service> services,
            SharedInformer<EndpointSlice> slices,
            SharedInformer<Namespace> namespaces,
            Clock clock) {
        this.services = services.cache();
        this.slices = slices.cache();
        this.namespaces = namespaces.cache();
        this.serial = clock.instant().getEpochSecond();
        this.slices.addIndexIfAbsent(BY_SERVICE, InformerClusterState::serviceKey);
        this.slices.addIndexIfAbsent(BY_ADDRESS, InformerClusterState::addresses);
        this.services.addIndexIfAbsent(BY_CLUSTER_IP, InformerClusterState::clusterIps);
        services.addEventHandler(touch(clock));
        slices.addEventHandler(touch(clock));
    }

    @Override
    public Optional<Service> service(String namespace, String name) {
        return services.get(namespace, name);
    }

    @Override
    public List<EndpointSlice> endpointSlices(String namespace, String service) {
        return slices.byIndex(BY_SERVICE, namespace + "/" + service);
    }

    @Override
    public boolean namespaceExists(String namespace) {
        return namespaces.get("", namespace).isPresent();
    }

    @Override
    public List<Service> servicesByClusterIp(String ip) {
        return services.byIndex(BY_CLUSTER_IP, ip);
    }

    @Override
    public List<EndpointSlice> endpointSlicesByAddress(String ip) {
        return slices.byIndex(BY_ADDRESS, ip);
    }

    @Override
    public long serial() {
        return serial;
    }

    private <T extends HasMetadata> ResourceEventHandler<T> touch(Clock clock) {
        return ResourceEventHandler.onAny(o -> serial = clock.instant().getEpochSecond());
    }

    private static List<String> serviceKey(EndpointSlice slice) {
        var labels = slice.getMetadata().getLabels();
        String service = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
        return service == null ? List.of() : List.of(slice.getMetadata().getNamespace() + "/" + service);
    }

    private static List<String> addresses(EndpointSlice slice) {
        List<String> out = new ArrayList<>();
        if (slice.getEndpoints() != null) {
            for (Endpoint e : slice.getEndpoints()) {
                if (e.getAddresses() != null) {
                    for (String a : e.getAddresses()) {
                        IpLiterals.parse(a).ifPresent(ip -> out.add(ip.getHostAddress()));
                    }
                }
            }
        }
        return out;
    }

    private static List<String> clusterIps(Service service) {
        if (service.getSpec() == null) {
            return List.of();
        }
        return ClusterResolver.clusterIps(service).stream()
                .map(ip -> ip.getHostAddress())
                .distinct()
                .toList();
    }
}
