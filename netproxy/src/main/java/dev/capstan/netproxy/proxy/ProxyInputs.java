package dev.capstan.netproxy.proxy;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;

/**
 * One snapshot of what the table is a function of.
 *
 * @param nodeAddresses this node's IPv4 addresses (InternalIP, ExternalIP): the LoadBalancer ingress IPs here,
 *     as k3s's ServiceLB uses its nodes' addresses
 */
public record ProxyInputs(
        List<Service> services, List<EndpointSlice> endpointSlices, String nodeName, List<String> nodeAddresses) {
    public ProxyInputs {
        services = List.copyOf(services);
        endpointSlices = List.copyOf(endpointSlices);
        nodeAddresses = List.copyOf(nodeAddresses);
    }
}
