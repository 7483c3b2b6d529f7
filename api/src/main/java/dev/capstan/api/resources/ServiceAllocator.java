package dev.capstan.api.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.ApiException;
import dev.capstan.api.Json;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.validation.Cause;
import dev.capstan.store.KeyExistsException;
import dev.capstan.store.Store;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Allocates Service cluster IPs and NodePorts. Each allocation is a key created in the store only if absent,
 * so two creates, in one process or in two API servers, can never get the same IP or port.
 */
public final class ServiceAllocator {
    private static final String IPS = "/registry/ranges/serviceips/";
    private static final String PORTS = "/registry/ranges/servicenodeports/";

    private final Store store;
    private final ResourceType services;
    private final long firstIp;
    private final int ipCount;
    private final int minPort;
    private final int maxPort;

    public ServiceAllocator(Store store, ResourceType services, String cidr, String nodePortRange) {
        this.store = store;
        this.services = services;
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

    void allocate(ObjectNode service, boolean dryRun) {
        ObjectNode spec = service.withObjectProperty("spec");
        String type = spec.path("type").asText("ClusterIP");
        String owner = ownerOf(service);
        List<String> claimed = new ArrayList<>();
        try {
            if (!type.equals("ExternalName")) {
                String requested = spec.path("clusterIP").asText("");
                if (!requested.equals("None")) {
                    String ip = requested.isEmpty() ? claimFreeIp(owner, dryRun) : claimIp(requested, owner, dryRun);
                    claimed.add(IPS + ip);
                    spec.put("clusterIP", ip);
                }
                ArrayNode ips = spec.putArray("clusterIPs");
                ips.add(spec.get("clusterIP").asText());
            }
            if (type.equals("NodePort") || type.equals("LoadBalancer")) {
                for (JsonNode port : spec.path("ports")) {
                    ObjectNode p = (ObjectNode) port;
                    int requested = p.path("nodePort").asInt(0);
                    int nodePort = requested == 0 ? claimFreePort(owner, dryRun) : claimPort(requested, owner, dryRun);
                    claimed.add(PORTS + nodePort);
                    p.put("nodePort", nodePort);
                }
            }
        } catch (RuntimeException e) {
            if (!dryRun) {
                claimed.forEach(this::releaseKey);
            }
            throw e;
        }
    }

    /** On update, a Service keeps its cluster IP and the node ports of ports that did not name one. */
    void keepAllocations(ObjectNode current, ObjectNode next) {
        ObjectNode spec = next.withObjectProperty("spec");
        JsonNode oldSpec = current.path("spec");
        String oldIp = oldSpec.path("clusterIP").asText("");
        String newIp = spec.path("clusterIP").asText("");
        if (newIp.isEmpty()) {
            spec.put("clusterIP", oldIp);
            spec.set("clusterIPs", oldSpec.path("clusterIPs").deepCopy());
        } else if (!newIp.equals(oldIp)) {
            throw invalid(ObjectMeta.name(next), "spec.clusterIPs[0]", newIp, "field is immutable");
        }
        int i = 0;
        for (JsonNode port : spec.path("ports")) {
            JsonNode old = oldSpec.path("ports").path(i++);
            if (port.path("nodePort").asInt(0) == 0 && old.path("nodePort").asInt(0) != 0) {
                ((ObjectNode) port).put("nodePort", old.get("nodePort").asInt());
            }
        }
    }

    void release(ObjectNode service) {
        JsonNode spec = service.path("spec");
        String ip = spec.path("clusterIP").asText("");
        if (!ip.isEmpty() && !ip.equals("None")) {
            releaseKey(IPS + ip);
        }
        for (JsonNode port : spec.path("ports")) {
            if (port.path("nodePort").asInt(0) != 0) {
                releaseKey(PORTS + port.get("nodePort").asInt());
            }
        }
    }

    private String claimFreeIp(String owner, boolean dryRun) {
        int start = ThreadLocalRandom.current().nextInt(ipCount);
        for (int i = 0; i < ipCount; i++) {
            String ip = longToIp(firstIp + (start + i) % ipCount);
            if (tryClaim(IPS + ip, owner, dryRun)) {
                return ip;
            }
        }
        throw ApiException.unavailable("no cluster IP is free in the service range");
    }

    private String claimIp(String ip, String owner, boolean dryRun) {
        if (!tryClaim(IPS + ip, owner, dryRun)) {
            throw invalid(
                    owner, "spec.clusterIPs", ip, "failed to allocate IP " + ip + ": provided IP is already allocated");
        }
        return ip;
    }

    private int claimFreePort(String owner, boolean dryRun) {
        int count = maxPort - minPort + 1;
        int start = ThreadLocalRandom.current().nextInt(count);
        for (int i = 0; i < count; i++) {
            int port = minPort + (start + i) % count;
            if (tryClaim(PORTS + port, owner, dryRun)) {
                return port;
            }
        }
        throw ApiException.unavailable("no node port is free in the range " + minPort + "-" + maxPort);
    }

    private int claimPort(int port, String owner, boolean dryRun) {
        if (port < minPort || port > maxPort) {
            throw invalid(
                    owner,
                    "spec.ports[0].nodePort",
                    Integer.toString(port),
                    "provided port is not in the valid range. The range of valid ports is " + minPort + "-" + maxPort);
        }
        if (!tryClaim(PORTS + port, owner, dryRun)) {
            throw invalid(
                    owner, "spec.ports[0].nodePort", Integer.toString(port), "provided port is already allocated");
        }
        return port;
    }

    private boolean tryClaim(String key, String owner, boolean dryRun) {
        if (dryRun) {
            return store.get(key).isEmpty();
        }
        try {
            store.create(key, owner.getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (KeyExistsException e) {
            return false;
        }
    }

    private void releaseKey(String key) {
        store.get(key).ifPresent(kv -> {
            try {
                store.delete(key, kv.modRevision());
            } catch (RuntimeException e) {
                // Someone else released or re-claimed it meanwhile; nothing of ours is left to free.
            }
        });
    }

    private ApiException invalid(String owner, String field, String value, String message) {
        String name = owner.substring(owner.indexOf('/') + 1);
        return ApiException.invalid(
                services,
                name,
                List.of(new Cause("FieldValueInvalid", "Invalid value: \"" + value + "\": " + message, field)));
    }

    private static String ownerOf(ObjectNode service) {
        ObjectNode meta = Json.metadata(service);
        return meta.path("namespace").asText() + "/" + meta.path("name").asText();
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
