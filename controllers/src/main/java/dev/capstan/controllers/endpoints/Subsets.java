package dev.capstan.controllers.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Endpoints subsets as upstream's {@code pkg/api/v1/endpoints} packs them (RepackSubsets), and the endpoints
 * controller's truncation to 1000 addresses. Upstream orders ports and subsets by an md5 of their Go dump, which
 * cannot be reproduced here; these sort them by their contents instead (ports by name, port, protocol; subsets by
 * their first address, then their ports), equally stable. Addresses are sorted by IP, then target uid, as upstream.
 */
public final class Subsets {
    /** Upstream's maxCapacity: the most addresses one Endpoints object carries. */
    public static final int MAX_CAPACITY = 1000;

    private static final Comparator<EndpointAddress> BY_IP_AND_UID =
            Comparator.comparing((EndpointAddress a) -> nonNull(a.getIp())).thenComparing(Subsets::uid);
    private static final Comparator<EndpointPort> PORT_ORDER = Comparator.comparing(
                    (EndpointPort p) -> nonNull(p.getName()))
            .thenComparing(p -> p.getPort() == null ? 0 : p.getPort())
            .thenComparing(p -> nonNull(p.getProtocol()))
            .thenComparing(p -> nonNull(p.getAppProtocol()));

    private Subsets() {}

    /**
     * RepackSubsets: every address keyed by (ip, target uid); per port, each address's readiness, not-ready winning
     * over ready; ports grouped by identical address sets into one subset each. Subsets without ports are kept.
     */
    public static List<EndpointSubset> repack(List<EndpointSubset> subsets) {
        Map<String, EndpointAddress> allAddrs = new LinkedHashMap<>();
        Map<String, EndpointPort> portsByKey = new LinkedHashMap<>();
        Map<String, Map<String, Boolean>> readyByPort = new LinkedHashMap<>();
        for (EndpointSubset subset : subsets) {
            List<EndpointPort> ports =
                    subset.getPorts().isEmpty() ? java.util.Collections.singletonList(null) : subset.getPorts();
            for (EndpointPort port : ports) {
                String portKey = port == null ? "" : portKey(port);
                if (port != null) {
                    portsByKey.putIfAbsent(portKey, port);
                }
                Map<String, Boolean> addrs = readyByPort.computeIfAbsent(portKey, k -> new TreeMap<>());
                for (EndpointAddress a : subset.getAddresses()) {
                    map(a, true, allAddrs, addrs);
                }
                for (EndpointAddress a : subset.getNotReadyAddresses()) {
                    map(a, false, allAddrs, addrs);
                }
            }
        }
        // Ports that serve the same addresses in the same readiness share a subset.
        Map<String, List<String>> portsBySet = new LinkedHashMap<>();
        Map<String, Map<String, Boolean>> sets = new LinkedHashMap<>();
        readyByPort.forEach((portKey, addrs) -> {
            String setKey = addrs.toString();
            sets.putIfAbsent(setKey, addrs);
            List<String> ports = portsBySet.computeIfAbsent(setKey, k -> new ArrayList<>());
            if (!portKey.isEmpty()) {
                ports.add(portKey);
            }
        });
        List<EndpointSubset> out = new ArrayList<>();
        portsBySet.forEach((setKey, portKeys) -> {
            EndpointSubset s = new EndpointSubset();
            List<EndpointAddress> ready = new ArrayList<>();
            List<EndpointAddress> notReady = new ArrayList<>();
            sets.get(setKey).forEach((addrKey, isReady) -> (isReady ? ready : notReady).add(allAddrs.get(addrKey)));
            s.setAddresses(ready);
            s.setNotReadyAddresses(notReady);
            List<EndpointPort> ports = new ArrayList<>();
            portKeys.forEach(k -> ports.add(portsByKey.get(k)));
            s.setPorts(ports);
            out.add(s);
        });
        return sort(out);
    }

    private static void map(
            EndpointAddress a, boolean ready, Map<String, EndpointAddress> all, Map<String, Boolean> readyByAddr) {
        String key = nonNull(a.getIp()) + "/" + uid(a);
        all.putIfAbsent(key, a);
        Boolean was = readyByAddr.get(key);
        if (was == null || was) {
            readyByAddr.put(key, ready);
        }
    }

