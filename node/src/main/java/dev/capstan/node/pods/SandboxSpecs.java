package dev.capstan.node.pods;

import dev.capstan.node.runtime.DnsConfig;
import dev.capstan.node.runtime.PodMetadata;
import dev.capstan.node.runtime.PodSandboxConfig;
import dev.capstan.node.runtime.PortMapping;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A pod's sandbox configuration (upstream kuberuntime_sandbox.go generatePodSandboxConfig): metadata, hostname, the log
 * directory, resolv.conf, host ports and the labels that find the pod's sandboxes again.
 */
final class SandboxSpecs {
    private final NodeContext node;

    SandboxSpecs(NodeContext node) {
        this.node = node;
    }

    PodSandboxConfig config(Pod pod, int attempt) {
        var meta = pod.getMetadata();
        var metadata = new PodMetadata(meta.getName(), meta.getNamespace(), meta.getUid(), attempt);
        String hostname = pod.getSpec().getHostname() != null ? pod.getSpec().getHostname() : meta.getName();
        if (hostname.length() > 63) {
            hostname = hostname.substring(0, 63);
        }
        Path logs = logDirectory(pod);
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the pod log directory " + logs + ": " + e.getMessage(), e);
        }
        List<PortMapping> ports = new ArrayList<>();
        for (Container c : list(pod.getSpec().getContainers())) {
            for (ContainerPort p : list(c.getPorts())) {
                if (p.getHostPort() != null && p.getHostPort() > 0) {
                    ports.add(new PortMapping(
                            PortMapping.Protocol.valueOf(Objects.requireNonNullElse(p.getProtocol(), "TCP")),
                            p.getContainerPort(),
                            p.getHostPort(),
                            Objects.requireNonNullElse(p.getHostIP(), "")));
                }
            }
        }
        Map<String, String> labels = new HashMap<>();
        labels.put(ContainerSpecs.POD_NAME, meta.getName());
        labels.put(ContainerSpecs.POD_NAMESPACE, meta.getNamespace());
        labels.put(ContainerSpecs.POD_UID, meta.getUid());
        return new PodSandboxConfig(metadata, hostname, logs.toString(), dns(pod), ports, labels, Map.of(), "");
    }

    /** resolv.conf as upstream's dns.go: ClusterFirst with cluster DNS, None from dnsConfig, else the host's. */
    private DnsConfig dns(Pod pod) {
        String policy = Objects.requireNonNullElse(pod.getSpec().getDnsPolicy(), "ClusterFirst");
        var custom = pod.getSpec().getDnsConfig();
        if ("None".equals(policy) && custom != null) {
            List<String> options = new ArrayList<>();
            for (var o : list(custom.getOptions())) {
                options.add(o.getValue() == null ? o.getName() : o.getName() + ":" + o.getValue());
            }
            return new DnsConfig(list(custom.getNameservers()), list(custom.getSearches()), options);
        }
        boolean hostNetwork = Boolean.TRUE.equals(pod.getSpec().getHostNetwork());
        boolean clusterFirst =
                "ClusterFirst".equals(policy) && !hostNetwork || "ClusterFirstWithHostNet".equals(policy);
        if (!clusterFirst || node.clusterDns().isEmpty()) {
            return null;
        }
        String ns = pod.getMetadata().getNamespace();
        String domain = node.clusterDomain();
        return new DnsConfig(
                node.clusterDns(), List.of(ns + ".svc." + domain, "svc." + domain, domain), List.of("ndots:5"));
    }

    Path logDirectory(Pod pod) {
        var meta = pod.getMetadata();
        return node.podLogRoot().resolve(meta.getNamespace() + "_" + meta.getName() + "_" + meta.getUid());
    }

    private static <T> List<T> list(List<T> values) {
        return values == null ? List.of() : values;
    }
}
