package dev.capstan.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.patch.PatchSchema.Strategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Strategic merge patch as kube-apiserver 1.32 applies it ({@code StrategicMergeMapPatch} in
 * k8s.io/apimachinery/pkg/util/strategicpatch/patch.go, with the server's options: deletion lists are applied and
 * unmatched nulls dropped). Objects merge recursively and {@code null} deletes; lists merge only where the schema
 * says {@code merge} (objects by their merge key, primitives as a set), all others are replaced; the directives are
 * {@code $patch} (replace, delete), {@code $retainKeys}, {@code $setElementOrder/<list>} and
 * {@code $deleteFromPrimitiveList/<list>}.
 *
 * <p>The result is upstream's merged map before it is decoded into a typed object, so it may keep what that decoding
 * would drop: nulls and directives inside values that replaced a whole field ({@code $patch: replace}, a replaced
 * list, a list element added as sent). Failures are {@link dev.capstan.api.ApiException}s with upstream's messages.
 */
public final class StrategicMergePatch {
    static final String DIRECTIVE = "$patch";
    private static final String RETAIN_KEYS = "$retainKeys";
    private static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList";
    private static final String SET_ELEMENT_ORDER = "$setElementOrder";

    private StrategicMergePatch() {}

    /** Applies {@code patch} to {@code original} as described by {@code schema}; neither argument is modified. */
    public static ObjectNode apply(ObjectNode original, ObjectNode patch, PatchSchema schema) {
        return mergeMap(original.deepCopy(), patch.deepCopy(), schema);
    }

    /** Merges {@code patch} into {@code original} in place (both are this call's own copies); upstream's mergeMap. */
    static ObjectNode mergeMap(ObjectNode original, ObjectNode patch, PatchSchema schema) {
        if (patch.has(DIRECTIVE)) {
            JsonNode directive = patch.get(DIRECTIVE);
            if (isText(directive, "replace")) {
                patch.remove(DIRECTIVE);
                return patch;
            }
            if (isText(directive, "delete")) {
                return JsonNodeFactory.instance.objectNode();
            }
            throw PatchFailures.badPatchType(directive, patch);
        }
        applyRetainKeys(original, patch);
        SetElementOrder.apply(original, patch, schema);

        for (Map.Entry<String, JsonNode> entry : List.copyOf(patch.properties())) {
            String key = entry.getKey();
            JsonNode patchValue = entry.getValue();
            boolean deletionList = key.startsWith(DELETE_FROM_PRIMITIVE_LIST);
            if (deletionList) {
                key = listKey(key, DELETE_FROM_PRIMITIVE_LIST);
            }
            if (patchValue.isNull()) {
                original.remove(key);
                continue;
            }
            JsonNode originalValue = original.get(key);
            GoValues.Type type = GoValues.type(originalValue);
            if (originalValue == null || type != GoValues.type(patchValue)) {
                if (!deletionList) {
                    setAsSent(original, key, patchValue);
                }
                continue;
            }
            switch (type) {
                case MAP -> {
                    PatchSchema field = schema.field(key);
                    original.set(
                            key,
                            strategy(field) == Strategy.REPLACE
                                    ? patchValue
                                    : mergeMap((ObjectNode) originalValue, (ObjectNode) patchValue, field));
                }
                case SLICE ->
                    original.set(
                            key,
                            toArray(ListMerge.mergeField(originalValue, patchValue, schema.field(key), deletionList)
                                    .list()));
                default -> original.set(key, patchValue);
            }
        }
        return original;
    }

    /**
     * A value that does not merge with anything: nulls in it are dropped and objects carrying {@code $patch} are left
     * out (the key too, when the value itself carries one).
     */
    private static void setAsSent(ObjectNode original, String key, JsonNode patchValue) {
        discardNulls(patchValue);
        JsonNode kept = removeDirectives(patchValue);
        if (kept == null) {
            original.remove(key);
        } else {
            original.set(key, kept);
        }
    }

