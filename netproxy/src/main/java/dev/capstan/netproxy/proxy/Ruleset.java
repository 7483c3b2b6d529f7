package dev.capstan.netproxy.proxy;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The part of the table that depends on Services and endpoints, sorted so that its text is deterministic and two
 * rulesets can be diffed: the cluster-ips set, the four verdict maps (key text to verdict text), the per-endpoint
 * affinity sets (name to timeout in seconds), the per-service chains (name to rules, in order) and the endpoint map of
 * each service or local chain (name to the verdicts its {@code numgen} picks from, by index). The fixed part (base
 * chains, helpers) is {@link NftScripts}'s.
 */
record Ruleset(
        SortedSet<String> clusterIps,
        SortedMap<String, SortedMap<String, String>> maps,
        SortedMap<String, Integer> affinitySets,
        SortedMap<String, List<String>> chains,
        SortedMap<String, List<String>> endpointMaps) {
    static final String CLUSTER_IPS = "cluster-ips";
    static final String SERVICE_IPS = "service-ips";
    static final String SERVICE_NODEPORTS = "service-nodeports";
    static final String NO_ENDPOINT_SERVICES = "no-endpoint-services";
    static final String NO_ENDPOINT_NODEPORTS = "no-endpoint-nodeports";

    /** The maps keyed by IP . protocol . port; the others are keyed by protocol . port. */
    static final List<String> IP_MAPS = List.of(NO_ENDPOINT_SERVICES, SERVICE_IPS);

    static final List<String> PORT_MAPS = List.of(NO_ENDPOINT_NODEPORTS, SERVICE_NODEPORTS);

    static Ruleset empty() {
        SortedMap<String, SortedMap<String, String>> maps = new TreeMap<>();
        for (String name : IP_MAPS) {
            maps.put(name, new TreeMap<>());
        }
        for (String name : PORT_MAPS) {
            maps.put(name, new TreeMap<>());
        }
        return new Ruleset(new TreeSet<>(), maps, new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
    }

    /** Adds a map element unless the key is taken (two Services claiming one address and port: the first wins). */
    boolean putElement(String map, String key, String verdict) {
        return maps.get(map).putIfAbsent(key, verdict) == null;
    }

    /**
     * Adds another part of the table: its map elements unless their keys are taken (so that adding Services' parts
     * in order gives what rendering them in that order into one ruleset gives), everything else as it is.
     */
    void add(Ruleset part) {
        clusterIps.addAll(part.clusterIps);
        part.maps.forEach((name, elements) -> elements.forEach((key, verdict) -> putElement(name, key, verdict)));
        affinitySets.putAll(part.affinitySets);
        chains.putAll(part.chains);
        endpointMaps.putAll(part.endpointMaps);
    }

    SortedMap<String, String> map(String name) {
        return Collections.unmodifiableSortedMap(maps.get(name));
    }

    int endpointChainCount() {
        return (int)
                chains.keySet().stream().filter(c -> c.startsWith("endpoint-")).count();
    }
}
