package dev.capstan.api.registry.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.ApiException;
import dev.capstan.api.storage.RangeClaims;
import dev.capstan.api.validation.Cause;
import dev.capstan.model.meta.ObjectKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Allocates Service cluster IPs and NodePorts. Each allocation is a key under {@code /registry/ranges/} created in
 * the store only if absent, whose value names the owning Service, so two creates, in one process or in two API
 * servers, never get the same IP or port. A dry run only looks: it claims nothing. {@link AllocationRepair} frees
 * what no Service uses any more.
 */
public final class ServiceAllocator {
    static final String IPS = "/registry/ranges/serviceips/";
    static final String PORTS = "/registry/ranges/servicenodeports/";

    private final RangeClaims ranges;
    private final java.time.Clock clock;
    private final long firstIp;
    private final int ipCount;
    private final int minPort;
    private final int maxPort;

    public ServiceAllocator(RangeClaims ranges, String cidr, String nodePortRange, java.time.Clock clock) {
        this.ranges = ranges;
        this.clock = clock;
        String[] parts = cidr.split("/");
        int prefix = Integer.parseInt(parts[1]);
        if (prefix < 8 || prefix > 30) {
            throw new IllegalArgumentException("capstan.api.service-cidr " + cidr + " must be an IPv4 /8 to /30");
        }
        long network = ipToLong(parts[0]) & (0xFFFFFFFFL << (32 - prefix));
        // The network address and the first address (the API's own Service) are not handed out at random.
        this.firstIp = network + 2;
        this.ipCount = (int) ((1L << (32 - prefix)) - 3);
        String[] range = nodePortRange.split("-");
        this.minPort = Integer.parseInt(range[0].trim());
        this.maxPort = Integer.parseInt(range[1].trim());
    }

    public int minPort() {
        return minPort;
    }

    public int maxPort() {
        return maxPort;
    }

    /** What one write claimed: released again if the write fails. */
    final class Claims {
        private final List<String> keys = new ArrayList<>();
        private final boolean dryRun;

        Claims(boolean dryRun) {
            this.dryRun = dryRun;
        }

        void releaseAll() {
            if (!dryRun) {
                keys.forEach(ServiceAllocator.this::releaseKey);
            }
        }
    }

    /** Claims the new Service's cluster IP (requested or free) and node ports, setting them in its spec. */
    Claims allocate(ObjectNode service, boolean dryRun) {
        Claims claims = new Claims(dryRun);
        try {
            ObjectNode spec = service.withObjectProperty("spec");
            String owner = ownerOf(service);
            if (!spec.path("type").asText("ClusterIP").equals("ExternalName")) {
                String requested = spec.path("clusterIP").asText("");
                if (!requested.equals("None")) {
                    String ip = requested.isEmpty() ? claimFreeIp(owner, claims) : claimIp(requested, owner, claims);
                    spec.put("clusterIP", ip);
                }
                ArrayNode ips = spec.putArray("clusterIPs");
                ips.add(spec.get("clusterIP").asText());
            }
            allocateNodePorts(spec, null, owner, claims);
            return claims;
        } catch (RuntimeException e) {
            claims.releaseAll();
            throw e;
        }
    }

    /**
     * An update keeps the cluster IP and the node ports of ports that name none; it claims the node ports a port
     * now needs, and (once stored) frees those no port uses any more. Answers what to do when the write succeeds or
     * fails.
     */
    UpdateClaims update(ObjectNode service, ObjectNode old, boolean dryRun) {
        Claims claims = new Claims(dryRun);
        try {
            ObjectNode spec = service.withObjectProperty("spec");
            JsonNode oldSpec = old.path("spec");
            String oldIp = oldSpec.path("clusterIP").asText("");
            String newIp = spec.path("clusterIP").asText("");
            boolean externalName = spec.path("type").asText("").equals("ExternalName")
                    || oldSpec.path("type").asText("").equals("ExternalName");
            if (newIp.isEmpty() && !oldIp.isEmpty() && !externalName) {
                spec.set("clusterIP", oldSpec.get("clusterIP").deepCopy());
                spec.set("clusterIPs", oldSpec.path("clusterIPs").deepCopy());
            } else if (!newIp.isEmpty() && !oldIp.isEmpty() && !newIp.equals(oldIp) && !externalName) {
                // Upstream's validateUpgradeDowngradeClusterIPs: the primary cluster IP never changes.
                throw invalid(
                        ownerOf(service),
                        "spec.clusterIPs[0]",
                        "[]string{\"" + newIp + "\"}",
                        "may not change once set");
            }
            allocateNodePorts(spec, oldSpec, ownerOf(service), claims);
            Set<Integer> kept = nodePorts(spec);
            List<String> freed = new ArrayList<>();
            for (int port : nodePorts(oldSpec)) {
                if (!kept.contains(port)) {
                    freed.add(PORTS + port);
                }
            }
            if (!oldIp.isEmpty()
                    && !oldIp.equals("None")
                    && !oldIp.equals(spec.path("clusterIP").asText(""))) {
                freed.add(IPS + oldIp);
            }
            return new UpdateClaims(claims, dryRun ? List.of() : freed);
        } catch (RuntimeException e) {
            claims.releaseAll();
            throw e;
        }
    }

    /** The claims of an update and the allocations its success frees. */
    record UpdateClaims(Claims claims, List<String> freedOnSuccess) {}

    void releaseKeys(List<String> keys) {
        keys.forEach(this::releaseKey);
    }