    /**
     * Clears the keys of {@code original} that {@code $retainKeys} does not list, after checking that the patch sets
     * no key outside it (upstream's applyRetainKeysDirective).
     */
    private static void applyRetainKeys(ObjectNode original, ObjectNode patch) {
        if (!patch.has(RETAIN_KEYS)) {
            return;
        }
        JsonNode retain = patch.remove(RETAIN_KEYS);
        if (!retain.isArray()) {
            throw PatchFailures.badRetainKeys();
        }
        List<String> keys = new ArrayList<>();
        retain.forEach(k -> {
            if (k.isTextual()) {
                keys.add(k.asText());
            }
        });
        for (Map.Entry<String, JsonNode> entry : patch.properties()) {
            String k = entry.getKey();
            if (entry.getValue().isNull()
                    || k.startsWith(DELETE_FROM_PRIMITIVE_LIST)
                    || k.startsWith(SET_ELEMENT_ORDER)) {
                continue;
            }
            if (!keys.contains(k)) {
                throw PatchFailures.badRetainKeys();
            }
        }
        original.retain(keys);
    }

    /** The list a {@code $deleteFromPrimitiveList/<key>} or {@code $setElementOrder/<key>} directive is about. */
    static String listKey(String directiveKey, String prefix) {
        int slash = directiveKey.indexOf('/');
        if (slash < 0 || !directiveKey.substring(0, slash).equals(prefix)) {
            throw prefix.equals(DELETE_FROM_PRIMITIVE_LIST)
                    ? PatchFailures.badPrimitiveList()
                    : PatchFailures.badSetElementOrder();
        }
        return directiveKey.substring(slash + 1);
    }

    /** The strategy that decides how a field merges; retainKeys works through the patch's directive alone. */
    static Strategy strategy(PatchSchema field) {
        if (field.strategies().contains(Strategy.MERGE)) {
            return Strategy.MERGE;
        }
        return field.strategies().contains(Strategy.REPLACE) ? Strategy.REPLACE : null;
    }

    /** The value with every object that carries {@code $patch} left out; null when the value itself carries one. */
    static JsonNode removeDirectives(JsonNode value) {
        if (value instanceof ObjectNode object) {
            if (object.has(DIRECTIVE)) {
                return null;
            }
            for (Map.Entry<String, JsonNode> entry : List.copyOf(object.properties())) {
                JsonNode kept = removeDirectives(entry.getValue());
                if (kept == null) {
                    object.remove(entry.getKey());
                } else {
                    object.set(entry.getKey(), kept);
                }
            }
            return object;
        }
        if (value instanceof ArrayNode array) {
            ArrayNode result = JsonNodeFactory.instance.arrayNode();
            for (JsonNode element : array) {
                JsonNode kept = removeDirectives(element);
                if (kept != null) {
                    result.add(kept);
                }
            }
            return result;
        }
        return value;
    }

    /** Drops null-valued keys from objects at any depth (nulls inside lists stay). */
    private static void discardNulls(JsonNode value) {
        if (value instanceof ObjectNode object) {
            List<String> nulls = new ArrayList<>();
            object.properties().forEach(e -> {
                if (e.getValue().isNull()) {
                    nulls.add(e.getKey());
                }
            });
            object.remove(nulls);
            object.forEach(StrategicMergePatch::discardNulls);
        } else if (value instanceof ArrayNode array) {
            array.forEach(StrategicMergePatch::discardNulls);
        }
    }

    static boolean isText(JsonNode node, String text) {
        return node != null && node.isTextual() && node.asText().equals(text);
    }

    static List<JsonNode> elements(JsonNode array) {
        List<JsonNode> list = new ArrayList<>(array.size());
        array.forEach(list::add);
        return list;
    }

    static ArrayNode toArray(List<JsonNode> list) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode(list.size());
        list.forEach(array::add);
        return array;
    }
}
