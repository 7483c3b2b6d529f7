package dev.capstan.netproxy.dns;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A Service's endpoint addresses as DNS names them, gathered from all its EndpointSlices. */
final class ServiceEndpoints {
    /** One address of one endpoint: its DNS hostname (the endpoint's hostname, else the dashed address). */
    record Address(String hostname, InetAddress ip, EndpointSlice slice) {}

    private ServiceEndpoints() {}

    /**
     * The ready addresses (all of them when the Service publishes not-ready addresses), deduplicated: a slice being
     * replaced may list an endpoint twice. A missing ready condition counts as ready, as the API defines it.
     */
    static List<Address> addresses(Service service, List<EndpointSlice> slices) {
        boolean all = Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses());
        Map<String, Address> out = new LinkedHashMap<>();
        for (EndpointSlice slice : slices) {
            if (slice.getEndpoints() == null) {
                continue;
            }
            for (Endpoint endpoint : slice.getEndpoints()) {
                boolean ready = endpoint.getConditions() == null
                        || !Boolean.FALSE.equals(endpoint.getConditions().getReady());
                if ((!ready && !all) || endpoint.getAddresses() == null) {
                    continue;
                }
                for (String address : endpoint.getAddresses()) {
                    Optional<InetAddress> ip = IpLiterals.parse(address);
                    if (ip.isPresent()) {
                        String host = endpoint.getHostname() == null
                                        || endpoint.getHostname().isEmpty()
                                ? IpLiterals.dashed(ip.get())
                                : endpoint.getHostname().toLowerCase(java.util.Locale.ROOT);
                        out.putIfAbsent(host + "/" + address, new Address(host, ip.get(), slice));
                    }
                }
            }
        }
        return new ArrayList<>(out.values());
    }

    /** The slice's port of that name (a headless Service's SRV records name the endpoints' ports). */
    static Optional<Integer> slicePort(EndpointSlice slice, String name, String protocol) {
        if (slice.getPorts() == null) {
            return Optional.empty();
        }
        for (EndpointPort port : slice.getPorts()) {
            String p = port.getProtocol() == null ? "TCP" : port.getProtocol();
            // the API takes any int32 here, as upstream does; an SRV record carries 16 bits
            if (name.equals(port.getName())
                    && protocol.equalsIgnoreCase(p)
                    && port.getPort() != null
                    && port.getPort() >= 1
                    && port.getPort() <= 65535) {
                return Optional.of(port.getPort());
            }
        }
        return Optional.empty();
    }
}
