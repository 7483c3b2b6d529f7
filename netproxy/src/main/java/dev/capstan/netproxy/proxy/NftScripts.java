package dev.capstan.netproxy.proxy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * The nft scripts that bring a table to a {@link Ruleset}, each run as one transaction by {@code nft -f}:
 * {@link #full} replaces the table (add + delete + define, so it works whether the table exists or not),
 * {@link #refresh} rewrites every rule and element of an existing table but keeps its affinity sets' contents, and
 * {@link #diff} touches only the chains, elements and sets that differ between two rulesets.
 */
final class NftScripts {
    /** The mark that tells postrouting to masquerade (upstream's 0x4000). */
    static final String MASQ_MARK = "0x4000";

    static final String TABLE_COMMENT = "Service VIPs, NodePorts and load balancers (capstan-netproxy)";
    static final String CLUSTER_IPS_COMMENT = "Active ClusterIPs";
    static final String MARKER_COMMENT = "always empty: ends each script on the proxy's nft -i session";

    /** An endpoint map's key is the index {@code numgen} draws (an integer; "mod 1" only names the expression). */
    private static final String ENDPOINT_MAP_TYPE = "typeof numgen random mod 1 : verdict";

    private NftScripts() {}

    static String full(Ruleset r, ProxySettings s) {
        String t = s.table();
        return "add table ip " + t + "\ndelete table ip " + t + "\n" + table(r, s);
    }

    /** For a table this syncer wrote last as {@code old}: everything rewritten, affinity state kept. */
    static String refresh(Ruleset old, Ruleset r, ProxySettings s) {
        String t = s.table();
        StringBuilder b = new StringBuilder("add table ip " + t + "\nflush table ip " + t + "\n");
        for (String map : old.maps().keySet()) {
            b.append("flush map ip ").append(t).append(' ').append(map).append('\n');
        }
        b.append("flush set ip ")
                .append(t)
                .append(' ')
                .append(Ruleset.CLUSTER_IPS)
                .append('\n');
        // endpoint maps before chains: a map that goes still names the endpoint chains that go with it
        for (String map : old.endpointMaps().keySet()) {
            b.append(r.endpointMaps().containsKey(map) ? "flush map ip " : "delete map ip ")
                    .append(t)
                    .append(' ')
                    .append(map)
                    .append('\n');
        }
        for (String chain : old.chains().keySet()) {
            if (!r.chains().containsKey(chain)) {
                b.append("delete chain ip ").append(t).append(' ').append(chain).append('\n');
            }
        }
        for (String set : old.affinitySets().keySet()) {
            if (!r.affinitySets().containsKey(set)) {
                b.append("delete set ip ").append(t).append(' ').append(set).append('\n');
            }
        }
        return b.append(table(r, s)).toString();
    }

    static String diff(Ruleset old, Ruleset r, ProxySettings s) {
        String p = "ip " + s.table() + " ";
        StringBuilder b = new StringBuilder();
        // an affinity set whose timeout changed is replaced, so the rules using it are rewritten around that
        Set<String> retimed = new TreeSet<>();
        r.affinitySets().forEach((set, timeout) -> {
            Integer before = old.affinitySets().get(set);
            if (before != null && !before.equals(timeout)) {
                retimed.add(set);
            }
        });
        Set<String> rewrite = new TreeSet<>();
        r.chains().forEach((chain, rules) -> {
            if (!rules.equals(old.chains().get(chain))
                    || rules.stream()
                            .anyMatch(rule -> retimed.stream().anyMatch(set -> rule.contains("@" + set + " ")))) {
                rewrite.add(chain);
            }
        });
        // every new chain first, so that rules may jump to chains defined further down
        for (String chain : r.chains().keySet()) {
            if (!old.chains().containsKey(chain)) {
                b.append("add chain ").append(p).append(chain).append('\n');
            }
        }
        for (String chain : rewrite) {
            if (old.chains().containsKey(chain)) {
                b.append("flush chain ").append(p).append(chain).append('\n');
            }
        }
        retimed.forEach(set -> b.append("delete set ").append(p).append(set).append('\n'));
        r.affinitySets().forEach((set, timeout) -> {
            if (retimed.contains(set) || !old.affinitySets().containsKey(set)) {
                b.append("add set ")
                        .append(p)
                        .append(set)
                        .append(' ')
                        .append(affinitySet(timeout))
                        .append('\n');
            }
        });
        // endpoint maps before the rules that use them, after the endpoint chains they name
        r.endpointMaps().forEach((map, picks) -> {
            List<String> before = old.endpointMaps().get(map);
            if (picks.equals(before)) {
                return;
            }
            b.append(before == null ? "add map " : "flush map ").append(p).append(map);
            b.append(before == null ? " { " + ENDPOINT_MAP_TYPE + "; }\n" : "\n");
            b.append("add element ")
                    .append(p)
                    .append(map)
                    .append(" { ")
                    .append(String.join(", ", indexed(picks)))
                    .append(" }\n");
        });
        for (String chain : rewrite) {
            for (String rule : r.chains().get(chain)) {
                b.append("add rule ")
                        .append(p)
                        .append(chain)
                        .append(' ')
                        .append(rule)
                        .append('\n');
            }
        }
        r.maps().forEach((map, elements) -> {
            SortedMap<String, String> before = old.maps().get(map);
            before.forEach((key, verdict) -> {
                if (!verdict.equals(elements.get(key))) {
                    b.append("delete element ")
                            .append(p)
                            .append(map)
                            .append(" { ")
                            .append(key)
                            .append(" }\n");
                }
            });
            elements.forEach((key, verdict) -> {
                if (!verdict.equals(before.get(key))) {
                    b.append("add element ")
                            .append(p)
                            .append(map)
                            .append(" { ")
                            .append(key)
                            .append(" : ")
                            .append(verdict)
                            .append(" }\n");
                }
            });
        });
        for (String ip : old.clusterIps()) {
            if (!r.clusterIps().contains(ip)) {
                b.append("delete element ")
                        .append(p)
                        .append("cluster-ips { ")
                        .append(ip)
                        .append(" }\n");
            }
        }
        for (String ip : r.clusterIps()) {
            if (!old.clusterIps().contains(ip)) {
                b.append("add element ")
                        .append(p)
                        .append("cluster-ips { ")
                        .append(ip)
                        .append(" }\n");
            }
        }
        // chains and sets go last: nothing may refer to them any more (flush first: a chain may jump to another)
        var gone = new TreeSet<>(old.chains().keySet());
        gone.removeAll(r.chains().keySet());
        gone.forEach(chain -> b.append("flush chain ").append(p).append(chain).append('\n'));
        for (String map : old.endpointMaps().keySet()) {
            if (!r.endpointMaps().containsKey(map)) {
                b.append("delete map ").append(p).append(map).append('\n');
            }
        }
        gone.forEach(chain -> b.append("delete chain ").append(p).append(chain).append('\n'));
        for (String set : old.affinitySets().keySet()) {
            if (!r.affinitySets().containsKey(set)) {
                b.append("delete set ").append(p).append(set).append('\n');
            }
        }
        return b.toString();
    }

    private static String affinitySet(int timeout) {
        // "dynamic" as upstream: the kernel adds it to sets updated from the packet path, and a later add without
        // it would be a conflicting redefinition
        return "{ type ipv4_addr; flags dynamic,timeout; timeout " + timeout + "s; }";
    }

    private static String table(Ruleset r, ProxySettings s) {
        StringBuilder b = new StringBuilder();
        b.append("table ip ").append(s.table()).append(" {\n");
        b.append("\tcomment \"").append(TABLE_COMMENT).append("\"\n");
        b.append("\tset ")
                .append(Ruleset.CLUSTER_IPS)
                .append(" {\n\t\ttype ipv4_addr\n\t\tcomment \"")
                .append(CLUSTER_IPS_COMMENT)
                .append("\"\n");
        elements(b, r.clusterIps().stream().toList());
        b.append("\t}\n");
        b.append("\tset ")
                .append(NftSession.MARKER_SET)
                .append(" {\n\t\ttype ipv4_addr\n\t\tcomment \"")
                .append(MARKER_COMMENT)
                .append("\"\n\t}\n");
        for (String map : Ruleset.IP_MAPS) {
            map(
                    b,
                    map,
                    "ipv4_addr . inet_proto . inet_service : verdict",
                    r.maps().get(map));
        }
        for (String map : Ruleset.PORT_MAPS) {
            map(b, map, "inet_proto . inet_service : verdict", r.maps().get(map));
        }
        r.affinitySets()
                .forEach((set, timeout) -> b.append("\tset ")
                        .append(set)
                        .append(' ')
                        .append(affinitySet(timeout))
                        .append('\n'));
        r.endpointMaps().forEach((map, picks) -> {
            b.append("\tmap ")
                    .append(map)
                    .append(" {\n\t\t")
                    .append(ENDPOINT_MAP_TYPE)
                    .append('\n');
            elements(b, indexed(picks));
            b.append("\t}\n");
        });
        for (List<String> chain : FixedChains.chains(s)) {
            chain(b, chain.getFirst(), chain.subList(1, chain.size()));
        }
        r.chains().forEach((name, rules) -> chain(b, name, rules));
        return b.append("}\n").toString();
    }

    private static void map(StringBuilder b, String name, String type, Map<String, String> elements) {
        b.append("\tmap ").append(name).append(" {\n\t\ttype ").append(type).append('\n');
        elements(
                b,
                elements.entrySet().stream()
                        .map(e -> e.getKey() + " : " + e.getValue())
                        .toList());
        b.append("\t}\n");
    }

    /** "0 : verdict", "1 : verdict", …: the elements of an endpoint map. */
    private static List<String> indexed(List<String> picks) {
        return java.util.stream.IntStream.range(0, picks.size())
                .mapToObj(i -> i + " : " + picks.get(i))
                .toList();
    }

    private static void elements(StringBuilder b, List<String> elements) {
        if (elements.isEmpty()) {
            return;
        }
        b.append("\t\telements = {\n");
        for (int i = 0; i < elements.size(); i++) {
            b.append("\t\t\t").append(elements.get(i)).append(i == elements.size() - 1 ? "\n" : ",\n");
        }
        b.append("\t\t}\n");
    }

    private static void chain(StringBuilder b, String name, List<String> lines) {
        b.append("\tchain ").append(name).append(" {\n");
        for (String line : lines) {
            b.append("\t\t").append(line).append('\n');
        }
        b.append("\t}\n");
    }
}
