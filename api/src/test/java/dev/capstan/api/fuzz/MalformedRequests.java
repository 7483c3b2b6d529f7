package dev.capstan.api.fuzz;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Makes malformed requests against a few stored objects (the victims), each with at least one defect that upstream
 * refuses: bad encodings, selectors, list options, bodies, patches, media types and methods. A write among them may
 * at most be a no-op (as some malformed strategic merge patches are upstream); nothing may answer 5xx.
 */
final class MalformedRequests {
    /** One request; {@code write} when it would change something if the server accepted it. */
    record Request(String kind, String method, String target, Map<String, String> headers, byte[] body, boolean write) {
        @Override
        public String toString() {
            String shown = body == null ? "" : new String(body, 0, Math.min(body.length, 160), StandardCharsets.UTF_8);
            return kind + ": " + method + " " + target + " " + headers + " " + shown;
        }
    }

    /** A stored object and where it lives. */
    record Victim(String collection, String name, ObjectNode object) {
        String item() {
            return collection + "/" + name;
        }
    }

    private static final String JSON = "application/json";
    private static final String MERGE = "application/merge-patch+json";
    private static final String JSON_PATCH = "application/json-patch+json";
    private static final String STRATEGIC = "application/strategic-merge-patch+json";
    // Not among them, as upstream reads both as selecting everything: a label selector holding a NUL (its lexer's end
    // of input) and a field selector of empty terms (",").
    private static final List<String> BAD_SELECTORS = List.of(
            "a=b,",
            ",",
            "a in (",
            "a in (b",
            "!",
            "=b",
            "a==b==c",
            "(",
            "a notin b",
            "a,,b",
            "a=b,,c=d",
            "a in (b,)",
            "a=%zz",
            "a b",
            "x/y/z=1",
            "-a=b",
            "a=b)",
            "a in ()",
            "!!a");
    private static final List<String> BAD_FIELD_SELECTORS =
            List.of("metadata.name=a,", "=", "metadata.name", "a==b==c", "spec.unknownField=x", "metadata.name!");
    private static final List<String> BAD_VERSIONS =
            List.of("-1", "abc", "1.5", "99999999999999999999999", " ", "0x10", "1e3", "-0", "%00");
    private static final List<String> BAD_ENCODINGS = List.of("%zz", "%", "%g1", "%0", "%%", "%e0%80");

    private final Random random;
    private final String namespace;
    private final List<Victim> victims;

    MalformedRequests(long seed, String namespace, List<Victim> victims) {
        this.random = new Random(seed);
        this.namespace = namespace;
        this.victims = victims;
    }

    Request next() {
        Victim v = victims.get(random.nextInt(victims.size()));
        return switch (random.nextInt(9)) {
            case 0 -> badEncoding(v);
            case 1 -> badSelector(v);
            case 2 -> badListOption(v);
            case 3, 4 -> badBody(v);
            case 5 -> badPatch(v);
            case 6 -> badMediaType(v);
            case 7 -> badMethodOrDelete(v);
            default -> garbageBody(v);
        };
    }

    private Request badEncoding(Victim v) {
        String bad = pick(BAD_ENCODINGS);
        String target = switch (random.nextInt(4)) {
            case 0 ->
                v.collection() + "/" + v.name().substring(0, 1) + bad + v.name().substring(1);
            case 1 -> v.collection().replace(namespace, namespace + bad) + "/" + v.name();
            case 2 -> v.collection() + "?labelSelector=a" + bad;
            default -> v.collection() + "?continue=" + bad + "&limit=1";
        };
        String method = pick(List.of("GET", "DELETE", "PUT", "PATCH"));
        byte[] body = method.equals("GET") || method.equals("DELETE") ? null : Json.bytes(v.object());
        String type = method.equals("PATCH") ? MERGE : JSON;
        return new Request("encoding", method, target, Map.of("Content-Type", type), body, !method.equals("GET"));
    }

