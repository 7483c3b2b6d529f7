package dev.capstan.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;

/**
 * The length of a tree's compact JSON text, counted without writing it and without recursion, and given up once
 * it passes a cap: what json-patch measures a {@code copy} by, at a cost bounded by the cap rather than by the tree.
 */
final class JsonSize {
    private JsonSize() {}

    /** The compact JSON length of {@code node}, or some value above {@code cap} once it is known to exceed it. */
    static long of(JsonNode node, long cap) {
        long size = 0;
        ArrayDeque<JsonNode> pending = new ArrayDeque<>();
        pending.push(node);
        while (!pending.isEmpty() && size <= cap) {
            JsonNode next = pending.pop();
            if (next.isObject()) {
                // braces, plus a comma between entries and a colon and two quotes per entry
                size += 2 + Math.max(0, next.size() - 1);
                Iterator<Map.Entry<String, JsonNode>> fields = next.properties().iterator();
                while (fields.hasNext() && size <= cap) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    size += 3 + textLength(field.getKey());
                    pending.push(field.getValue());
                }
            } else if (next.isArray()) {
                size += 2 + Math.max(0, next.size() - 1);
                for (int i = 0; i < next.size() && size <= cap; i++) {
                    pending.push(next.get(i));
                }
            } else if (next.isTextual()) {
                size += 2 + textLength(next.textValue());
            } else {
                size += next.toString().length();
            }
        }
        return size;
    }

    /** UTF-8 length; escapes are left out, so the count is a lower bound of the written text. */
    private static long textLength(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            // a surrogate pair counts 2 + 2: the four bytes of its code point
            bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
        }
        return bytes;
    }

    /** Whether {@code node} nests containers deeper than {@code max} levels; without recursion. */
    static boolean deeperThan(JsonNode node, int max) {
        ArrayDeque<JsonNode> level = new ArrayDeque<>();
        level.add(node);
        for (int depth = 1; !level.isEmpty(); depth++) {
            ArrayDeque<JsonNode> next = new ArrayDeque<>();
            for (JsonNode n : level) {
                if (n.isContainerNode()) {
                    if (depth > max) {
                        return true;
                    }
                    n.forEach(next::add);
                }
            }
            level = next;
        }
        return false;
    }
}
