package dev.capstan.netproxy.dns;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;
import java.util.Optional;

/**
 * What the resolver reads: the informer caches in production ({@link InformerClusterState}), plain maps in tests.
 * Implementations answer from memory without blocking: they run on the DNS server's event loops.
 */
public interface ClusterState {
    Optional<Service> service(String namespace, String name);

    /** The EndpointSlices labelled {@code kubernetes.io/service-name=<service>} in the namespace. */
    List<EndpointSlice> endpointSlices(String namespace, String service);

    boolean namespaceExists(String namespace);

    /** Services whose clusterIP or clusterIPs hold {@code ip}. */
    List<Service> servicesByClusterIp(String ip);

    /** EndpointSlices with an endpoint address {@code ip}. */
    List<EndpointSlice> endpointSlicesByAddress(String ip);

    /** The SOA serial: as CoreDNS, the Unix time of the last change seen. */
    long serial();
}