    private Request badSelector(Victim v) {
        boolean field = random.nextBoolean();
        String selector = field ? pick(BAD_FIELD_SELECTORS) : pick(BAD_SELECTORS);
        String query = (field ? "fieldSelector=" : "labelSelector=") + encode(selector);
        String method = "GET";
        if (random.nextInt(4) == 0) {
            query += "&watch=true&timeoutSeconds=1";
        } else if (random.nextInt(4) == 0) {
            method = "DELETE"; // deletecollection with a bad selector must delete nothing
        }
        // Should one of these selectors be valid after all, a deletecollection may answer 200 as long as it matched
        // no victim: the write check looks at what is stored.
        return new Request("selector", method, v.collection() + "?" + query, Map.of(), null, method.equals("DELETE"));
    }

    private Request badListOption(Victim v) {
        String query = switch (random.nextInt(8)) {
            case 0 -> "limit=" + pick(List.of("abc", "1.5", "99999999999999999999999", "%00", "0x10"));
            case 1 -> "limit=1&continue=" + encode(badContinue());
            case 2 -> "resourceVersion=" + encode(pick(BAD_VERSIONS));
            case 3 -> "resourceVersionMatch=" + pick(List.of("Bogus", "Exact", "NotOlderThan&resourceVersion=abc"));
            case 4 -> "watch=true&resourceVersion=" + encode(pick(BAD_VERSIONS)) + "&timeoutSeconds=1";
            case 5 -> "watch=true&timeoutSeconds=" + pick(List.of("abc", "-5", "1.5", "99999999999999999999"));
            case 6 -> "watch=true&timeoutSeconds=1&sendInitialEvents=" + pick(List.of("true", "maybe", "1"));
            default -> "watch=" + pick(List.of("maybe", "2", "%zz")) + "&timeoutSeconds=1";
        };
        return new Request("list options", "GET", v.collection() + "?" + query, Map.of(), null, false);
    }

    private String badContinue() {
        return switch (random.nextInt(5)) {
            case 0 -> "\u0000";
            case 1 -> base64("{\"v\":\"meta.k8s.io/v1\",\"rv\":1,\"start\":\"\u0000\"}");
            case 2 -> base64("{\"v\":\"bogus\",\"rv\":-5}");
            case 3 -> base64(randomText(1 + random.nextInt(40)));
            default -> randomText(1 + random.nextInt(40));
        };
    }

    /** A write whose body is the victim with one field of the wrong type or meaning. */
    private Request badBody(Victim v) {
        ObjectNode body = v.object().deepCopy();
        ObjectNode meta = (ObjectNode) body.get("metadata");
        String defect;
        switch (random.nextInt(12)) {
            case 0 -> {
                meta.putObject("labels").put("a", 5);
                defect = "label value a number";
            }
            case 1 -> {
                meta.putObject("annotations").put("a", true);
                defect = "annotation value a boolean";
            }
            case 2 -> {
                meta.put("finalizers", "x");
                defect = "finalizers a string";
            }
            case 3 -> {
                body.putArray("kind");
                defect = "kind an array";
            }
            case 4 -> {
                body.put("kind", "Binding");
                defect = "kind of another type";
            }
            case 5 -> {
                body.put("apiVersion", "apps/v2");
                defect = "apiVersion of no such group version";
            }
            case 6 -> {
                meta.put("resourceVersion", pick(BAD_VERSIONS));
                defect = "resourceVersion that is no revision";
            }
            case 7 -> {
                meta.put("namespace", "kube-system");
                defect = "namespace other than the path's";
            }
            case 8 -> {
                meta.put("name", 5);
                defect = "name a number";
            }
            case 9 -> {
                body.put("metadata", "x");
                defect = "metadata a string";
            }
            case 10 -> {
                typeSpecific(body);
                defect = "a field of the kind with the wrong type";
            }
            default -> {
                body.putObject("unknownTopLevel").put("x", 1);
                defect = "unknown field under Strict";
            }
        }
        // A create ignores a resourceVersion that does not parse, as upstream does: that defect is for updates.
        boolean put = defect.startsWith("resourceVersion") || random.nextBoolean();
        String target = (put ? v.item() : v.collection()) + "?fieldValidation=Strict";
        return new Request(
                "body: " + defect, put ? "PUT" : "POST", target, Map.of("Content-Type", JSON), Json.bytes(body), true);
    }

