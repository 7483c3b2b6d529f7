package dev.capstan.netproxy.proxy;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import java.util.Map;

/** Services and EndpointSlices for the renderer's tests, built as the API server and the slice controller would. */
final class Fixtures {
    static final String NODE = "node-a";
    static final List<String> NODE_ADDRESSES = List.of("192.168.50.10");
    static final ProxySettings SETTINGS =
            new ProxySettings("capstan-proxy", "capstan0", "10.96.0.0/16", "10.244.1.0/24");

    private Fixtures() {}

    static ServiceBuilder service(String namespace, String name, String clusterIp, ServicePort... ports) {
        return new ServiceBuilder()
                .withMetadata(new ObjectMetaBuilder()
                        .withNamespace(namespace)
                        .withName(name)
                        .build())
                .withNewSpec()
                .withType("ClusterIP")
                .withClusterIP(clusterIp)
                .withClusterIPs(clusterIp)
                .withPorts(ports)
                .withSessionAffinity("None")
                .withInternalTrafficPolicy("Cluster")
                .endSpec();
    }

    static ServicePort port(String name, int port, Object targetPort) {
        return port(name, "TCP", port, targetPort, null);
    }

    static ServicePort port(String name, String protocol, int port, Object targetPort, Integer nodePort) {
        IntOrString target =
                targetPort instanceof Integer i ? new IntOrString(i) : new IntOrString((String) targetPort);
        return new ServicePortBuilder()
                .withName(name)
                .withProtocol(protocol)
                .withPort(port)
                .withTargetPort(target)
                .withNodePort(nodePort)
                .build();
    }

    static EndpointPort slicePort(String name, String protocol, int port) {
        EndpointPort p = new EndpointPort();
        p.setName(name);
        p.setProtocol(protocol);
        p.setPort(port);
        return p;
    }

    static Endpoint ready(String ip, String node) {
        return endpoint(ip, node, true, true, false);
    }

    static Endpoint endpoint(String ip, String node, boolean ready, boolean serving, boolean terminating) {
        return new EndpointBuilder()
                .withAddresses(ip)
                .withNodeName(node)
                .withNewConditions()
                .withReady(ready)
                .withServing(serving)
                .withTerminating(terminating)
                .endConditions()
                .build();
    }

    static EndpointSlice slice(
            String namespace, String service, String name, List<EndpointPort> ports, Endpoint... endpoints) {
        return new EndpointSliceBuilder()
                .withMetadata(new ObjectMetaBuilder()
                        .withNamespace(namespace)
                        .withName(name)
                        .withLabels(Map.of(ProxyRenderer.SERVICE_NAME_LABEL, service))
                        .build())
                .withAddressType("IPv4")
                .withPorts(ports)
                .withEndpoints(endpoints)
                .build();
    }

    static ProxyInputs inputs(List<Service> services, List<EndpointSlice> slices) {
        return new ProxyInputs(services, slices, NODE, NODE_ADDRESSES);
    }
}
