package dev.capstan.netproxy.policy;

import dev.capstan.model.net.Ipv4Cidr;
import dev.capstan.netproxy.policy.CompiledPolicy.BlockPeer;
import dev.capstan.netproxy.policy.CompiledPolicy.Direction;
import dev.capstan.netproxy.policy.CompiledPolicy.NoPeer;
import dev.capstan.netproxy.policy.CompiledPolicy.Rule;
import dev.capstan.netproxy.policy.CompiledPolicy.SelectorPeer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntPredicate;

/**
 * Renders the NetworkPolicy table, a pure function of {@link PolicyInputs}; the same inputs give the same text.
 *
 * <p>Layout: the base chain {@code forward} (filter hook forward, priority filter) accepts replies
 * ({@code ct state established,related}), then looks the destination up in the map {@code ingress-pods} and the
 * source in {@code egress-pods}; each maps the addresses of a local pod isolated in that direction to a jump to
 * its chain {@code ingress-NS/POD} or {@code egress-NS/POD}. A pod chain {@code return}s what some rule of some
 * policy selecting the pod allows (so a packet between two guarded pods passes both checks) and drops the rest.
 * A pod's peers sit in named sets {@code from-NS/POLICY/I} (ingress rule I) and {@code to-NS/POLICY/I} (egress),
 * the union of the pods its pod and namespace selectors pick, cluster-wide; ipBlocks and ports are inline.
 *
 * <p>Denied packets are dropped, not rejected, as Calico and Cilium do by default: a connection attempt just
 * times out, and no ICMP is generated towards whoever probes. Traffic between a pod and its own node (kubelet
 * probes, the node's DNS server) never passes the forward hook, so it is always allowed, as upstream requires.
 */
public final class PolicyRenderer {
    private static final String SELF = "a pod can always reach itself";

    private final List<PodEndpoint> pods;
    /** The same pods by namespace, so that a namespace selector is matched once per namespace. */
    private final SortedMap<String, List<PodEndpoint>> podsByNamespace = new TreeMap<>();

    private final List<CompiledPolicy> policies;
    private final Map<String, Map<String, String>> namespaceLabels = new HashMap<>();
    private final SortedMap<String, TreeSet<Integer>> sets = new TreeMap<>();
    /** The pods in each set, computed once per render. */
    private final Map<String, List<PodEndpoint>> selections = new HashMap<>();

    private final SortedMap<String, List<String>> chains = new TreeMap<>();
    private final Map<Direction, TreeMap<Integer, String>> maps = Map.of(
            Direction.INGRESS,
            new TreeMap<>(Integer::compareUnsigned),
            Direction.EGRESS,
            new TreeMap<>(Integer::compareUnsigned));

    private PolicyRenderer(PolicyInputs in) {
        pods = in.pods().stream()
                .map(PodEndpoint::of)
                .flatMap(Optional::stream)
                .sorted(Comparator.comparing(PodEndpoint::key))
                .toList();
        pods.forEach(p -> podsByNamespace
                .computeIfAbsent(p.namespace(), k -> new ArrayList<>())
                .add(p));
        policies = in.policies().stream()
                .map(CompiledPolicy::of)
                .sorted(Comparator.comparing(CompiledPolicy::key))
                .toList();
        in.namespaces()
                .forEach(ns -> namespaceLabels.put(
                        ns.getMetadata().getName(),
                        ns.getMetadata().getLabels() == null
                                ? Map.of()
                                : ns.getMetadata().getLabels()));
    }

    /** The whole table {@code table ip TABLE { ... }}, ready for {@code nft -f}. */
    public static String render(String table, PolicyInputs in) {
        PolicyRenderer r = new PolicyRenderer(in);
        for (PodEndpoint pod : r.pods) {
            if (pod.nodeName().equals(in.nodeName())) {
                r.guard(pod, Direction.INGRESS);
                r.guard(pod, Direction.EGRESS);
            }
        }
        return r.text(table);
    }

    /** The chain of {@code pod} for one direction, if some policy isolates it for that direction. */
    private void guard(PodEndpoint pod, Direction direction) {
        List<CompiledPolicy> selecting = policies.stream()
                .filter(p -> p.isolates(direction)
                        && p.namespace().equals(pod.namespace())
                        && p.podSelector().matches(pod.labels()))
                .toList();
        if (selecting.isEmpty()) {
            return;
        }
        String chain = Nft.name(prefix(direction) + pod.key());
        String own = direction == Direction.INGRESS ? "ip saddr " : "ip daddr ";
        List<String> rules = new ArrayList<>();
        rules.add(
                own + Nft.elements(pod.ips().stream().map(Ipv4Cidr::format).toList()) + " return" + Nft.comment(SELF));
        for (CompiledPolicy policy : selecting) {
            List<Rule> policyRules = policy.rules(direction);
            for (int i = 0; i < policyRules.size(); i++) {
                String comment =
                        Nft.comment(policy.key() + " " + direction.name().toLowerCase(Locale.ROOT) + "[" + i + "]");
                for (String match : matches(pod, policy, direction, i, policyRules.get(i))) {
                    rules.add((match + " return").strip() + comment);
                }
            }
        }
        rules.add("counter drop");
        chains.put(chain, rules);
        for (int ip : pod.ips()) {
            // two pods claiming one address (a stale status): the first by namespace/name keeps it
            maps.get(direction).putIfAbsent(ip, chain);
        }
    }

    /**
     * One side of a rule's peers: the nft match of its addresses, and for egress named ports the pods it covers
     * and which of their addresses.
     */
    private record PeerSide(String match, List<PodEndpoint> pods, IntPredicate ips, String set) {}