    private void typeSpecific(ObjectNode body) {
        String kind = body.path("kind").asText();
        switch (kind) {
            case "ConfigMap" -> body.putObject("data").put("a", 1);
            case "Secret" -> body.putObject("data").put("a", "not base64!");
            case "Deployment" ->
                ((ObjectNode) body.get("spec")).put("replicas", random.nextBoolean() ? "three" : "1e999999");
            case "Service" -> ((ObjectNode) body.get("spec")).put("ports", "x");
            default -> ((ObjectNode) body.get("spec")).putObject("containers");
        }
    }

    private Request badPatch(Victim v) {
        return switch (random.nextInt(8)) {
            case 0 -> patch(v, JSON_PATCH, "too many operations", manyOperations(10_001));
            case 1 -> patch(v, JSON_PATCH, "amplifying copies", amplifyingCopies(24 + random.nextInt(8)));
            case 2 ->
                patch(
                        v,
                        JSON_PATCH,
                        "unknown op",
                        "[{\"op\":\"" + pick(List.of("bogus", "", "REPLACE")) + "\",\"path\":\"/metadata/labels\"}]");
            case 3 ->
                patch(
                        v,
                        JSON_PATCH,
                        "wrong type by replace",
                        "[{\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":{\"a\":"
                                + pick(List.of("5", "[]", "true")) + "}}]");
            case 4 ->
                patch(
                        v,
                        MERGE,
                        "merge to a wrong type",
                        pick(List.of(
                                "{\"metadata\":{\"labels\":{\"a\":5}}}",
                                "{\"metadata\":{\"finalizers\":\"x\"}}",
                                "{\"kind\":[]}",
                                "{\"metadata\":{\"namespace\":\"other\"}}",
                                "{\"metadata\":{\"resourceVersion\":\"-1\"}}")));
            case 5 ->
                patch(
                        v,
                        STRATEGIC,
                        "bad directive",
                        pick(List.of(
                                "{\"$patch\":\"bogus\"}",
                                "{\"metadata\":{\"$patch\":\"replace\",\"labels\":5}}",
                                "{\"metadata\":{\"labels\":{\"$patch\":\"bogus\"}}}",
                                "{\"metadata\":{\"$deleteFromPrimitiveList/finalizers\":\"x\"}}")));
            case 6 -> patch(v, pick(List.of(MERGE, STRATEGIC)), "deep nesting", deepNesting());
            default ->
                patch(v, JSON_PATCH, "not a list of operations", pick(List.of("{}", "5", "[5]", "[[]]", "\"x\"")));
        };
    }

    private Request patch(Victim v, String type, String defect, String body) {
        return new Request(
                "patch: " + defect,
                "PATCH",
                v.item() + "?fieldValidation=Strict",
                Map.of("Content-Type", type),
                body.getBytes(StandardCharsets.UTF_8),
                true);
    }

    private static String manyOperations(int count) {
        ArrayNode ops = Json.MAPPER.createArrayNode();
        for (int i = 0; i < count; i++) {
            ops.addObject()
                    .put("op", "add")
                    .put("path", "/metadata/labels/k" + (i % 50))
                    .put("value", "v");
        }
        return ops.toString();
    }

    /** Each copy doubles a subtree; two dozen would need gigabytes. */
    private static String amplifyingCopies(int count) {
        StringBuilder ops = new StringBuilder("[{\"op\":\"add\",\"path\":\"/metadata/annotations\",\"value\":{\"a\":"
                + "\"0123456789012345678901234567890123456789\"}}");
        ops.append(",{\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":{}}");
        for (int i = 0; i < count; i++) {
            ops.append(",{\"op\":\"copy\",\"from\":\"/metadata/annotations\",\"path\":\"/metadata/annotations/c")
                    .append(i)
                    .append("\"}");
        }
        return ops.append(']').toString();
    }

    private String deepNesting() {
        int depth = 1_000 + random.nextInt(200_000);
        boolean arrays = random.nextBoolean();
        StringBuilder s = new StringBuilder("{\"metadata\":{\"labels\":");
        s.append((arrays ? "[" : "{\"a\":").repeat(depth));
        return s.toString(); // never closed either: refused before the end is reached, or as malformed
    }

    private Request badMediaType(Victim v) {
        String type = pick(List.of(
                "text/plain",
                "application/xml",
                "application/x-www-form-urlencoded",
                "application/apply-patch+yaml",
                "application/vnd.kubernetes.protobuf",
                "garbage",
                ";;;"));
        boolean patch = random.nextBoolean();
        byte[] body = type.contains("protobuf") ? randomBytes(64) : Json.bytes(v.object());
        var headers = new LinkedHashMap<String, String>();
        headers.put("Content-Type", type);
        if (random.nextInt(3) == 0) {
            headers.put("Accept", pick(List.of("application/xml", "text/html", "application/json;q=0")));
        }
        return new Request(
                "media type", patch ? "PATCH" : "POST", patch ? v.item() : v.collection(), headers, body, true);
    }

    private Request badMethodOrDelete(Victim v) {
        return switch (random.nextInt(6)) {
            case 0 ->
                new Request(
                        "method", "PUT", v.collection(), Map.of("Content-Type", JSON), Json.bytes(v.object()), true);
            case 1 ->
                new Request("method", "POST", v.item(), Map.of("Content-Type", JSON), Json.bytes(v.object()), true);
            case 2 -> new Request("method", pick(List.of("TRACE", "CONNECT", "FOO")), v.item(), Map.of(), null, true);
            case 3 -> delete(v, "{\"propagationPolicy\":\"" + pick(List.of("Bogus", "", "orphan")) + "\"}");
            case 4 -> delete(v, pick(List.of("{\"gracePeriodSeconds\":\"x\"}", "{\"dryRun\":[\"Bogus\"]}", "[]", "{")));
            default ->
                new Request(
                        "delete options",
                        "DELETE",
                        v.item() + "?"
                                + pick(List.of("dryRun=Bogus", "gracePeriodSeconds=abc", "propagationPolicy=Bogus")),
                        Map.of(),
                        null,
                        true);
        };
    }

    private Request delete(Victim v, String options) {
        return new Request(
                "delete options",
                "DELETE",
                v.item(),
                Map.of("Content-Type", JSON),
                options.getBytes(StandardCharsets.UTF_8),
                true);
    }

    private Request garbageBody(Victim v) {
        byte[] valid = Json.bytes(v.object());
        Function<Integer, byte[]> truncated = n -> java.util.Arrays.copyOf(valid, n);
        byte[] body = switch (random.nextInt(4)) {
            case 0 -> truncated.apply(1 + random.nextInt(valid.length - 1));
            case 1 -> randomBytes(1 + random.nextInt(256));
            case 2 ->
                ("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"n\"},\"data\":{\"a\":"
                                + pick(List.of(
                                        "1e999999", "-1e999999", "123456789012345678901234567890", "NaN", "0x10"))
                                + "}}")
                        .getBytes(StandardCharsets.UTF_8);
            default -> ("\"" + randomText(20) + "\"").getBytes(StandardCharsets.UTF_8);
        };
        boolean put = random.nextBoolean();
        return new Request(
                "garbage body",
                put ? "PUT" : "POST",
                put ? v.item() : v.collection(),
                Map.of("Content-Type", JSON),
                body,
                true);
    }

    private String pick(List<String> options) {
        return options.get(random.nextInt(options.size()));
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    private String randomText(int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append((char) (random.nextInt(0x250)));
        }
        return s.toString();
    }

    private static String base64(String s) {
        return java.util.Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Percent-encodes a query value; malformed escapes inside it are the point and stay as they are. */
    private static String encode(String value) {
        StringBuilder s = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean plain = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || "-._~%".indexOf(c) >= 0;
            s.append(plain ? String.valueOf((char) c) : String.format("%%%02X", c));
        }
        return s.toString();
    }
}
