package dev.capstan.netproxy.policy;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Small builders of the objects policy reads, so test cases read like the YAML they stand for. */
final class Fixtures {
    static final String NODE = "node-a";

    private Fixtures() {}

    static Map<String, String> labels(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    static Namespace namespace(String name, String... kv) {
        Map<String, String> l = labels(kv);
        l.put("kubernetes.io/metadata.name", name);
        return new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(l)
                .endMetadata()
                .build();
    }

    /** A running pod with one container, its named ports given as name, "proto/number" pairs. */
    static Pod pod(String ns, String name, String node, String ip, Map<String, String> labels, String... ports) {
        List<ContainerPort> cp = new java.util.ArrayList<>();
        for (int i = 0; i < ports.length; i += 2) {
            String[] pn = ports[i + 1].split("/");
            cp.add(new ContainerPort(Integer.parseInt(pn[1]), null, null, ports[i], pn[0]));
        }
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace(ns)
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withNodeName(node)
                .addNewContainer()
                .withName("main")
                .withImage("busybox")
                .withPorts(cp)
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .withPodIP(ip)
                .addNewPodIP(ip)
                .endStatus()
                .build();
    }

    static LabelSelector selector(String... kv) {
        return new LabelSelectorBuilder().withMatchLabels(labels(kv)).build();
    }

    /** A policy; {@code types} empty leaves policyTypes unset (upstream's defaults apply). */
    static NetworkPolicy policy(
            String ns,
            String name,
            LabelSelector podSelector,
            List<String> types,
            List<NetworkPolicyIngressRule> ingress,
            List<NetworkPolicyEgressRule> egress) {
        return new NetworkPolicyBuilder()
                .withNewMetadata()
                .withNamespace(ns)
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withPodSelector(podSelector)
                .withPolicyTypes(types)
                .withIngress(ingress)
                .withEgress(egress)
                .endSpec()
                .build();
    }

    static NetworkPolicyIngressRule from(List<NetworkPolicyPeer> peers, NetworkPolicyPort... ports) {
        return new NetworkPolicyIngressRule(peers, Arrays.asList(ports));
    }

    static NetworkPolicyEgressRule to(List<NetworkPolicyPeer> peers, NetworkPolicyPort... ports) {
        return new NetworkPolicyEgressRule(Arrays.asList(ports), peers);
    }

    static NetworkPolicyPeer pods(LabelSelector pods) {
        return new NetworkPolicyPeer(null, null, pods);
    }

    static NetworkPolicyPeer namespaces(LabelSelector namespaces) {
        return new NetworkPolicyPeer(null, namespaces, null);
    }

    static NetworkPolicyPeer podsIn(LabelSelector namespaces, LabelSelector pods) {
        return new NetworkPolicyPeer(null, namespaces, pods);
    }

    static NetworkPolicyPeer block(String cidr, String... except) {
        return new NetworkPolicyPeer(new IPBlock(cidr, Arrays.asList(except)), null, null);
    }

    /** A port: protocol null for the default, port an Integer, a String name or null. */
    static NetworkPolicyPort port(String protocol, Object port) {
        return port(protocol, port, null);
    }

    static NetworkPolicyPort port(String protocol, Object port, Integer endPort) {
        IntOrString p = port == null ? null : port instanceof Integer n ? new IntOrString(n) : new IntOrString(port);
        return new NetworkPolicyPort(endPort, p, protocol);
    }
}
