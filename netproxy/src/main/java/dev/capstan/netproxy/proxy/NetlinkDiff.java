package dev.capstan.netproxy.proxy;

import dev.capstan.netproxy.proxy.ProxyRenderer.ServicePart;
import dev.capstan.netproxy.proxy.netlink.NftBatch;
import dev.capstan.netproxy.proxy.netlink.RuleCompiler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The netlink form of {@link NftScripts#diff} for the common changes: endpoints coming and going (also the last one
 * going and the first one coming), and Services added or removed. The same commands in the same order (new chains,
 * flushed chains, endpoint maps, rules, the VIP and NodePort maps' elements, the ClusterIPs, then what went), sent
 * without nft. Empty when the change reaches further (a session affinity set added, removed or retimed, a rule outside
 * {@link RuleCompiler}'s forms, a map key that another Service claims too), or when nothing changed: nft applies those.
 */
final class NetlinkDiff {
    private static final String CLUSTER_IPS = Ruleset.CLUSTER_IPS;

    /** What one Service's (or one ruleset's) change takes, compiled. */
    private record Plan(
            List<String> added,
            List<String> rewritten,
            Set<String> newMaps,
            Map<String, List<RuleCompiler.Verdict>> maps,
            Map<String, List<RuleCompiler.Rule>> rules,
            Map<String, ElementChanges> elements,
            List<String> gone,
            List<String> mapsGone,
            /* map or set name to the keys (as text) this plan adds, removes or changes */
            Map<String, Set<String>> touchedKeys) {
        boolean isEmpty() {
            return added.isEmpty()
                    && rewritten.isEmpty()
                    && maps.isEmpty()
                    && elements.isEmpty()
                    && gone.isEmpty()
                    && mapsGone.isEmpty();
        }

        void writeTo(NftBatch b) {
            added.forEach(b::addChain);
            rewritten.forEach(b::flushChain);
            maps.forEach((map, verdicts) -> {
                if (newMaps.contains(map)) {
                    b.addEndpointMap(map);
                } else {
                    b.flushSet(map);
                }
                if (!verdicts.isEmpty()) {
                    b.addIndexedVerdicts(map, verdicts);
                }
            });
            rules.forEach((chain, list) -> list.forEach(rule -> b.addRule(chain, rule)));
            // per map, in nft's diff order: the elements that went or changed, then the new ones
            elements.forEach((name, changes) -> {
                if (!changes.gone().isEmpty()) {
                    b.deleteElements(name, changes.gone());
                }
                if (!changes.added().isEmpty()) {
                    b.addElements(name, changes.added());
                }
            });
            gone.forEach(b::flushChain);
            mapsGone.forEach(b::deleteSet);
            gone.forEach(b::deleteChain);
        }
    }

    /** One map's or set's element changes: keys that went (or whose verdict changed), then elements to add. */
    private record ElementChanges(List<byte[]> gone, List<NftBatch.Element> added) {}

    private NetlinkDiff() {}

    /** From one whole ruleset to another. */
    static Optional<NftBatch> batch(Ruleset old, Ruleset r, String table) {
        return plan(old, r).filter(p -> !p.isEmpty()).flatMap(p -> write(List.of(p), table));
    }

    /**
     * From one render's parts to the next's, looking only at the Services whose part is not the same object (or that
     * came or went): the cost follows the change, not the table. A map key or ClusterIP that a changed Service shares
     * with another Service leaves the change to nft: the merged table keeps the first Service's element, which one
     * Service's own diff cannot tell.
     */
    static Optional<NftBatch> batch(Map<String, ServicePart> old, Map<String, ServicePart> next, String table) {
        List<Plan> plans = new ArrayList<>();
        Map<String, Plan> byService = new HashMap<>();
        Set<String> services = new LinkedHashSet<>(next.keySet());
        services.addAll(old.keySet());
        for (String service : services) {
            ServicePart before = old.get(service);
            ServicePart after = next.get(service);
            if (before == after) {
                continue;
            }
            Optional<Plan> plan = plan(
                    before == null ? Ruleset.empty() : before.rules(), after == null ? Ruleset.empty() : after.rules());
            if (plan.isEmpty()) {
                return Optional.empty();
            }
            if (!plan.get().isEmpty()) {
                plans.add(plan.get());
                byService.put(service, plan.get());
            }
        }
        if (sharesAKey(byService, old) || sharesAKey(byService, next)) {
            return Optional.empty();
        }
        return write(plans, table);
    }

    /** Whether a key one of the plans touches is also in another Service's part. */
    private static boolean sharesAKey(Map<String, Plan> byService, Map<String, ServicePart> parts) {
        if (byService.values().stream().allMatch(p -> p.touchedKeys().isEmpty())) {
            return false;
        }
        for (var part : parts.entrySet()) {
            Ruleset rules = part.getValue().rules();
            for (var plan : byService.entrySet()) {
                if (plan.getKey().equals(part.getKey())) {
                    continue;
                }
                for (var touched : plan.getValue().touchedKeys().entrySet()) {
                    Set<String> claimed = touched.getKey().equals(CLUSTER_IPS)
                            ? rules.clusterIps()
                            : rules.maps().get(touched.getKey()).keySet();
                    if (!claimed.isEmpty() && touched.getValue().stream().anyMatch(claimed::contains)) {
                        return true;
                    }
                }
            }
        }
        return false;
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
        if (!old.affinitySets().equals(r.affinitySets())) {
            return Optional.empty();
        }
        List<String> added = new ArrayList<>();
        List<String> rewritten = new ArrayList<>();
        Map<String, List<RuleCompiler.Rule>> rules = new LinkedHashMap<>();
        for (var chain : r.chains().entrySet()) {
            List<String> before = old.chains().get(chain.getKey());
            if (chain.getValue().equals(before)) {
                continue;
            }
            (before == null ? added : rewritten).add(chain.getKey());
            List<RuleCompiler.Rule> compiled = new ArrayList<>();
            for (String rule : chain.getValue()) {
                Optional<RuleCompiler.Rule> expressions = RuleCompiler.compile(rule);
                if (expressions.isEmpty()) {
                    return Optional.empty();
                }
                compiled.add(expressions.get());
            }
            rules.put(chain.getKey(), compiled);
        }
        Set<String> newMaps = new HashSet<>();
        Map<String, List<RuleCompiler.Verdict>> maps = new LinkedHashMap<>();
        for (var map : r.endpointMaps().entrySet()) {
            List<String> before = old.endpointMaps().get(map.getKey());
            if (Objects.equals(map.getValue(), before)) {
                continue;
            }
            if (before == null) {
                newMaps.add(map.getKey());
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
        Map<String, ElementChanges> elements = new LinkedHashMap<>();
        Map<String, Set<String>> touched = new LinkedHashMap<>();
        for (var map : r.maps().entrySet()) {
            if (!elementChanges(map.getKey(), old.maps().get(map.getKey()), map.getValue(), elements, touched)) {
                return Optional.empty();
            }
        }
        if (!elementChanges(CLUSTER_IPS, asSetMap(old.clusterIps()), asSetMap(r.clusterIps()), elements, touched)) {
            return Optional.empty();
        }
        List<String> gone = old.chains().keySet().stream()
                .filter(chain -> !r.chains().containsKey(chain))
                .toList();
        List<String> mapsGone = old.endpointMaps().keySet().stream()
                .filter(map -> !r.endpointMaps().containsKey(map))
                .toList();
        return Optional.of(new Plan(added, rewritten, newMaps, maps, rules, elements, gone, mapsGone, touched));
    }

    /**
     * One map's (or set's, whose verdicts are null) element changes: a key whose verdict changed is deleted and added
     * again, as nft's diff does. False when a key or verdict is outside what netlink here encodes.
     */
    private static boolean elementChanges(
            String name,
            Map<String, String> before,
            Map<String, String> after,
            Map<String, ElementChanges> elements,
            Map<String, Set<String>> touched) {
        if (before.equals(after)) {
            return true;
        }
        var changes = new ElementChanges(new ArrayList<>(), new ArrayList<>());
        Set<String> keys = new HashSet<>();
        for (var e : before.entrySet()) {
            if (!after.containsKey(e.getKey()) || !Objects.equals(e.getValue(), after.get(e.getKey()))) {
                Optional<byte[]> key = RuleCompiler.elementKey(e.getKey());
                if (key.isEmpty()) {
                    return false;
                }
                changes.gone().add(key.get());
                keys.add(e.getKey());
            }
        }
        for (var e : after.entrySet()) {
            if (!before.containsKey(e.getKey()) || !Objects.equals(e.getValue(), before.get(e.getKey()))) {
                Optional<byte[]> key = RuleCompiler.elementKey(e.getKey());
                Optional<RuleCompiler.Verdict> verdict =
                        e.getValue() == null ? Optional.empty() : RuleCompiler.verdict(e.getValue());
                if (key.isEmpty() || (e.getValue() != null && verdict.isEmpty())) {
                    return false;
                }
                changes.added().add(new NftBatch.Element(key.get(), verdict.orElse(null)));
                keys.add(e.getKey());
            }
        }
        elements.put(name, changes);
        touched.put(name, keys);
        return true;
    }

    /** A set's elements as map keys without verdicts. */
    private static Map<String, String> asSetMap(Set<String> elements) {
        Map<String, String> out = new LinkedHashMap<>();
        elements.forEach(e -> out.put(e, null));
        return out;
    }
}