    /** SortSubsets: addresses by IP and uid; ports and subsets as this class's comment says. */
    public static List<EndpointSubset> sort(List<EndpointSubset> subsets) {
        for (EndpointSubset s : subsets) {
            s.getAddresses().sort(BY_IP_AND_UID);
            s.getNotReadyAddresses().sort(BY_IP_AND_UID);
            s.getPorts().sort(PORT_ORDER);
        }
        subsets.sort(Comparator.comparing(Subsets::sortKey));
        return subsets;
    }

    private static String sortKey(EndpointSubset s) {
        EndpointAddress first = !s.getAddresses().isEmpty()
                ? s.getAddresses().get(0)
                : s.getNotReadyAddresses().isEmpty()
                        ? null
                        : s.getNotReadyAddresses().get(0);
        StringBuilder b = new StringBuilder();
        b.append(first == null ? "" : first.getIp() + "/" + uid(first)).append('|');
        s.getPorts().forEach(p -> b.append(portKey(p)).append(','));
        return b.toString();
    }

    private static String portKey(EndpointPort p) {
        return nonNull(p.getName()) + "/" + p.getPort() + "/" + nonNull(p.getProtocol()) + "/"
                + nonNull(p.getAppProtocol());
    }

    private static String uid(EndpointAddress a) {
        return a.getTargetRef() == null ? "" : nonNull(a.getTargetRef().getUid());
    }

    /**
     * truncateEndpoints: over {@link #MAX_CAPACITY} addresses, keeps each subset's share of the capacity (rounded
     * up, the last getting what is left), ready addresses first: when the ready ones alone exceed it, all not-ready
     * ones go. Answers whether it truncated.
     */
    public static boolean truncate(List<EndpointSubset> subsets) {
        int totalReady = 0;
        int totalNotReady = 0;
        for (EndpointSubset s : subsets) {
            totalReady += s.getAddresses().size();
            totalNotReady += s.getNotReadyAddresses().size();
        }
        if (totalReady + totalNotReady <= MAX_CAPACITY) {
            return false;
        }
        boolean truncateReady = totalReady > MAX_CAPACITY;
        int max = truncateReady ? MAX_CAPACITY : MAX_CAPACITY - totalReady;
        int numTotal = truncateReady ? totalReady : totalNotReady;
        int canBeAdded = max;
        for (EndpointSubset s : subsets) {
            int inSubset = truncateReady
                    ? s.getAddresses().size()
                    : s.getNotReadyAddresses().size();
            int toBeAdded = (int) Math.ceil(((double) inSubset / numTotal) * max);
            toBeAdded = Math.min(toBeAdded, canBeAdded);
            if (truncateReady) {
                s.setAddresses(head(s.getAddresses(), toBeAdded));
                s.setNotReadyAddresses(new ArrayList<>());
                canBeAdded -= s.getAddresses().size();
            } else {
                s.setNotReadyAddresses(head(s.getNotReadyAddresses(), toBeAdded));
                canBeAdded -= s.getNotReadyAddresses().size();
            }
        }
        return true;
    }

    private static List<EndpointAddress> head(List<EndpointAddress> list, int n) {
        return n >= list.size() ? list : new ArrayList<>(list.subList(0, Math.max(n, 0)));
    }

    /** endpointSubsetsEqualIgnoreResourceVersion: equal once the target references' resourceVersions are dropped. */
    public static boolean equalIgnoringResourceVersion(List<EndpointSubset> a, List<EndpointSubset> b) {
        return Objects.equals(normalised(a), normalised(b));
    }

    private static JsonNode normalised(List<EndpointSubset> subsets) {
        JsonNode tree = SemanticJson.normalised(subsets);
        for (JsonNode subset : tree) {
            for (String field : List.of("addresses", "notReadyAddresses")) {
                for (JsonNode address : subset.path(field)) {
                    if (address.get("targetRef") instanceof ObjectNode ref) {
                        ref.remove("resourceVersion");
                    }
                }
            }
        }
        return tree;
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
