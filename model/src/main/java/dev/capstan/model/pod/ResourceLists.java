package dev.capstan.model.pod;

import dev.capstan.model.quantity.Quantity;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** v1.ResourceList arithmetic on model quantities, and the bridge from fabric8's quantities. */
public final class ResourceLists {
    private ResourceLists() {}

    /**
     * A fabric8 resource list as model quantities, sorted by resource name. Entries whose quantity does not parse
     * are left out: upstream could never have decoded them.
     */
    public static Map<String, Quantity> of(Map<String, io.fabric8.kubernetes.api.model.Quantity> list) {
        Map<String, Quantity> out = new TreeMap<>();
        if (list != null) {
            list.forEach((name, q) -> {
                if (q != null) {
                    Quantity.tryParse(text(q).strip()).ifPresent(parsed -> out.put(name, parsed));
                }
            });
        }
        return out;
    }

    /** The string a fabric8 quantity was read from: its amount and its format (the suffix). */
    public static String text(io.fabric8.kubernetes.api.model.Quantity q) {
        return Objects.requireNonNullElse(q.getAmount(), "") + Objects.requireNonNullElse(q.getFormat(), "");
    }

    /** Upstream's addResourceList: adds each of {@code add} into {@code into}. */
    public static void add(Map<String, Quantity> into, Map<String, Quantity> add) {
        add.forEach((name, q) -> into.merge(name, q, Quantity::add));
    }

    /** Upstream's maxResourceList: raises each of {@code into} to {@code other}'s amount where that is larger. */
    public static void max(Map<String, Quantity> into, Map<String, Quantity> other) {
        other.forEach((name, q) -> {
            Quantity current = into.get(name);
            if (current == null || q.compareTo(current) > 0) {
                into.put(name, q);
            }
        });
    }
}
