package dev.capstan.netproxy.proxy;

import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which endpoints of a service port traffic may go to, as upstream's CategorizeEndpoints: ready endpoints, or when
 * none is ready the serving-and-terminating ones (so that a rolling update does not drop connections); the same
 * separately for this node's endpoints.
 */
final class EndpointSelection {
    /** An endpoint of one service port: its first address and the slice port of the service port's name. */
    record Endpoint(String ip, int port, boolean local) {}

    /**
     * @param cluster the endpoints for traffic policy Cluster
     * @param local this node's endpoints for traffic policy Local
     * @param hasAny whether any endpoint at all is usable (else the service port rejects)
     */
    record Categorized(List<Endpoint> cluster, List<Endpoint> local, boolean hasAny) {}

    private record Candidate(Endpoint endpoint, boolean ready, boolean servingTerminating) {}

    private EndpointSelection() {}

    static Categorized categorize(ServicePort servicePort, List<EndpointSlice> slices, String nodeName) {
        List<Candidate> candidates = candidates(servicePort, slices, nodeName);
        List<Endpoint> cluster = usable(candidates, false);
        List<Endpoint> local = usable(candidates, true);
        return new Categorized(cluster, local, !cluster.isEmpty());
    }

    private static List<Endpoint> usable(List<Candidate> candidates, boolean localOnly) {
        List<Endpoint> ready = new ArrayList<>();
        List<Endpoint> terminating = new ArrayList<>();
        for (Candidate c : candidates) {
            if (localOnly && !c.endpoint().local()) {
                continue;
            }
            if (c.ready()) {
                ready.add(c.endpoint());
            } else if (c.servingTerminating()) {
                terminating.add(c.endpoint());
            }
        }
        return ready.isEmpty() ? terminating : ready;
    }

    /** The service port's endpoints over all its slices, one per ip:port (a ready copy wins), sorted. */
    private static List<Candidate> candidates(ServicePort servicePort, List<EndpointSlice> slices, String nodeName) {
        Map<String, Candidate> byAddress = new LinkedHashMap<>();
        for (EndpointSlice slice : slices) {
            if (slice.getAddressType() != null && !"IPv4".equals(slice.getAddressType())) {
                continue;
            }
            Integer port = slicePort(servicePort, slice);
            if (port == null || slice.getEndpoints() == null) {
                continue;
            }
            for (var endpoint : slice.getEndpoints()) {
                if (endpoint.getAddresses() == null || endpoint.getAddresses().isEmpty()) {
                    continue;
                }
                EndpointConditions conditions = endpoint.getConditions();
                // unset conditions: ready and serving true, terminating false (the EndpointSlice API's defaults)
                boolean ready = conditions == null || conditions.getReady() == null || conditions.getReady();
                Boolean servingValue = conditions == null ? null : conditions.getServing();
                boolean serving = servingValue == null ? ready : servingValue;
                boolean terminating = conditions != null && Boolean.TRUE.equals(conditions.getTerminating());
                boolean local = nodeName != null && nodeName.equals(endpoint.getNodeName());
                String ip = endpoint.getAddresses().getFirst();
                Candidate candidate = new Candidate(new Endpoint(ip, port, local), ready, serving && terminating);
                byAddress.merge(ip + ":" + port, candidate, (a, b) -> a.ready() ? a : b);
            }
        }
        List<Candidate> out = new ArrayList<>(byAddress.values());
        out.sort(Comparator.comparing((Candidate c) -> c.endpoint().ip())
                .thenComparing(c -> c.endpoint().port()));
        return out;
    }

    /**
     * The slice's number for the service port: the slice port of the same name and protocol (named targetPorts). The
     * API takes any int32 there, as upstream does; a number no packet can carry counts as no port, so that one bad
     * slice cannot make the whole table unloadable.
     */
    private static Integer slicePort(ServicePort servicePort, EndpointSlice slice) {
        if (slice.getPorts() == null) {
            return null;
        }
        String name = Objects.requireNonNullElse(servicePort.getName(), "");
        String protocol = Objects.requireNonNullElse(servicePort.getProtocol(), "TCP");
        for (EndpointPort port : slice.getPorts()) {
            if (name.equals(Objects.requireNonNullElse(port.getName(), ""))
                    && protocol.equals(Objects.requireNonNullElse(port.getProtocol(), "TCP"))
                    && port.getPort() != null
                    && port.getPort() >= 1
                    && port.getPort() <= 65535) {
                return port.getPort();
            }
        }
        return null;
    }
}
