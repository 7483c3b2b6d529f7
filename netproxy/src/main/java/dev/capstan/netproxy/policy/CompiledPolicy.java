package dev.capstan.netproxy.policy;

import dev.capstan.model.labels.LabelSelector;
import dev.capstan.model.labels.SelectorParseException;
import dev.capstan.model.net.Ipv4Cidr;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * A NetworkPolicy read once per render: selectors parsed, upstream's defaults applied (policyTypes, TCP), ipBlocks
 * reduced to IPv4 prefixes with their host bits cleared.
 */
record CompiledPolicy(
        String namespace,
        String name,
        LabelSelector podSelector,
        boolean ingress,
        boolean egress,
        List<Rule> ingressRules,
        List<Rule> egressRules) {

    enum Direction {
        INGRESS,
        EGRESS
    }

    /**
     * One rule: traffic that matches a peer (any traffic when {@code anyPeer}) and a port (any port when {@code ports}
     * is empty).
     */
    record Rule(boolean anyPeer, List<Peer> peers, List<Port> ports) {}

    sealed interface Peer permits SelectorPeer, BlockPeer, NoPeer {}

    /** Pods matching {@code pods} in the namespaces matching {@code namespaces}, or in the policy's own if null. */
    record SelectorPeer(LabelSelector pods, LabelSelector namespaces) implements Peer {}

    /** Addresses in {@code cidr} but in none of {@code except} (sorted, none inside another). */
    record BlockPeer(Ipv4Cidr cidr, List<Ipv4Cidr> except) implements Peer {
        boolean contains(int ip) {
            return cidr.contains(ip) && except.stream().noneMatch(e -> e.contains(ip));
        }
    }

    /** A peer no IPv4 packet matches: an IPv6 ipBlock, or one whose exceptions cover it. */
    record NoPeer() implements Peer {}

    /**
     * A port: {@code protocol} upper-case; {@code name} set for a named port, else {@code port} (null = every port of
     * the protocol) up to {@code endPort} (inclusive, equal to port when there is no range).
     */
    record Port(String protocol, String name, Integer port, Integer endPort) {}

    static CompiledPolicy of(NetworkPolicy policy) {
        var spec = policy.getSpec();
        List<String> types = spec.getPolicyTypes() == null ? List.of() : spec.getPolicyTypes();
        boolean egressRulesPresent =
                spec.getEgress() != null && !spec.getEgress().isEmpty();
        // upstream's defaults: Ingress always, Egress when egress rules are present
        boolean ingress = types.isEmpty() || types.contains("Ingress");
        boolean egress = types.isEmpty() ? egressRulesPresent : types.contains("Egress");
        return new CompiledPolicy(
                policy.getMetadata().getNamespace(),
                policy.getMetadata().getName(),
                selector(spec.getPodSelector(), LabelSelector.EVERYTHING), // a Go value, not a pointer: absent is {}
                ingress,
                egress,
                rules(spec.getIngress(), r -> r.getFrom(), r -> r.getPorts()),
                rules(spec.getEgress(), r -> r.getTo(), r -> r.getPorts()));
    }

    List<Rule> rules(Direction direction) {
        return direction == Direction.INGRESS ? ingressRules : egressRules;
    }

    boolean isolates(Direction direction) {
        return direction == Direction.INGRESS ? ingress : egress;
    }

    String key() {
        return namespace + "/" + name;
    }

    private static <R> List<Rule> rules(
            List<R> rules, Function<R, List<NetworkPolicyPeer>> peers, Function<R, List<NetworkPolicyPort>> ports) {
        List<Rule> out = new ArrayList<>();
        if (rules != null) {
            for (R rule : rules) {
                List<NetworkPolicyPeer> from = peers.apply(rule) == null ? List.of() : peers.apply(rule);
                List<NetworkPolicyPort> to = ports.apply(rule) == null ? List.of() : ports.apply(rule);
                out.add(new Rule(
                        from.isEmpty(),
                        from.stream().map(CompiledPolicy::peer).toList(),
                        to.stream().map(CompiledPolicy::port).toList()));
            }
        }
        return List.copyOf(out);
    }

    private static Peer peer(NetworkPolicyPeer peer) {
        if (peer.getIpBlock() != null) {
            return block(peer.getIpBlock());
        }
        if (peer.getPodSelector() == null && peer.getNamespaceSelector() == null) {
            return new NoPeer(); // the API server rejects this; fail closed
        }
        // only a namespaceSelector: every pod of those namespaces
        LabelSelector pods = peer.getPodSelector() == null
                ? LabelSelector.EVERYTHING
                : selector(peer.getPodSelector(), LabelSelector.NOTHING);
        LabelSelector namespaces = peer.getNamespaceSelector() == null
                ? null
                : selector(peer.getNamespaceSelector(), LabelSelector.NOTHING);
        return new SelectorPeer(pods, namespaces);
    }

    private static Peer block(IPBlock block) {
        Optional<Ipv4Cidr> cidr = Ipv4Cidr.parse(block.getCidr());
        if (cidr.isEmpty()) {
            return new NoPeer();
        }
        List<Ipv4Cidr> except = new ArrayList<>();
        for (String e : block.getExcept() == null ? List.<String>of() : block.getExcept()) {
            Ipv4Cidr.parse(e)
                    .filter(x -> cidr.get().contains(x) || x.contains(cidr.get()))
                    .ifPresent(except::add);
        }
        except.sort(null);
        // drop exceptions inside another, so nft's interval set gets no overlap
        List<Ipv4Cidr> disjoint = new ArrayList<>();
        for (Ipv4Cidr e : except) {
            if (disjoint.isEmpty() || !disjoint.getLast().contains(e)) {
                disjoint.add(e);
            }
        }
        if (!disjoint.isEmpty() && disjoint.getFirst().contains(cidr.get())) {
            return new NoPeer();
        }
        return new BlockPeer(cidr.get(), List.copyOf(disjoint));
    }

    private static Port port(NetworkPolicyPort port) {
        String protocol =
                port.getProtocol() == null ? "TCP" : port.getProtocol().toUpperCase(Locale.ROOT);
        var p = port.getPort();
        if (p == null) {
            return new Port(protocol, null, null, null);
        }
        if (p.getStrVal() != null) {
            return new Port(protocol, p.getStrVal(), null, null);
        }
        int start = p.getIntVal();
        int end = port.getEndPort() == null ? start : Math.max(start, port.getEndPort());
        return new Port(protocol, null, start, end);
    }

    /** An invalid selector selects nothing: the API server validates them, so this only fails closed. */
    private static LabelSelector selector(io.fabric8.kubernetes.api.model.LabelSelector s, LabelSelector absent) {
        if (s == null) {
            return absent;
        }
        try {
            return LabelSelector.of(s);
        } catch (SelectorParseException e) {
            return LabelSelector.NOTHING;
        }
    }
}
