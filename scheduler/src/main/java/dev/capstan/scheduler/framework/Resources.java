package dev.capstan.scheduler.framework;

import dev.capstan.model.quantity.Quantity;
import java.util.HashMap;
import java.util.Map;

/**
 * Upstream's framework.Resource: cpu in millicores, memory and ephemeral storage in bytes, the pod count and the
 * scalar (extended, hugepages) resources, all as longs. Quantities are converted once, when a PodInfo or NodeInfo is
 * built, so the filter and score loops compare longs only. Mutable; owners copy before sharing.
 */
public final class Resources {
    public static final String CPU = "cpu";
    public static final String MEMORY = "memory";
    public static final String EPHEMERAL_STORAGE = "ephemeral-storage";
    public static final String PODS = "pods";

    public long milliCpu;
    public long memory;
    public long ephemeralStorage;
    public long allowedPods;
    /** Scalar resources by name; empty for most pods and nodes. */
    public Map<String, Long> scalar = Map.of();

    /** Upstream's NewResource: cpu, memory, ephemeral-storage, pods and scalar resources; other names ignored. */
    public static Resources of(Map<String, Quantity> list) {
        Resources r = new Resources();
        list.forEach(r::add);
        return r;
    }

    public void add(String name, Quantity q) {
        switch (name) {
            case CPU -> milliCpu += q.milliValue();
            case MEMORY -> memory += q.value();
            case EPHEMERAL_STORAGE -> ephemeralStorage += q.value();
            case PODS -> allowedPods += q.value();
            default -> {
                if (isScalarResourceName(name)) {
                    addScalar(name, q.value());
                }
            }
        }
    }

    /** Adds (or with sign -1 subtracts) {@code other} into this. */
    public void add(Resources other, int sign) {
        milliCpu += sign * other.milliCpu;
        memory += sign * other.memory;
        ephemeralStorage += sign * other.ephemeralStorage;
        allowedPods += sign * other.allowedPods;
        other.scalar.forEach((k, v) -> addScalar(k, sign * v));
    }

    public long scalar(String name) {
        Long v = scalar.get(name);
        return v == null ? 0 : v;
    }

    public void addScalar(String name, long value) {
        if (scalar.isEmpty()) {
            scalar = new HashMap<>(4);
        }
        scalar.merge(name, value, Long::sum);
    }

    public boolean isZero() {
        return milliCpu == 0 && memory == 0 && ephemeralStorage == 0 && scalar.isEmpty();
    }

    public Resources copy() {
        Resources r = new Resources();
        r.milliCpu = milliCpu;
        r.memory = memory;
        r.ephemeralStorage = ephemeralStorage;
        r.allowedPods = allowedPods;
        r.scalar = scalar.isEmpty() ? Map.of() : new HashMap<>(scalar);
        return r;
    }

    /**
     * Upstream's IsScalarResourceName: extended resources (a domain-prefixed name), hugepages and attachable volume
     * counts. Plain unknown names are not tracked.
     */
    public static boolean isScalarResourceName(String name) {
        return name.startsWith("hugepages-") || name.startsWith("attachable-volumes-") || name.indexOf('/') >= 0;
    }

    @Override
    public String toString() {
        return "{cpu=" + milliCpu + "m, memory=" + memory + ", ephemeral-storage=" + ephemeralStorage + ", pods="
                + allowedPods + (scalar.isEmpty() ? "" : ", " + scalar) + "}";
    }
}
