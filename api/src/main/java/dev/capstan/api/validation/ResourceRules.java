package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.JsonReads;
import dev.capstan.model.quantity.Quantity;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resource names and quantities as core validation and core/helper judge them (validateResourceName and its container,
 * quota and limit-range variants, ValidateResourceQuantityValue), plus defaults.go's SetDefaults_ResourceList.
 */
final class ResourceRules {
    private ResourceRules() {}

    static final String NOT_INTEGER = "must be an integer";
    static final String NOT_POSITIVE = "must be greater than zero";

    private static final Set<String> STANDARD_RESOURCES = Set.of(
            "cpu",
            "memory",
            "ephemeral-storage",
            "requests.cpu",
            "requests.memory",
            "requests.ephemeral-storage",
            "limits.cpu",
            "limits.memory",
            "limits.ephemeral-storage",
            "pods",
            "resourcequotas",
            "services",
            "replicationcontrollers",
            "secrets",
            "configmaps",
            "persistentvolumeclaims",
            "storage",
            "requests.storage",
            "services.nodeports",
            "services.loadbalancers");
    private static final Set<String> STANDARD_QUOTA_RESOURCES = Set.of(
            "cpu",
            "memory",
            "ephemeral-storage",
            "requests.cpu",
            "requests.memory",
            "requests.storage",
            "requests.ephemeral-storage",
            "limits.cpu",
            "limits.memory",
            "limits.ephemeral-storage",
            "pods",
            "resourcequotas",
            "services",
            "replicationcontrollers",
            "secrets",
            "persistentvolumeclaims",
            "configmaps",
            "services.nodeports",
            "services.loadbalancers");
    private static final Set<String> INTEGER_RESOURCES = Set.of(
            "pods",
            "resourcequotas",
            "services",
            "replicationcontrollers",
            "secrets",
            "configmaps",
            "persistentvolumeclaims",
            "services.nodeports",
            "services.loadbalancers");
    private static final Set<String> CONTAINER_RESOURCES = Set.of("cpu", "memory", "ephemeral-storage");

    static boolean isHugePages(String name) {
        return name.startsWith("hugepages-");
    }

    private static boolean isQuotaHugePages(String name) {
        return isHugePages(name) || name.startsWith("requests.hugepages-");
    }

    static boolean isNative(String name) {
        return !name.contains("/") || name.contains("kubernetes.io/");
    }

    static boolean isExtended(String name) {
        return !isNative(name)
                && !name.startsWith("requests.")
                && NameRules.qualifiedName("requests." + name).isEmpty();
    }

    static boolean isOvercommitAllowed(String name) {
        return isNative(name) && !isHugePages(name);
    }

    static boolean isStandardQuotaResource(String name) {
        return STANDARD_QUOTA_RESOURCES.contains(name) || isQuotaHugePages(name);
    }

    private static boolean isInteger(String name) {
        return INTEGER_RESOURCES.contains(name) || isExtended(name);
    }

    /** validateResourceName: a qualified name, and a standard one when it has no prefix. */
    static void name(String name, String path, Errors errs) {
        List<String> msgs = NameRules.qualifiedName(name);
        if (!msgs.isEmpty()) {
            errs.invalidEach(path, name, msgs);
            return;
        }
        if (!name.contains("/") && !STANDARD_RESOURCES.contains(name) && !isQuotaHugePages(name)) {
            errs.invalid(path, name, "must be a standard resource type or fully qualified");
        }
    }

    /** validateContainerResourceName: cpu, memory, ephemeral-storage, hugepages or an extended resource. */
    static void containerName(String name, String path, Errors errs) {
        name(name, path, errs);
        if (!name.contains("/")) {
            if (!CONTAINER_RESOURCES.contains(name) && !isHugePages(name)) {
                errs.invalid(path, name, "must be a standard resource for containers");
            }
        } else if (!isNative(name) && !isExtended(name)) {
            errs.invalid(path, name, "doesn't follow extended resource name standard");
        }
    }

    /** ValidateResourceQuotaResourceName. */
    static void quotaName(String name, String path, Errors errs) {
        name(name, path, errs);
        if (!name.contains("/") && !isStandardQuotaResource(name)) {
            errs.invalid(path, name, "must be a standard resource for quota");
        }
    }

    /**
     * The quantity at raw, or null after reporting it: upstream refuses an unparseable quantity while decoding the
     * request, before validation, so there is no upstream cause to copy.
     */
    static Quantity parse(String raw, String path, Errors errs) {
        try {
            return Quantity.parse(raw);
        } catch (IllegalArgumentException e) {
            errs.invalid(path, raw, e.getMessage());
            return null;
        }
    }

    /** ValidateNonnegativeQuantity, which prints the canonical quantity. */
    static void nonNegative(Quantity q, String path, Errors errs) {
        if (q.sign() < 0) {
            errs.invalid(path, q.canonical(), NameRules.IS_NEGATIVE);
        }
    }

    /** ValidatePositiveQuantityValue. */
    static void positive(Quantity q, String path, Errors errs) {
        if (q.sign() <= 0) {
            errs.invalid(path, q.canonical(), NOT_POSITIVE);
        }
    }

    /** ValidateResourceQuantityValue: not negative, and whole for counted and extended resources. */
    static void quantityValue(String name, String raw, Quantity q, String path, Errors errs) {
        nonNegative(q, path, errs);
        if (isInteger(name)
                && q.amount().setScale(3, RoundingMode.UP).stripTrailingZeros().scale() > 0) {
            errs.invalid(path, GoQuantity.literal(raw, false), NOT_INTEGER);
        }
    }

    /** validateBasicResource: upstream prints Value(), the amount rounded up to a whole number. */
    static void basic(Quantity q, String path, Errors errs) {
        long value = q.amount().setScale(0, RoundingMode.UP).longValue();
        if (value < 0) {
            errs.invalid(path, value, "must be a valid resource quantity");
        }
    }

    /** A resource list's entries in document order, each parsed, unparseable ones reported and left out. */
    static Map<String, Parsed> list(JsonNode list, String path, Errors errs) {
        Map<String, Parsed> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : JsonReads.entries(list)) {
            Quantity q = parse(e.getValue(), Errors.key(path, e.getKey()), errs);
            if (q != null) {
                out.put(e.getKey(), new Parsed(e.getValue(), q));
            }
        }
        return out;
    }

    /** A quantity with the text it was written as, which its Go form depends on. */
    record Parsed(String raw, Quantity q) {}

    /**
     * SetDefaults_ResourceList: every quantity is rounded up to milli precision (away from zero). Only values the
     * rounding changes are rewritten, in canonical form; others keep their text.
     */
    static void roundUpToMilli(ObjectNode list) {
        if (list == null) {
            return;
        }
        list.properties().forEach(e -> {
            if (!e.getValue().isTextual() && !e.getValue().isNumber()) {
                return;
            }
            try {
                Quantity q = Quantity.parse(e.getValue().asText());
                if (q.amount().scale() > 3) {
                    Quantity rounded = Quantity.ofMilli(
                            q.amount()
                                    .movePointRight(3)
                                    .setScale(0, RoundingMode.UP)
                                    .longValueExact(),
                            q.format());
                    if (rounded.amount().compareTo(q.amount()) != 0) {
                        e.setValue(list.textNode(rounded.canonical()));
                    }
                }
            } catch (IllegalArgumentException ignored) {
                // left for validation to report
            }
        });
    }
}
