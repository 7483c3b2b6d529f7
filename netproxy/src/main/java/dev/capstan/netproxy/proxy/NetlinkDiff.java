package dev.capstan.netproxy.proxy;

import dev.capstan.netproxy.proxy.ProxyRenderer.ServicePart;
import dev.capstan.netproxy.proxy.netlink.NftBatch;
import dev.capstan.netproxy.proxy.netlink.NftExpr;
import dev.capstan.netproxy.proxy.netlink.RuleCompiler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The netlink form of {@link NftScripts#diff} for the common small change, endpoints coming and going: the same
 * commands in the same order (new chains, flushed chains, rewritten endpoint maps, rules, then the chains that went),
 * sent without nft. Empty when the change reaches further (a Service, VIP, NodePort, affinity set or endpoint map added
 * or removed, or a rule outside {@link RuleCompiler}'s forms), or when nothing changed: nft applies those.
 */
final class NetlinkDiff {
    /** What one Service's (or one ruleset's) change takes, compiled. */
    private record Plan(
            List<String> added,
            List<String> rewritten,
            Map<String, List<List<NftExpr>>> rules,
            Map<String, List<RuleCompiler.Verdict>> maps,
            List<String> gone) {
        boolean isEmpty() {
            return added.isEmpty() && rewritten.isEmpty() && maps.isEmpty() && gone.isEmpty();
        }

        void writeTo(NftBatch b) {
            added.forEach(b::addChain);
            rewritten.forEach(b::flushChain);
            maps.forEach((map, verdicts) -> {
                b.flushSet(map);
                if (!verdicts.isEmpty()) {
                    b.addIndexedVerdicts(map, verdicts);
                }
            });
            rules.forEach((chain, list) -> list.forEach(expressions -> b.addRule(chain, expressions)));
            gone.forEach(b::flushChain);
            gone.forEach(b::deleteChain);
        }
    }

    private NetlinkDiff() {}

    /** From one whole ruleset to another. */
    static Optional<NftBatch> batch(Ruleset old, Ruleset r, String table) {
        return plan(old, r).filter(p -> !p.isEmpty()).flatMap(p -> write(List.of(p), table));
    }

    /**
     * From one render's parts to the next's, looking only at the Services whose part is not the same object: the
     * cost follows the change, not the table. Every Service must be in both.
     */
    static Optional<NftBatch> batch(Map<String, ServicePart> old, Map<String, ServicePart> next, String table) {
        if (!old.keySet().equals(next.keySet())) {
            return Optional.empty(); // a Service came or went: VIPs change
        }
        List<Plan> plans = new ArrayList<>();
        for (var part : next.entrySet()) {
            ServicePart before = old.get(part.getKey());
            if (before == part.getValue()) {
                continue;
            }
            Optional<Plan> plan = plan(before.rules(), part.getValue().rules());
            if (plan.isEmpty()) {
                return Optional.empty();
            }
            if (!plan.get().isEmpty()) {
                plans.add(plan.get());
            }
        }
        return write(plans, table);
    }

    private static Optional<NftBatch> write(List<Plan> plans, String table) {
        if (plans.isEmpty()) {
            return Optional.empty(); // nothing to do: no batch at all
        }
        NftBatch b = new NftBatch(table);
        plans.forEach(p -> p.writeTo(b));
        return b.size() <= NftBatch.MAX_BYTES ? Optional.of(b) : Optional.empty();
    }

    private static Optional<Plan> plan(Ruleset old, Ruleset r) {
        if (!old.clusterIps().equals(r.clusterIps())
                || !old.maps().equals(r.maps())
                || !old.affinitySets().equals(r.affinitySets())
                || !old.endpointMaps().keySet().equals(r.endpointMaps().keySet())) {
            return Optional.empty();
        }
        List<String> added = new ArrayList<>();
        List<String> rewritten = new ArrayList<>();
        Map<String, List<List<NftExpr>>> rules = new LinkedHashMap<>();
        for (var chain : r.chains().entrySet()) {
            List<String> before = old.chains().get(chain.getKey());
            if (chain.getValue().equals(before)) {
                continue;
            }
            (before == null ? added : rewritten).add(chain.getKey());
            List<List<NftExpr>> compiled = new ArrayList<>();
            for (String rule : chain.getValue()) {
                Optional<List<NftExpr>> expressions = RuleCompiler.compile(rule);
                if (expressions.isEmpty()) {
                    return Optional.empty();
                }
                compiled.add(expressions.get());
            }
            rules.put(chain.getKey(), compiled);
        }
        Map<String, List<RuleCompiler.Verdict>> maps = new LinkedHashMap<>();
        for (var map : r.endpointMaps().entrySet()) {
            if (Objects.equals(map.getValue(), old.endpointMaps().get(map.getKey()))) {
                continue;
            }
            List<RuleCompiler.Verdict> verdicts = new ArrayList<>();
            for (String pick : map.getValue()) {
                Optional<RuleCompiler.Verdict> verdict = RuleCompiler.verdict(pick);
                if (verdict.isEmpty()) {
                    return Optional.empty();
                }
                verdicts.add(verdict.get());
            }
            maps.put(map.getKey(), verdicts);
        }
        List<String> gone = old.chains().keySet().stream()
                .filter(chain -> !r.chains().containsKey(chain))
                .toList();
        return Optional.of(new Plan(added, rewritten, rules, maps, gone));
    }
}
