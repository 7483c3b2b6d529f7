package dev.capstan.netproxy.policy;

import dev.capstan.model.net.Ipv4Cidr;
import dev.capstan.netproxy.policy.CompiledPolicy.Port;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntPredicate;

/**
 * A rule's {@code ports} as nftables matches: numbers and ranges merged per protocol, named ports either resolved
 * on the destination pod (ingress: the pod the chain guards) or kept by name (egress: resolved per destination pod
 * by {@link #namedMatches}).
 */
final class PortMatch {
    private static final Map<String, String> PROTOCOLS = Map.of("TCP", "tcp", "UDP", "udp", "SCTP", "sctp");

    private final boolean any;
    /** nft protocol -> start -> end (inclusive), merged; protocols in {@code allPorts} have none. */
    private final SortedMap<String, TreeMap<Integer, Integer>> ranges = new TreeMap<>();

    private final SortedSet<String> allPorts = new TreeSet<>();
    /** nft protocol -> port names still to resolve per destination. */
    private final SortedMap<String, SortedSet<String>> named = new TreeMap<>();

    private PortMatch(boolean any) {
        this.any = any;
    }

    /**
     * @param destination the pod whose container ports give named ports their numbers; null to keep names for
     *     {@link #namedMatches}
     */
    static PortMatch of(List<Port> ports, PodEndpoint destination) {
        PortMatch m = new PortMatch(ports.isEmpty());
        for (Port p : ports) {
            String proto = PROTOCOLS.get(p.protocol());
            if (proto == null) {
                continue; // a protocol nft cannot name matches nothing
            }
            if (p.name() != null) {
                if (destination == null) {
                    m.named.computeIfAbsent(proto, k -> new TreeSet<>()).add(p.name());
                } else {
                    destination.resolve(p.name(), p.protocol()).forEach(n -> m.add(proto, n, n));
                }
            } else if (p.port() == null) {
                m.allPorts.add(proto);
            } else {
                m.add(proto, p.port(), p.endPort());
            }
        }
        m.allPorts.forEach(proto -> {
            m.ranges.remove(proto);
            m.named.remove(proto);
        });
        return m;
    }

    /** Whether the rule has no {@code ports}: every port and protocol. */
    boolean any() {
        return any;
    }

    /** Matches on protocol and port alone, e.g. {@code tcp dport { 80, 8000-9000 }} or {@code meta l4proto udp}. */
    List<String> numericMatches() {
        List<String> out = new ArrayList<>();
        for (String proto : union(allPorts, ranges.keySet())) {
            if (allPorts.contains(proto)) {
                out.add("meta l4proto " + proto);
            } else {
                List<String> items = new ArrayList<>();
                ranges.get(proto).forEach((s, e) -> items.add(s.equals(e) ? s.toString() : s + "-" + e));
                out.add(proto + " dport " + Nft.elements(items));
            }
        }
        return out;
    }

    /**
     * Named ports resolved on each destination pod whose address {@code ip} accepts, as address-and-port pairs,
     * e.g. {@code ip daddr . tcp dport { 10.244.1.5 . 8080 }}; none for a protocol no destination resolves.
     */
    List<String> namedMatches(Collection<PodEndpoint> destinations, IntPredicate ip) {
        List<String> out = new ArrayList<>();
        named.forEach((proto, names) -> {
            String apiProtocol = proto.toUpperCase(java.util.Locale.ROOT);
            TreeSet<long[]> pairs = new TreeSet<>((a, b) ->
                    a[0] != b[0] ? Integer.compareUnsigned((int) a[0], (int) b[0]) : Long.compare(a[1], b[1]));
            for (PodEndpoint pod : destinations) {
                for (String name : names) {
                    for (int port : pod.resolve(name, apiProtocol)) {
                        pod.ips().stream().filter(ip::test).forEach(a -> pairs.add(new long[] {a, port}));
                    }
                }
            }
            if (!pairs.isEmpty()) {
                List<String> items = new ArrayList<>();
                pairs.forEach(pr -> items.add(Ipv4Cidr.format((int) pr[0]) + " . " + pr[1]));
                out.add("ip daddr . " + proto + " dport " + Nft.elements(items));
            }
        });
        return out;
    }

    private void add(String proto, int start, int end) {
        TreeMap<Integer, Integer> r = ranges.computeIfAbsent(proto, k -> new TreeMap<>());
        // merge with every range that overlaps or touches [start, end]
        var before = r.floorEntry(start);
        if (before != null && before.getValue() >= start - 1) {
            start = before.getKey();
            end = Math.max(end, before.getValue());
        }
        var next = r.ceilingEntry(start);
        while (next != null && next.getKey() <= end + 1) {
            end = Math.max(end, next.getValue());
            r.remove(next.getKey());
            next = r.ceilingEntry(start);
        }
        r.put(start, end);
    }

    private static SortedSet<String> union(Collection<String> a, Collection<String> b) {
        SortedSet<String> s = new TreeSet<>(a);
        s.addAll(b);
        return s;
    }
}
