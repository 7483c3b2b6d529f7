package dev.capstan.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.patch.PatchSchema.Strategy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Merging one list field (upstream's mergeSliceHandler and mergeSlice in strategicpatch/patch.go): lists of objects
 * with a merge key merge element-wise, lists of primitives as sets, and a deletion list removes values.
 *
 * <p>Upstream edits the original list's Go array in place: deletions shift the survivors left, additions are
 * appended into the room that frees, and a union with nothing to add deduplicates the original's own array. The
 * {@code $setElementOrder} step then orders the server's elements by that edited array, which decides where they land
 * among new ones. {@link Merged#originalAfter()} reproduces that array, taking the original list's capacity to be its
 * length, as it is for an object the apiserver converted to a map.
 */
final class ListMerge {
    private ListMerge() {}

    /** The merged list, and the original list's array as upstream's in-place merge leaves it. */
    record Merged(List<JsonNode> list, List<JsonNode> originalAfter) {}

    /** A list field's merge: by the schema's strategy, or as a deletion list; any other list is replaced. */
    static Merged mergeField(JsonNode original, JsonNode patch, PatchSchema field, boolean deletionList) {
        List<JsonNode> originalElements = StrategicMergePatch.elements(original);
        if (StrategicMergePatch.strategy(field) != Strategy.MERGE && !deletionList) {
            return new Merged(StrategicMergePatch.elements(patch), originalElements);
        }
        List<JsonNode> patchElements = StrategicMergePatch.elements(patch);
        if (originalElements.isEmpty() && patchElements.isEmpty()) {
            return new Merged(originalElements, originalElements);
        }
        if (elementType(List.of(originalElements, patchElements)) != GoValues.Type.MAP) {
            return mergePrimitives(originalElements, patchElements, deletionList);
        }
        String mergeKey = field.mergeKey();
        if (mergeKey.isEmpty()) {
            String name =
                    field.items().type().isEmpty() ? "Struct" : field.items().type();
            throw PatchFailures.failed("cannot merge lists without merge key for " + name);
        }
        return mergeObjects(originalElements, patchElements, mergeKey, field.items());
    }

    /** A set union in the patch's order among the server's, or (for a deletion list) a set difference. */
    private static Merged mergePrimitives(List<JsonNode> original, List<JsonNode> patch, boolean deletionList) {
        if (deletionList) {
            List<JsonNode> kept = original.stream()
                    .filter(o -> patch.stream().noneMatch(p -> GoValues.same(o, p)))
                    .toList();
            return new Merged(kept, original);
        }
        JsonNode[] both = new JsonNode[original.size() + patch.size()];
        for (int i = 0; i < both.length; i++) {
            both[i] = i < original.size() ? original.get(i) : patch.get(i - original.size());
        }
        int length = deduplicate(both);
        List<JsonNode> merged = List.of(Arrays.copyOf(both, length));
        // with nothing to append, Go's append returns the original array itself, which the dedup then rearranges
        List<JsonNode> server = patch.isEmpty() ? Arrays.asList(both) : original;
        ListOrder.Partition parts = ListOrder.partition(merged, patch, "");
        return new Merged(ListOrder.normalize(parts, patch, server, "", false), server);
    }

    /** Objects merged by key after the patch's {@code $patch} elements are applied. */
    private static Merged mergeObjects(
            List<JsonNode> original, List<JsonNode> patch, String mergeKey, PatchSchema items) {
        JsonNode[] array = original.toArray(new JsonNode[0]);
        int length = array.length;
        List<JsonNode> plain = new ArrayList<>();
        boolean replace = false;
        for (JsonNode element : patch) {
            JsonNode directive = element.get(StrategicMergePatch.DIRECTIVE);
            if (directive == null) {
                plain.add(element);
            } else if (StrategicMergePatch.isText(directive, "delete")) {
                JsonNode key = element.get(mergeKey);
                if (key == null) {
                    throw PatchFailures.noMergeKey(element, mergeKey);
                }
                length = deleteMatching(array, length, mergeKey, key);
            } else if (StrategicMergePatch.isText(directive, "replace")) {
                replace = true; // the other $patch elements are still applied or refused
            } else if (StrategicMergePatch.isText(directive, "merge")) {
                throw PatchFailures.failed("merging lists cannot yet be specified in the patch");
            } else {
                throw PatchFailures.badPatchType(directive, element);
            }
        }
        List<JsonNode> originalAfter = Arrays.asList(array);
        if (replace) {
            // the plain elements become the whole list (upstream's "$patch: replace" in a list)
            ListOrder.Partition parts = ListOrder.partition(plain, List.of(), mergeKey);
            return new Merged(ListOrder.normalize(parts, List.of(), plain, mergeKey, true), originalAfter);
        }
        List<JsonNode> server = List.copyOf(originalAfter.subList(0, length));
        List<JsonNode> merged = new ArrayList<>(server);
        for (JsonNode element : plain) {
            JsonNode key = element.get(mergeKey);
            if (key == null) {
                throw PatchFailures.noMergeKey(element, mergeKey);
            }
            int at = ListOrder.indexByKey(merged, mergeKey, key);
            if (at >= 0) {
                merged.set(at, StrategicMergePatch.mergeMap((ObjectNode) merged.get(at), (ObjectNode) element, items));
            } else {
                merged.add(element);
                if (length < array.length) {
                    array[length++] = element; // appended into the room deletions freed in the original's array
                } else {
                    length = Integer.MAX_VALUE; // Go moved to a new array; later appends leave the original alone
                }
            }
        }
        ListOrder.Partition parts = ListOrder.partition(merged, plain, mergeKey);
        return new Merged(ListOrder.normalize(parts, plain, server, mergeKey, true), originalAfter);
    }

    /** Removes every element with the merge key value, shifting the rest left as Go's append(s[:k], s[k+1:]...). */
    private static int deleteMatching(JsonNode[] array, int length, String mergeKey, JsonNode value) {
        List<JsonNode> current = Arrays.asList(array).subList(0, length);
        for (int at = ListOrder.indexByKey(current, mergeKey, value);
                at >= 0;
                at = ListOrder.indexByKey(current, mergeKey, value)) {
            System.arraycopy(array, at + 1, array, at, length - at - 1);
            length--;
            current = Arrays.asList(array).subList(0, length);
        }
        return length;
    }

    /**
     * The Go type shared by all elements of the given lists; lists of lists and mixed types are refused, as upstream's
     * sliceElementType refuses them.
     */
    static GoValues.Type elementType(List<List<JsonNode>> lists) {
        GoValues.Type type = null;
        for (List<JsonNode> list : lists) {
            for (JsonNode element : list) {
                GoValues.Type t = GoValues.type(element);
                if (type == null) {
                    if (t == GoValues.Type.SLICE) {
                        throw PatchFailures.listOfLists();
                    }
                    type = t;
                } else if (type != t || t == GoValues.Type.NIL) {
                    throw PatchFailures.failed("list element types are not identical: " + GoValues.slices(lists));
                }
            }
        }
        if (type == null) {
            throw PatchFailures.failed("no elements in any of the given slices");
        }
        if (type == GoValues.Type.NIL) {
            // upstream fails on a nil element type too (it dereferences it); refuse the null element
            throw PatchFailures.failed("list element types are not identical: " + GoValues.slices(lists));
        }
        return type;
    }

    /**
     * Go's deduplicateScalars on an array: a duplicate is overwritten by the current last element, which drops off.
     * Returns the new length; the array past it keeps what Go's array keeps.
     */
    private static int deduplicate(JsonNode[] s) {
        int last = s.length - 1;
        for (int i = 0; i < last; i++) {
            for (int j = i + 1; j <= last; j++) {
                if (GoValues.same(s[i], s[j])) {
                    s[j] = s[last];
                    last--;
                    j--;
                }
            }
        }
        return last + 1;
    }
}
