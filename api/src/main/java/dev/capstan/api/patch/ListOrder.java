package dev.capstan.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * The order of a merged list, as upstream's strategic merge patch makes it (patch.go, {@code normalizeElementOrder}
 * and the preserve-order design, design-proposals-archive cli/preserve-order-in-strategic-merge-patch.md): the
 * elements the patch names keep the patch's order, the elements only the server has keep theirs, and the two are
 * interleaved by the server's order wherever both are known to it.
 *
 * <p>Elements are matched by their merge key's value when {@code mergeKey} is set, else by value. Upstream sorts with
 * Go's {@code sort.SliceStable} and a "less" that is not a strict order when an element is missing from the
 * reference list; {@link #stableSort} follows Go's algorithm step by step so those cases come out the same.
 */
final class ListOrder {
    private ListOrder() {}

    /** The merged list's elements split into those named by {@code partitionBy} and the rest, in list order. */
    record Partition(List<JsonNode> named, List<JsonNode> others) {}

    /** Splits elements by whether {@code partitionBy} holds them; objects are matched on {@code mergeKey}. */
    static Partition partition(List<JsonNode> merged, List<JsonNode> partitionBy, String mergeKey) {
        List<JsonNode> named = new ArrayList<>();
        List<JsonNode> others = new ArrayList<>();
        for (JsonNode element : merged) {
            boolean found;
            if (mergeKey.isEmpty()) {
                found = partitionBy.stream().anyMatch(p -> GoValues.same(p, element));
            } else {
                if (!element.isObject()) {
                    throw PatchFailures.badArgType(GoValues.Type.MAP, element);
                }
                JsonNode key = element.get(mergeKey);
                if (key == null) {
                    throw PatchFailures.noMergeKey(element, mergeKey);
                }
                found = indexByKey(partitionBy, mergeKey, key) >= 0;
            }
            (found ? named : others).add(element);
        }
        return new Partition(named, others);
    }

    /**
     * Orders the named elements by {@code patchOrder} and the server's by {@code serverOrder}, then interleaves them
     * (upstream's normalizeElementOrder).
     */
    static List<JsonNode> normalize(
            Partition parts, List<JsonNode> patchOrder, List<JsonNode> serverOrder, String mergeKey, boolean maps) {
        List<JsonNode> patch = sortBy(parts.named(), patchOrder, mergeKey, maps);
        List<JsonNode> serverOnly = sortBy(parts.others(), serverOrder, mergeKey, maps);
        return interleave(serverOnly, patch, serverOrder, mergeKey, maps);
    }

    /** Sorts {@code toSort} by the positions in {@code order}; {@code $patch: delete} elements go last. */
    private static List<JsonNode> sortBy(List<JsonNode> toSort, List<JsonNode> order, String mergeKey, boolean maps) {
        List<JsonNode> sorted = new ArrayList<>();
        List<JsonNode> deletions = new ArrayList<>();
        if (maps) {
            requireMergeKey(toSort, mergeKey);
            requireMergeKey(order, mergeKey);
            for (JsonNode element : toSort) {
                JsonNode directive = element.get(StrategicMergePatch.DIRECTIVE);
                boolean delete = directive != null
                        && directive.isTextual()
                        && directive.asText().equals("delete");
                (delete ? deletions : sorted).add(element);
            }
        } else {
            sorted.addAll(toSort);
        }
        stableSort(sorted, (a, b) -> {
            int ia = index(order, a, mergeKey, maps);
            if (ia >= 0) {
                int ib = index(order, b, mergeKey, maps);
                if (ib >= 0) {
                    return ia < ib;
                }
            }
            return true;
        });
        sorted.addAll(deletions);
        return sorted;
    }

    /**
     * Inserts the server-only elements among the patch's: a server element goes first only when the server's order
     * knows both it and the patch element and puts it earlier (upstream's mergeSortedSlice).
     */
    private static List<JsonNode> interleave(
            List<JsonNode> left, List<JsonNode> right, List<JsonNode> serverOrder, String mergeKey, boolean maps) {
        List<JsonNode> result = new ArrayList<>(left.size() + right.size());
        int i = 0;
        int j = 0;
        while (i < left.size() || j < right.size()) {
            if (i >= left.size()) {
                result.add(right.get(j++));
            } else if (j >= right.size()) {
                result.add(left.get(i++));
            } else {
                int li = index(serverOrder, left.get(i), mergeKey, maps);
                int ri = index(serverOrder, right.get(j), mergeKey, maps);
                result.add(li >= 0 && ri >= 0 && li < ri ? left.get(i++) : right.get(j++));
            }
        }
        return result;
    }

    /** Every element an object holding the merge key (upstream's validateMergeKeyInLists). */
    private static void requireMergeKey(List<JsonNode> list, String mergeKey) {
        for (JsonNode element : list) {
            if (!element.isObject()) {
                throw PatchFailures.badArgType(GoValues.Type.MAP, element);
            }
            if (!element.has(mergeKey)) {
                throw PatchFailures.noMergeKey(element, mergeKey);
            }
        }
    }

    /** The position of {@code value} in {@code list}: by merge key value for objects, else by value; -1 if absent. */
    static int index(List<JsonNode> list, JsonNode value, String mergeKey, boolean maps) {
        JsonNode wanted = maps ? keyOf(value, mergeKey) : value;
        for (int i = 0; i < list.size(); i++) {
            if (GoValues.same(wanted, maps ? keyOf(list.get(i), mergeKey) : list.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** The first object in {@code list} whose merge key has {@code value}, or -1. */
    static int indexByKey(List<JsonNode> list, String mergeKey, JsonNode value) {
        for (int i = 0; i < list.size(); i++) {
            JsonNode element = list.get(i);
            if (!element.isObject()) {
                throw PatchFailures.failed("value for key " + i + " is not a map");
            }
            JsonNode key = element.get(mergeKey);
            if (key != null && GoValues.same(key, value)) {
                return i;
            }
        }
        return -1;
    }

    /** An element's merge key value; absent (and non-objects) read as Go's nil. */
    private static JsonNode keyOf(JsonNode element, String mergeKey) {
        return element.isObject() ? element.get(mergeKey) : null;
    }

    /**
     * Go's sort.SliceStable: insertion sort in blocks of 20, then SymMerge (Kim and Kutzner) of ever larger blocks.
     * Reproduced rather than replaced by List.sort because upstream's "less" is not always consistent, and the
     * result then depends on which comparisons the algorithm makes.
     */
    static void stableSort(List<JsonNode> data, BiPredicate<JsonNode, JsonNode> less) {
        Sorter sorter = new Sorter(data, less);
        int n = data.size();
        int blockSize = 20;
        int a = 0;
        int b = blockSize;
        while (b <= n) {
            sorter.insertionSort(a, b);
            a = b;
            b += blockSize;
        }
        sorter.insertionSort(a, n);
        while (blockSize < n) {
            a = 0;
            b = 2 * blockSize;
            while (b <= n) {
                sorter.symMerge(a, a + blockSize, b);
                a = b;
                b += 2 * blockSize;
            }
            int m = a + blockSize;
            if (m < n) {
                sorter.symMerge(a, m, n);
            }
            blockSize *= 2;
        }
    }

    private record Sorter(List<JsonNode> data, BiPredicate<JsonNode, JsonNode> lessThan) {
        boolean less(int i, int j) {
            return lessThan.test(data.get(i), data.get(j));
        }

        void swap(int i, int j) {
            JsonNode t = data.get(i);
            data.set(i, data.get(j));
            data.set(j, t);
        }

        void insertionSort(int a, int b) {
            for (int i = a + 1; i < b; i++) {
                for (int j = i; j > a && less(j, j - 1); j--) {
                    swap(j, j - 1);
                }
            }
        }

        /** Merges the sorted runs [a, m) and [m, b) in place. */
        void symMerge(int a, int m, int b) {
            if (m - a == 1) {
                // a single element on the left: binary-search its place in the right run, then rotate it there
                int i = m;
                int j = b;
                while (i < j) {
                    int h = (i + j) >>> 1;
                    if (less(h, a)) {
                        i = h + 1;
                    } else {
                        j = h;
                    }
                }
                for (int k = a; k < i - 1; k++) {
                    swap(k, k + 1);
                }
                return;
            }
            if (b - m == 1) {
                int i = a;
                int j = m;
                while (i < j) {
                    int h = (i + j) >>> 1;
                    if (!less(m, h)) {
                        i = h + 1;
                    } else {
                        j = h;
                    }
                }
                for (int k = m; k > i; k--) {
                    swap(k, k - 1);
                }
                return;
            }
            int mid = (a + b) >>> 1;
            int n = mid + m;
            int start;
            int r;
            if (m > mid) {
                start = n - b;
                r = mid;
            } else {
                start = a;
                r = m;
            }
            int p = n - 1;
            while (start < r) {
                int c = (start + r) >>> 1;
                if (!less(p - c, c)) {
                    start = c + 1;
                } else {
                    r = c;
                }
            }
            int end = n - start;
            if (start < m && m < end) {
                rotate(start, m, end);
            }
            if (a < start && start < mid) {
                symMerge(a, start, mid);
            }
            if (mid < end && end < b) {
                symMerge(mid, end, b);
            }
        }

        /** Swaps the runs [a, m) and [m, b) by block swaps. */
        void rotate(int a, int m, int b) {
            int i = m - a;
            int j = b - m;
            while (i != j) {
                if (i > j) {
                    swapRange(m - i, m, j);
                    i -= j;
                } else {
                    swapRange(m - i, m + j - i, i);
                    j -= i;
                }
            }
            swapRange(m - i, m, i);
        }

        void swapRange(int a, int b, int n) {
            for (int i = 0; i < n; i++) {
                swap(a + i, b + i);
            }
        }
    }
}
