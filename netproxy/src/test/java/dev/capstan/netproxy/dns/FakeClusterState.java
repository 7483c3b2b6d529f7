package dev.capstan.netproxy.dns;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A {@link ClusterState} of plain maps, with builders for the objects the tests feed it. */
final class FakeClusterState implements ClusterState {
    final Map<String, Service> services = new LinkedHashMap<>();
    final List<EndpointSlice> slices = new ArrayList<>();
    final Set<String> namespaces = new HashSet<>(Set.of("default", "kube-system"));
    long serial = 1_700_000_000L;

    FakeClusterState add(Service service) {
        services.put(
                service.getMetadata().getNamespace() + "/"
                        + service.getMetadata().getName(),
                service);
        return this;
    }

    FakeClusterState add(EndpointSlice slice) {
        slices.add(slice);
        return this;
    }

    @Override
    public Optional<Service> service(String namespace, String name) {
        return Optional.ofNullable(services.get(namespace + "/" + name));
    }

    @Override
    public List<EndpointSlice> endpointSlices(String namespace, String service) {
        return slices.stream()
                .filter(s -> s.getMetadata().getNamespace().equals(namespace)
                        && service.equals(s.getMetadata().getLabels().get("kubernetes.io/service-name")))
                .toList();
    }

    @Override
    public boolean namespaceExists(String namespace) {
        return namespaces.contains(namespace);
    }

    @Override
    public List<Service> servicesByClusterIp(String ip) {
        return services.values().stream()
                .filter(s -> ClusterResolver.clusterIps(s).stream()
                        .anyMatch(a -> a.getHostAddress().equals(ip)))
                .toList();
    }

    @Override
    public List<EndpointSlice> endpointSlicesByAddress(String ip) {
        return slices.stream()
                .filter(s ->
                        s.getEndpoints().stream().anyMatch(e -> e.getAddresses().contains(ip)))
                .toList();
    }

    @Override
    public long serial() {
        return serial;
    }

    static ServicePort port(String name, int port, String protocol) {
        return new ServicePortBuilder()
                .withName(name)
                .withPort(port)
                .withProtocol(protocol)
                .withTargetPort(new IntOrString(port))
                .build();
    }

    static Service service(String namespace, String name, String clusterIp, ServicePort... ports) {
        return new ServiceBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withType("ClusterIP")
                .withClusterIP(clusterIp)
                .withClusterIPs(clusterIp)
                .withPorts(ports)
                .endSpec()
                .build();
    }

    static Service externalName(String namespace, String name, String target) {
        return new ServiceBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withType("ExternalName")
                .withExternalName(target)
                .endSpec()
                .build();
    }

    static Endpoint endpoint(String address, String hostname, boolean ready) {
        return new EndpointBuilder()
                .withAddresses(address)
                .withHostname(hostname)
                .withNewConditions()
                .withReady(ready)
                .endConditions()
                .build();
    }

    static EndpointSlice slice(String namespace, String service, String name, int port, Endpoint... endpoints) {
        return new EndpointSliceBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .addToLabels("kubernetes.io/service-name", service)
                .endMetadata()
                .withAddressType("IPv4")
                .withEndpoints(endpoints)
                .withPorts(new EndpointPortBuilder()
                        .withName("http")
                        .withPort(port)
                        .withProtocol("TCP")
                        .build())
                .build();
    }
}