    /** The matches of rule {@code index} of {@code policy} guarding {@code pod}; none when it allows nothing. */
    private List<String> matches(PodEndpoint pod, CompiledPolicy policy, Direction direction, int index, Rule rule) {
        String address = direction == Direction.INGRESS ? "ip saddr" : "ip daddr";
        List<PeerSide> sides = new ArrayList<>();
        if (rule.anyPeer()) {
            sides.add(new PeerSide("", pods, ip -> true, null));
        } else {
            List<SelectorPeer> selectors = new ArrayList<>();
            for (var peer : rule.peers()) {
                switch (peer) {
                    case SelectorPeer s -> selectors.add(s);
                    case BlockPeer b -> {
                        String except = b.except().isEmpty()
                                ? ""
                                : " " + address + " != "
                                        + Nft.elements(b.except().stream()
                                                .map(Ipv4Cidr::toString)
                                                .toList());
                        sides.add(new PeerSide(address + " " + b.cidr() + except, pods, b::contains, null));
                    }
                    case NoPeer n -> {
                        // matches no IPv4 packet
                    }
                }
            }
            if (!selectors.isEmpty()) {
                // one set per rule: the union of its selector peers, the same for every pod the policy guards
                String set = Nft.name((direction == Direction.INGRESS ? "from-" : "to-") + policy.key() + "/" + index);
                List<PodEndpoint> selected = selections.computeIfAbsent(set, k -> select(policy, selectors));
                sides.addFirst(new PeerSide(address + " @" + set, selected, ip -> true, set));
            }
        }
        PortMatch ports = PortMatch.of(rule.ports(), direction == Direction.INGRESS ? pod : null);
        List<String> out = new ArrayList<>();
        for (PeerSide side : sides) {
            List<String> numeric = ports.any() ? List.of("") : ports.numericMatches();
            for (String port : numeric) {
                out.add((side.match() + " " + port).strip());
            }
            if (side.set() != null && !numeric.isEmpty()) {
                // rendered only when a rule refers to it
                sets.computeIfAbsent(side.set(), k -> {
                    TreeSet<Integer> ips = new TreeSet<>(Integer::compareUnsigned);
                    side.pods().forEach(p -> ips.addAll(p.ips()));
                    return ips;
                });
            }
            if (ports.any()) {
                continue;
            }
            // the address-and-port pairs already name only this side's addresses
            out.addAll(ports.namedMatches(side.pods(), side.ips()));
        }
        return out;
    }

    /** The pods any of the selector peers of {@code policy} picks, by namespace/name. */
    private List<PodEndpoint> select(CompiledPolicy policy, List<SelectorPeer> peers) {
        List<PodEndpoint> out = new ArrayList<>();
        podsByNamespace.forEach((namespace, inNamespace) -> {
            // a namespace the cache has not seen yet still carries the label the API server gives every namespace
            Map<String, String> nsLabels =
                    namespaceLabels.getOrDefault(namespace, Map.of("kubernetes.io/metadata.name", namespace));
            List<SelectorPeer> here = peers.stream()
                    .filter(s -> s.namespaces() == null
                            ? namespace.equals(policy.namespace())
                            : s.namespaces().matches(nsLabels))
                    .toList();
            if (!here.isEmpty()) {
                for (PodEndpoint pod : inNamespace) {
                    if (here.stream().anyMatch(s -> s.pods().matches(pod.labels()))) {
                        out.add(pod);
                    }
                }
            }
        });
        return out;
    }

    private String text(String table) {
        StringBuilder b = new StringBuilder();
        b.append("table ip ").append(table).append(" {\n");
        b.append("\tcomment \"NetworkPolicy for this node's pods, by capstan-netproxy\"\n");
        map(b, "ingress-pods", maps.get(Direction.INGRESS));
        map(b, "egress-pods", maps.get(Direction.EGRESS));
        sets.forEach((name, ips) -> {
            b.append("\n\tset ").append(name).append(" {\n\t\ttype ipv4_addr\n");
            elements(b, ips.stream().map(Ipv4Cidr::format).toList());
            b.append("\t}\n");
        });
        b.append("\n\tchain forward {\n");
        b.append("\t\ttype filter hook forward priority filter; policy accept;\n");
        b.append("\t\tct state established,related accept\n");
        b.append("\t\tip daddr vmap @ingress-pods\n");
        b.append("\t\tip saddr vmap @egress-pods\n");
        b.append("\t}\n");
        chains.forEach((name, rules) -> {
            b.append("\n\tchain ").append(name).append(" {\n");
            rules.forEach(r -> b.append("\t\t").append(r).append('\n'));
            b.append("\t}\n");
        });
        return b.append("}\n").toString();
    }

    private static void map(StringBuilder b, String name, TreeMap<Integer, String> elements) {
        b.append("\n\tmap ").append(name).append(" {\n\t\ttype ipv4_addr : verdict\n");
        List<String> items = new ArrayList<>();
        elements.forEach((ip, chain) -> items.add(Ipv4Cidr.format(ip) + " : jump " + chain));
        elements(b, items);
        b.append("\t}\n");
    }

    /** A set's or map's elements, one a line; nothing for none (nft has no empty element list). */
    private static void elements(StringBuilder b, List<String> items) {
        if (items.size() == 1) {
            b.append("\t\telements = { ").append(items.getFirst()).append(" }\n");
        } else if (!items.isEmpty()) {
            b.append("\t\telements = {\n\t\t\t")
                    .append(String.join(",\n\t\t\t", items))
                    .append("\n\t\t}\n");
        }
    }

    private static String prefix(Direction d) {
        return d == Direction.INGRESS ? "ingress-" : "egress-";
    }
}
