package dev.capstan.api.registry.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.api.Json;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.storage.ObjectStorage;
import dev.capstan.api.storage.RangeClaims;
import dev.capstan.store.KeyValue;
import dev.capstan.store.ListResult;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Upstream's cluster IP and node port repair loops: compares what the Services use with what is claimed, read at
 * one revision. A claim no Service uses is a leak (a create that failed half-way, an API server that died between
 * claiming and storing) and is freed once it is older than any create takes; an address a Service uses without a
 * claim is claimed for it. Runs at start, before the API serves, and then periodically.
 */
public final class AllocationRepair {
    private static final Logger LOG = Logger.getLogger(AllocationRepair.class);
    /** A claim younger than this may belong to a create still under way. */
    static final Duration GRACE = Duration.ofMinutes(1);

    private final ObjectStorage storage;
    private final RangeClaims ranges;
    private final ResourceType services;
    private final Clock clock;

    public AllocationRepair(ObjectStorage storage, RangeClaims ranges, ResourceType services, Clock clock) {
        this.storage = storage;
        this.ranges = ranges;
        this.services = services;
        this.clock = clock;
    }

    /** What one pass did. */
    public record Result(int freed, int claimed, int conflicts) {}

    public Result runOnce() {
        ListResult all = storage.list(services, null, 0, 0, "");
        Map<String, String> used = new HashMap<>();
        for (KeyValue kv : all.items()) {
            JsonNode svc = Json.readStored(kv.value());
            String owner = ServiceAllocator.ownerOf(svc);
            String ip = svc.path("spec").path("clusterIP").asText("");
            if (!ip.isEmpty() && !ip.equals("None")) {
                used.put(ServiceAllocator.IPS + ip, owner);
            }
            for (int port : ServiceAllocator.nodePorts(svc.path("spec"))) {
                used.put(ServiceAllocator.PORTS + port, owner);
            }
        }
        int freed = 0;
        int conflicts = 0;
        Map<String, RangeClaims.Claimed> claimed = new HashMap<>();
        for (String prefix : List.of(ServiceAllocator.IPS, ServiceAllocator.PORTS)) {
            for (RangeClaims.Claimed claim : ranges.list(prefix, all.revision())) {
                claimed.put(claim.key(), claim);
            }
        }
        for (RangeClaims.Claimed claim : claimed.values()) {
            Claim holder = Claim.decode(claim.value());
            String user = used.get(claim.key());
            if (user == null && holder.claimedAt().plus(GRACE).isBefore(clock.instant())) {
                if (ranges.release(claim)) {
                    freed++;
                    LOG.infof("freed %s: no Service uses it (claimed by %s)", claim.key(), holder.owner());
                }
            } else if (user != null && !user.equals(holder.owner())) {
                conflicts++;
                LOG.warnf("%s is used by Service %s but claimed by %s", claim.key(), user, holder.owner());
            }
        }
        int added = 0;
        for (Map.Entry<String, String> use : used.entrySet()) {
            if (claimed.containsKey(use.getKey())) {
                continue;
            }
            if (ranges.claim(use.getKey(), Claim.encode(use.getValue(), clock.instant()))) {
                added++;
            } else {
                conflicts++;
                LOG.warnf(
                        "%s is used by Service %s and was claimed meanwhile by another", use.getKey(), use.getValue());
            }
        }
        return new Result(freed, added, conflicts);
    }
}
