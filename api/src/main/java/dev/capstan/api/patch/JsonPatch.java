package dev.capstan.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.ApiException;
import dev.capstan.api.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 6902 JSON Patch: add, remove, replace, move, copy, test, with RFC 6901 pointers, bounded as kube-apiserver
 * bounds it: at most {@link #MAX_OPERATIONS} operations, and {@code copy} operations may together copy at most
 * {@link #MAX_COPY_BYTES} of JSON, so that a small patch cannot double an object into gigabytes.
 */
final class JsonPatch {
    /** apiserver handlers/patch.go {@code maxJSONPatchOperations}. */
    static final int MAX_OPERATIONS = 10_000;

    /**
     * json-patch's {@code AccumulatedCopySizeLimit}, which kube-apiserver sets to its request body limit
     * ({@code JSONPatchMaxCopyBytes}, 3 MiB).
     */
    static final long MAX_COPY_BYTES = 3L * 1024 * 1024;

    private JsonPatch() {}

    static JsonNode apply(JsonNode document, JsonNode patch) {
        JsonNode doc = document;
        ArrayNode operations = Patches.operations(patch);
        if (operations.size() > MAX_OPERATIONS) {
            throw ApiException.tooLarge("Request entity too large: The allowed maximum operations in a JSON patch is "
                    + MAX_OPERATIONS + ", got " + operations.size());
        }
        long copied = 0;
        for (JsonNode op : operations) {
            String path = required(op, "path");
            doc = switch (required(op, "op")) {
                case "add" -> add(doc, path, value(op));
                case "remove" -> remove(doc, path);
                case "replace" -> add(remove(doc, path), path, value(op));
                case "move" -> {
                    String from = required(op, "from");
                    JsonNode moved = get(doc, from);
                    yield add(remove(doc, from), path, moved);
                }
                case "copy" -> {
                    JsonNode source = get(doc, required(op, "from"));
                    copied += JsonSize.of(source, MAX_COPY_BYTES - copied + 1);
                    if (copied > MAX_COPY_BYTES) {
                        throw copyLimitExceeded();
                    }
                    yield add(doc, path, source.deepCopy());
                }
                case "test" -> {
                    if (!get(doc, path).equals(value(op))) {
                        throw ApiException.badRequest("the JSON patch test at " + path + " failed");
                    }
                    yield doc;
                }
                default -> throw ApiException.badRequest("unknown JSON patch operation " + op.get("op"));
            };
        }
        return doc;
    }

    /**
     * json-patch fails with "Unable to complete the copy, the accumulated size increase of copy is N, exceeding the
     * limit 3145728"; kube-apiserver answers every failure to apply a JSON patch as 422 with the generic message of
     * {@code NewGenericServerResponse}, dropping that text.
     */
    private static ApiException copyLimitExceeded() {
        return new ApiException(
                422, "Invalid", "the server rejected our request due to an error in our request", Json.object());
    }

    private static String required(JsonNode op, String field) {
        JsonNode value = op.get(field);
        if (value == null || !value.isTextual()) {
            throw ApiException.badRequest("a JSON patch operation needs a \"" + field + "\": " + op);
        }
        return value.asText();
    }

    private static JsonNode value(JsonNode op) {
        if (!op.has("value")) {
            throw ApiException.badRequest("a JSON patch operation needs a \"value\": " + op);
        }
        return op.get("value").deepCopy();
    }

    private static List<String> tokens(String pointer) {
        if (pointer.isEmpty()) {
            return List.of();
        }
        if (!pointer.startsWith("/")) {
            throw ApiException.badRequest("invalid JSON pointer " + pointer);
        }
        List<String> tokens = new ArrayList<>();
        for (String t : pointer.substring(1).split("/", -1)) {
            tokens.add(t.replace("~1", "/").replace("~0", "~"));
        }
        return tokens;
    }

    private static JsonNode get(JsonNode doc, String pointer) {
        JsonNode node = doc;
        for (String token : tokens(pointer)) {
            node = node.isArray() ? node.get(index(token, node.size() - 1)) : node.get(token);
            if (node == null) {
                throw ApiException.badRequest("the JSON patch path " + pointer + " does not exist");
            }
        }
        return node;
    }

    private static JsonNode add(JsonNode doc, String pointer, JsonNode value) {
        List<String> tokens = tokens(pointer);
        if (tokens.isEmpty()) {
            return value;
        }
        JsonNode parent = get(doc, parentOf(pointer));
        String last = tokens.getLast();
        if (parent instanceof ObjectNode object) {
            object.set(last, value);
        } else if (parent instanceof ArrayNode array) {
            if (last.equals("-")) {
                array.add(value);
            } else {
                array.insert(index(last, array.size()), value);
            }
        } else {
            throw ApiException.badRequest("the JSON patch path " + pointer + " has no container");
        }
        return doc;
    }

    private static JsonNode remove(JsonNode doc, String pointer) {
        List<String> tokens = tokens(pointer);
        if (tokens.isEmpty()) {
            throw ApiException.badRequest("a JSON patch may not remove the whole object");
        }
        JsonNode parent = get(doc, parentOf(pointer));
        String last = tokens.getLast();
        if (parent instanceof ObjectNode object && object.has(last)) {
            object.remove(last);
        } else if (parent instanceof ArrayNode array) {
            array.remove(index(last, array.size() - 1));
        } else {
            throw ApiException.badRequest("the JSON patch path " + pointer + " does not exist");
        }
        return doc;
    }

    private static String parentOf(String pointer) {
        return pointer.substring(0, pointer.lastIndexOf('/'));
    }

    private static int index(String token, int max) {
        try {
            int i = Integer.parseInt(token);
            if (i < 0 || i > max) {
                throw ApiException.badRequest("JSON patch index " + token + " is out of range");
            }
            return i;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("JSON patch index " + token + " is not a number");
        }
    }
}
