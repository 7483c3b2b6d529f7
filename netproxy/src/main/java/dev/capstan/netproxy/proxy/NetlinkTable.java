package dev.capstan.netproxy.proxy;

import dev.capstan.netproxy.proxy.netlink.NftBatch;
import dev.capstan.netproxy.proxy.netlink.RuleCompiler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The netlink form of {@link NftScripts#full} and {@link NftScripts#refresh}: the same commands in the order nft sends
 * them (the table, every chain, every set with its elements, then every rule), as one transaction, without nft. For
 * 1,000 Services of 10 endpoints nft spends about as long parsing and evaluating its script as the kernel spends
 * applying it; this spends a few tens of milliseconds building the batch. Empty when a rule or element is outside
 * {@link RuleCompiler}'s forms: nft applies the script then.
 */
final class NetlinkTable {
    private static final Pattern BASE_CHAIN =
            Pattern.compile("type (filter|nat) hook (\\w+) priority (-?\\d+|dstnat|srcnat); policy accept;");
    // linux/netfilter.h's hook numbers, and nft's names for the NAT priorities
    private static final Map<String, Integer> HOOKS =
            Map.of("prerouting", 0, "input", 1, "forward", 2, "output", 3, "postrouting", 4);
    private static final Map<String, Integer> PRIORITIES = Map.of("dstnat", -100, "srcnat", 100);

    private NetlinkTable() {}

    /** The table replaced, whether it exists or not. */
    static Optional<NftBatch> full(Ruleset r, ProxySettings s) {
        NftBatch b = NftBatch.large(s.table());
        b.addTable(null);
        b.deleteTable();
        return define(b, r, s) ? Optional.of(b) : Optional.empty();
    }

    /** For a table this syncer wrote last as {@code old}: everything rewritten, the affinity sets' contents kept. */
    static Optional<NftBatch> refresh(Ruleset old, Ruleset r, ProxySettings s) {
        NftBatch b = NftBatch.large(s.table());
        b.addTable(null);
        b.flushTable();
        old.maps().keySet().forEach(b::flushSet);
        b.flushSet(Ruleset.CLUSTER_IPS);
        // endpoint maps before chains: a map that goes still names the endpoint chains that go with it
        for (String map : old.endpointMaps().keySet()) {
            if (r.endpointMaps().containsKey(map)) {
                b.flushSet(map);
            } else {
                b.deleteSet(map);
            }
        }
        for (String chain : old.chains().keySet()) {
            if (!r.chains().containsKey(chain)) {
                b.deleteChain(chain);
            }
        }
        for (String set : old.affinitySets().keySet()) {
            if (!r.affinitySets().containsKey(set)) {
                b.deleteSet(set);
            }
        }
        return define(b, r, s) ? Optional.of(b) : Optional.empty();
    }

    /** The table as {@code NftScripts.table} declares it; false if something in it has no netlink form here. */
    private static boolean define(NftBatch b, Ruleset r, ProxySettings s) {
        b.addTable(NftScripts.TABLE_COMMENT);
        Map<String, List<String>> fixedRules = new LinkedHashMap<>();
        for (List<String> chain : FixedChains.chains(s)) {
            String name = chain.getFirst();
            List<String> lines = chain.subList(1, chain.size());
            Matcher base = lines.isEmpty() ? null : BASE_CHAIN.matcher(lines.getFirst());
            if (base != null && base.matches()) {
                Integer hook = HOOKS.get(base.group(2));
                if (hook == null) {
                    return false;
                }
                String priority = base.group(3);
                b.addBaseChain(
                        name,
                        base.group(1),
                        hook,
                        PRIORITIES.containsKey(priority) ? PRIORITIES.get(priority) : Integer.parseInt(priority));
                lines = lines.subList(1, lines.size());
            } else {
                b.addChain(name);
            }
            fixedRules.put(name, lines);
        }
        r.chains().keySet().forEach(b::addChain);

        b.addAddressSet(Ruleset.CLUSTER_IPS, NftScripts.CLUSTER_IPS_COMMENT);
        if (!addElements(b, Ruleset.CLUSTER_IPS, r.clusterIps().stream().toList(), null)) {
            return false;
        }
        b.addAddressSet(NftSession.MARKER_SET, NftScripts.MARKER_COMMENT);
        for (String map : Ruleset.IP_MAPS) {
            b.addAddressProtocolPortMap(map);
            if (!addElements(
                    b, map, List.copyOf(r.maps().get(map).keySet()), r.maps().get(map))) {
                return false;
            }
        }
        for (String map : Ruleset.PORT_MAPS) {
            b.addProtocolPortMap(map);
            if (!addElements(
                    b, map, List.copyOf(r.maps().get(map).keySet()), r.maps().get(map))) {
                return false;
            }
        }
        r.affinitySets().forEach(b::addTimeoutSet);
        for (var map : r.endpointMaps().entrySet()) {
            b.addEndpointMap(map.getKey());
            List<RuleCompiler.Verdict> verdicts = new ArrayList<>(map.getValue().size());
            for (String pick : map.getValue()) {
                Optional<RuleCompiler.Verdict> verdict = RuleCompiler.verdict(pick);
                if (verdict.isEmpty()) {
                    return false;
                }
                verdicts.add(verdict.get());
            }
            if (!verdicts.isEmpty()) {
                b.addIndexedVerdicts(map.getKey(), verdicts);
            }
        }

        for (var chain : fixedRules.entrySet()) {
            if (!addRules(b, chain.getKey(), chain.getValue())) {
                return false;
            }
        }
        for (var chain : r.chains().entrySet()) {
            if (!addRules(b, chain.getKey(), chain.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static boolean addRules(NftBatch b, String chain, List<String> rules) {
        for (String rule : rules) {
            Optional<RuleCompiler.Rule> compiled = RuleCompiler.compile(rule);
            if (compiled.isEmpty()) {
                return false;
            }
            b.addRule(chain, compiled.get());
        }
        return true;
    }

    /** A set's elements ({@code verdicts} null) or a map's, keys as text. */
    private static boolean addElements(NftBatch b, String set, List<String> keys, Map<String, String> verdicts) {
        List<NftBatch.Element> elements = new ArrayList<>(keys.size());
        for (String key : keys) {
            Optional<byte[]> encoded = RuleCompiler.elementKey(key);
            Optional<RuleCompiler.Verdict> verdict =
                    verdicts == null ? Optional.empty() : RuleCompiler.verdict(verdicts.get(key));
            if (encoded.isEmpty() || (verdicts != null && verdict.isEmpty())) {
                return false;
            }
            elements.add(new NftBatch.Element(encoded.get(), verdict.orElse(null)));
        }
        if (!elements.isEmpty()) {
            b.addElements(set, elements);
        }
        return true;
    }
}
