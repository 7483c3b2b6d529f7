package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The difference text upstream appends to "is immutable" messages. Upstream prints go-cmp's Diff of Go structs, which
 * cannot be reproduced from JSON; this lists each changed field as "- path: old" / "+ path: new" lines instead.
 * Equality is {@link PodUpdateValidation#semanticEqual}: absent, null and empty values are the same.
 */
final class SpecDiff {
    private SpecDiff() {}

    static String of(JsonNode old, JsonNode now) {
        List<String> out = new ArrayList<>();
        walk(old, now, "", out);
        return String.join("\n", out);
    }

    private static void walk(JsonNode a, JsonNode b, String path, List<String> out) {
        if (PodUpdateValidation.semanticEqual(a, b)) {
            return;
        }
        if (a != null && b != null && a.isObject() && b.isObject()) {
            Set<String> keys = new TreeSet<>();
            a.properties().forEach(e -> keys.add(e.getKey()));
            b.properties().forEach(e -> keys.add(e.getKey()));
            keys.forEach(k -> walk(a.get(k), b.get(k), path.isEmpty() ? k : path + "." + k, out));
        } else if (a != null && b != null && a.isArray() && b.isArray() && a.size() == b.size()) {
            for (int i = 0; i < a.size(); i++) {
                walk(a.get(i), b.get(i), path + "[" + i + "]", out);
            }
        } else {
            out.add("- " + path + ": " + (a == null || a.isNull() ? "null" : a));
            out.add("+ " + path + ": " + (b == null || b.isNull() ? "null" : b));
        }
    }
}