    /**
     * Ports of NodePort and LoadBalancer Services get a node port: the one asked for, the one the same port had
     * before, or a free one. Other types have none.
     */
    private void allocateNodePorts(ObjectNode spec, JsonNode oldSpec, String owner, Claims claims) {
        String type = spec.path("type").asText("ClusterIP");
        boolean needsPorts = type.equals("NodePort")
                || (type.equals("LoadBalancer")
                        && spec.path("allocateLoadBalancerNodePorts").asBoolean(true));
        Set<Integer> old = oldSpec == null ? Set.of() : nodePorts(oldSpec);
        Set<Integer> taken = new HashSet<>();
        for (JsonNode port : spec.path("ports")) {
            ObjectNode p = (ObjectNode) port;
            if (!needsPorts && !type.equals("LoadBalancer")) {
                p.remove("nodePort");
                continue;
            }
            int requested = p.path("nodePort").asInt(0);
            if (requested == 0 && oldSpec != null) {
                requested = previousNodePort(oldSpec, p);
            }
            if (requested == 0 && !needsPorts) {
                continue;
            }
            int nodePort;
            if (requested != 0 && (old.contains(requested) || taken.contains(requested))) {
                nodePort = requested; // already ours
            } else if (requested != 0) {
                nodePort = claimPort(requested, owner, claims);
            } else {
                nodePort = claimFreePort(owner, claims);
            }
            taken.add(nodePort);
            p.put("nodePort", nodePort);
        }
    }

    /** The node port the same service port (by port number and protocol) had before the update, or 0. */
    private static int previousNodePort(JsonNode oldSpec, JsonNode port) {
        for (JsonNode old : oldSpec.path("ports")) {
            if (old.path("port").asInt() == port.path("port").asInt()
                    && old.path("protocol")
                            .asText("TCP")
                            .equals(port.path("protocol").asText("TCP"))) {
                return old.path("nodePort").asInt(0);
            }
        }
        return 0;
    }

    /** Frees what a deleted Service held. */
    void release(ObjectNode service) {
        JsonNode spec = service.path("spec");
        String ip = spec.path("clusterIP").asText("");
        if (!ip.isEmpty() && !ip.equals("None")) {
            releaseKey(IPS + ip);
        }
        for (int port : nodePorts(spec)) {
            releaseKey(PORTS + port);
        }
    }

    static Set<Integer> nodePorts(JsonNode spec) {
        Set<Integer> ports = new HashSet<>();
        for (JsonNode port : spec.path("ports")) {
            if (port.path("nodePort").asInt(0) != 0) {
                ports.add(port.get("nodePort").asInt());
            }
        }
        return ports;
    }

    private String claimFreeIp(String owner, Claims claims) {
        int start = ThreadLocalRandom.current().nextInt(ipCount);
        for (int i = 0; i < ipCount; i++) {
            String ip = longToIp(firstIp + (start + i) % ipCount);
            if (tryClaim(IPS + ip, owner, claims)) {
                return ip;
            }
        }
        throw ApiException.unavailable("no cluster IP is free in the service range");
    }

    private String claimIp(String ip, String owner, Claims claims) {
        if (!tryClaim(IPS + ip, owner, claims)) {
            throw invalid(
                    owner,
                    "spec.clusterIPs",
                    quoted(ip),
                    "failed to allocate IP " + ip + ": provided IP is already allocated");
        }
        return ip;
    }

    private int claimFreePort(String owner, Claims claims) {
        int count = maxPort - minPort + 1;
        int start = ThreadLocalRandom.current().nextInt(count);
        for (int i = 0; i < count; i++) {
            int port = minPort + (start + i) % count;
            if (tryClaim(PORTS + port, owner, claims)) {
                return port;
            }
        }
        throw ApiException.unavailable("no node port is free in the range " + minPort + "-" + maxPort);
    }

    private int claimPort(int port, String owner, Claims claims) {
        if (port < minPort || port > maxPort) {
            throw invalid(
                    owner,
                    "spec.ports[0].nodePort",
                    quoted(Integer.toString(port)),
                    "provided port is not in the valid range. The range of valid ports is " + minPort + "-" + maxPort);
        }
        if (!tryClaim(PORTS + port, owner, claims)) {
            throw invalid(
                    owner,
                    "spec.ports[0].nodePort",
                    quoted(Integer.toString(port)),
                    "provided port is already allocated");
        }
        return port;
    }

    private boolean tryClaim(String key, String owner, Claims claims) {
        if (claims.dryRun) {
            return ranges.isFree(key);
        }
        if (ranges.claim(key, Claim.encode(owner, clock.instant()))) {
            claims.keys.add(key);
            return true;
        }
        return false;
    }

    void releaseKey(String key) {
        ranges.release(key);
    }

    private static ApiException invalid(String owner, String field, String value, String message) {
        String name = owner.substring(owner.indexOf('/') + 1);
        return ApiException.invalidKind(
                "",
                "Service",
                name,
                List.of(new Cause("FieldValueInvalid", "Invalid value: " + value + ": " + message, field)));
    }

    private static String quoted(String value) {
        return "\"" + value + "\"";
    }

    static String ownerOf(JsonNode service) {
        return ObjectKey.of(service).toString();
    }

    static long ipToLong(String ip) {
        String[] octets = ip.split("\\.");
        long value = 0;
        for (String octet : octets) {
            value = (value << 8) | Integer.parseInt(octet);
        }
        return value;
    }

    static String longToIp(long value) {
        return ((value >> 24) & 0xFF) + "." + ((value >> 16) & 0xFF) + "." + ((value >> 8) & 0xFF) + "."
                + (value & 0xFF);
    }
}
