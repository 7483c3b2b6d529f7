package dev.capstan.netproxy.policy;

import dev.capstan.model.net.Ipv4Cidr;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;

/**
 * What policy needs of a pod: where it runs, its labels, its IPv4 addresses (sorted, unsigned) and its containers'
 * named ports.
 *
 * @param ips never empty
 */
record PodEndpoint(
        String namespace,
        String name,
        String nodeName,
        Map<String, String> labels,
        List<Integer> ips,
        List<NamedPort> namedPorts) {

    /** A container port with a name; protocol upper-case as in the API ("TCP", "UDP", "SCTP"). */
    record NamedPort(String name, String protocol, int port) {}

    /**
     * The pod as a policy endpoint; empty when policy cannot see it: no IPv4 address yet, finished (Succeeded or
     * Failed: its address may already belong to another pod), or on the host's network (its address is the
     * node's, and upstream leaves such pods' treatment undefined; traffic from the node is always allowed here).
     */
    static Optional<PodEndpoint> of(Pod pod) {
        if (pod.getSpec() == null || Boolean.TRUE.equals(pod.getSpec().getHostNetwork()) || pod.getStatus() == null) {
            return Optional.empty();
        }
        String phase = pod.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
            return Optional.empty();
        }
        TreeSet<Integer> ips = new TreeSet<>(Integer::compareUnsigned);
        List<PodIP> podIps = pod.getStatus().getPodIPs();
        if (podIps != null) {
            podIps.forEach(ip -> addIpv4(ips, ip.getIp()));
        }
        addIpv4(ips, pod.getStatus().getPodIP());
        if (ips.isEmpty()) {
            return Optional.empty();
        }
        List<NamedPort> ports = new ArrayList<>();
        for (Container c : pod.getSpec().getContainers()) {
            for (ContainerPort p : c.getPorts()) {
                if (p.getName() != null && !p.getName().isEmpty() && p.getContainerPort() != null) {
                    String protocol = p.getProtocol() == null ? "TCP" : p.getProtocol();
                    ports.add(new NamedPort(p.getName(), protocol, p.getContainerPort()));
                }
            }
        }
        var meta = pod.getMetadata();
        return Optional.of(new PodEndpoint(
                meta.getNamespace(),
                meta.getName(),
                pod.getSpec().getNodeName() == null ? "" : pod.getSpec().getNodeName(),
                meta.getLabels() == null ? Map.of() : meta.getLabels(),
                List.copyOf(ips),
                List.copyOf(ports)));
    }

    /** The port numbers this pod's containers give {@code name} for {@code protocol} (upstream allows several). */
    List<Integer> resolve(String name, String protocol) {
        List<Integer> out = new ArrayList<>();
        for (NamedPort p : namedPorts) {
            if (p.name().equals(name) && p.protocol().equals(protocol)) {
                out.add(p.port());
            }
        }
        return out;
    }

    String key() {
        return namespace + "/" + name;
    }

    private static void addIpv4(TreeSet<Integer> ips, String ip) {
        OptionalInt v4 = Ipv4Cidr.parseAddress(ip);
        if (v4.isPresent()) {
            ips.add(v4.getAsInt());
        }
    }
}
