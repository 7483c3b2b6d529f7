package dev.capstan.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code $setElementOrder/<list>} directive (upstream's mergePatchIntoOriginal): the list it names is merged
 * with the patch's elements for it, then ordered so that the elements the directive names follow its order and the
 * server's other elements keep their places relative to them. kubectl's client-side apply sends one next to every
 * merging list it changes.
 */
final class SetElementOrder {
    private static final String PREFIX = "$setElementOrder";

    private SetElementOrder() {}

    /** Handles every {@code $setElementOrder} key of {@code patch}, removing it and the list it covers. */
    static void apply(ObjectNode original, ObjectNode patch, PatchSchema schema) {
        List<String> directives = new ArrayList<>();
        patch.fieldNames().forEachRemaining(k -> {
            if (k.startsWith(PREFIX)) {
                directives.add(k);
            }
        });
        for (String directive : directives) {
            JsonNode order = patch.remove(directive);
            if (!order.isArray()) {
                throw PatchFailures.badArgType(GoValues.Type.SLICE, order);
            }
            String key = StrategicMergePatch.listKey(directive, PREFIX);
            JsonNode originalList = original.get(key);
            JsonNode patchList = patch.get(key);
            if (originalList != null && !originalList.isArray()) {
                throw PatchFailures.badArgType(GoValues.Type.SLICE, originalList);
            }
            if (patchList != null && !patchList.isArray()) {
                throw PatchFailures.badArgType(GoValues.Type.SLICE, patchList);
            }
            PatchSchema field = schema.field(key);
            String mergeKey = field.mergeKey();
            List<JsonNode> orderList = StrategicMergePatch.elements(order);
            List<JsonNode> patchElements = patchList == null ? List.of() : StrategicMergePatch.elements(patchList);
            validate(patchElements, orderList, mergeKey);

            List<JsonNode> originalElements =
                    originalList == null ? List.of() : StrategicMergePatch.elements(originalList);
            // upstream orders the server's elements by the original list's array as merging left it (see ListMerge)
            ListMerge.Merged merged;
            if (originalList != null && patchList == null) {
                merged = new ListMerge.Merged(originalElements, originalElements);
            } else if (originalList == null && patchList != null) {
                JsonNode added = StrategicMergePatch.removeDirectives(patchList);
                merged = new ListMerge.Merged(StrategicMergePatch.elements(added), originalElements);
            } else if (originalList != null) {
                merged = ListMerge.mergeField(originalList, patchList, field, false);
            } else {
                continue;
            }
            boolean maps = ListMerge.elementType(List.of(originalElements, patchElements)) == GoValues.Type.MAP;
            ListOrder.Partition parts = ListOrder.partition(merged.list(), orderList, mergeKey);
            original.set(
                    key,
                    StrategicMergePatch.toArray(
                            ListOrder.normalize(parts, orderList, merged.originalAfter(), mergeKey, maps)));
            patch.remove(key);
        }
    }

    /**
     * The patch's elements (deletions aside) must appear in the directive's list, in the same relative order
     * (upstream's validatePatchWithSetOrderList).
     */
    private static void validate(List<JsonNode> patchList, List<JsonNode> order, String mergeKey) {
        if (order.isEmpty() || patchList.isEmpty()) {
            return;
        }
        List<JsonNode> kept = new ArrayList<>();
        if (mergeKey.isEmpty()) {
            kept.addAll(patchList);
        } else {
            for (JsonNode element : patchList) {
                if (!element.isObject()) {
                    throw PatchFailures.badArgType(GoValues.Type.MAP, element);
                }
                if (!StrategicMergePatch.isText(element.get(StrategicMergePatch.DIRECTIVE), "delete")) {
                    kept.add(element);
                }
            }
        }
        int p = 0;
        int o = 0;
        while (p < kept.size() && o < order.size()) {
            JsonNode element = kept.get(p);
            if (element.isObject() && element.has(StrategicMergePatch.DIRECTIVE)) {
                p++;
                continue;
            }
            if (sameKey(element, order.get(o), mergeKey)) {
                p++;
            }
            o++;
        }
        if (p < kept.size()) {
            throw PatchFailures.failed("The order in patch list:\n" + GoValues.v(StrategicMergePatch.toArray(patchList))
                    + "\n doesn't match " + PREFIX + " list:\n" + GoValues.v(StrategicMergePatch.toArray(order))
                    + "\n");
        }
    }

    /** Upstream's mergeKeyValueEqual: both objects holding the key with equal values, or equal primitives. */
    private static boolean sameKey(JsonNode left, JsonNode right, String mergeKey) {
        if (mergeKey.isEmpty()) {
            return GoValues.same(left, right);
        }
        for (JsonNode side : List.of(left, right)) {
            if (!side.isObject()) {
                throw PatchFailures.badArgType(GoValues.Type.MAP, side);
            }
            if (!side.has(mergeKey)) {
                throw PatchFailures.noMergeKey(side, mergeKey);
            }
        }
        return GoValues.same(left.get(mergeKey), right.get(mergeKey));
    }
}
