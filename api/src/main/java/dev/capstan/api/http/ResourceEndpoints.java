package dev.capstan.api.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.ApiException;
import dev.capstan.api.Json;
import dev.capstan.api.metrics.ApiMetrics;
import dev.capstan.api.openapi.OpenApiDocuments;
import dev.capstan.api.patch.Patches;
import dev.capstan.api.protobuf.ProtobufBodies;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.resources.ListOptions;
import dev.capstan.api.resources.Lister;
import dev.capstan.api.resources.NamespaceCleaner;
import dev.capstan.api.resources.ObjectPage;
import dev.capstan.api.resources.ResourceService;
import dev.capstan.api.resources.Subresources;
import dev.capstan.api.selection.FieldSelector;
import dev.capstan.api.selection.LabelSelector;
import dev.capstan.api.watch.WatchRequest;
import dev.capstan.api.watch.Watcher;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The verbs on one resource URL. */
final class ResourceEndpoints {
    private static final Set<String> BODY_TYPES = Set.of("application/json");

    private final ResourceService resources;
    private final Subresources subresources;
    private final Lister lister;
    private final OpenApiDocuments openApi;
    private final Watcher watcher;
    private final NamespaceCleaner namespaceCleaner;
    private final Duration maxWatch;
    private final Clock clock;
    private final ApiMetrics metrics;

    ResourceEndpoints(
            ResourceService resources,
            Lister lister,
            OpenApiDocuments openApi,
            Watcher watcher,
            NamespaceCleaner namespaceCleaner,
            Duration maxWatch,
            Clock clock,
            ApiMetrics metrics) {
        this.resources = resources;
        this.subresources = new Subresources(resources);
        this.lister = lister;
        this.openApi = openApi;
        this.watcher = watcher;
        this.namespaceCleaner = namespaceCleaner;
        this.maxWatch = maxWatch;
        this.clock = clock;
        this.metrics = metrics;
    }

    void handle(Exchange ex, ResourceType type, ResourcePath path) throws InterruptedException {
        String ns = path.namespace();
        if (ns != null && !type.namespaced()) {
            throw notFound();
        }
        if (path.name() == null) {
            collection(ex, type, ns);
        } else if (path.subresource() == null) {
            object(ex, type, ns, path.name());
        } else {
            subresource(ex, type, ns, path.name(), path.subresource());
        }
    }

    private void collection(Exchange ex, ResourceType type, String ns) throws InterruptedException {
        switch (ex.method()) {
            case "GET" -> {
                if (ex.flag("watch")) {
                    watch(ex, type, ns);
                } else {
                    list(ex, type, ns);
                }
            }
            case "POST" -> {
                requireNamespace(type, ns);
                ObjectNode created = resources.create(type, ns, body(ex, type), dryRun(ex));
                ex.json(201, created);
            }
            case "DELETE" -> deleteCollection(ex, type, ns);
            default ->
                throw ApiException.methodNotAllowed(
                        "the server does not allow this method on the requested" + " resource");
        }
    }

    private void object(Exchange ex, ResourceType type, String ns, String name) {
        requireNamespace(type, ns);
        switch (ex.method()) {
            case "GET" -> respond(ex, type, resources.get(type, ns, name));
            case "PUT" -> ex.json(200, resources.update(type, ns, name, body(ex, type)));
            case "PATCH" ->
                ex.json(
                        200,
                        resources.patch(
                                type,
                                ns,
                                name,
                                patchType(ex),
                                ex.body(),
                                false,
                                (before, after) -> checkPatched(ex, type, before, after)));
            case "DELETE" -> {
                ObjectNode options = ex.body().length == 0 ? null : Json.parseObject(ex.body());
                ObjectNode deleted = resources.delete(type, ns, name, options, dryRun(ex));
                if (type.kind().equals("Namespace") && type.group().isEmpty() && !dryRun(ex)) {
                    namespaceCleaner.cleanLater(name);
                }
                ex.json(200, deleted);
            }
            default ->
                throw ApiException.methodNotAllowed(
                        "the server does not allow this method on the requested" + " resource");
        }
    }

    private void subresource(Exchange ex, ResourceType type, String ns, String name, String sub) {
        requireNamespace(type, ns);
        if (!type.subresources().contains(sub)) {
            throw notFound();
        }
        String method = ex.method();
        switch (sub) {
            case "status" -> {
                switch (method) {
                    case "GET" -> ex.json(200, resources.get(type, ns, name));
                    case "PUT" -> ex.json(200, resources.updateStatus(type, ns, name, body(ex, type)));
                    case "PATCH" ->
                        ex.json(
                                200,
                                resources.patch(
                                        type,
                                        ns,
                                        name,
                                        patchType(ex),
                                        ex.body(),
                                        true,
                                        (before, after) -> checkPatched(ex, type, before, after)));
                    default -> throw ApiException.methodNotAllowed("status supports get, update and patch");
                }
            }
            case "scale" -> {
                switch (method) {
                    case "GET" -> ex.json(200, subresources.getScale(type, ns, name));
                    case "PUT" -> ex.json(200, subresources.updateScale(type, ns, name, body(ex, type)));
                    case "PATCH" -> ex.json(200, subresources.patchScale(type, ns, name, patchType(ex), ex.body()));
                    default -> throw ApiException.methodNotAllowed("scale supports get, update and patch");
                }
            }
            case "binding" -> {
                if (!method.equals("POST")) {
                    throw ApiException.methodNotAllowed("binding supports create");
                }
                subresources.bind(type, ns, name, body(ex, type));
                ex.json(
                        201,
                        Json.object()
                                .put("kind", "Status")
                                .put("apiVersion", "v1")
                                .put("status", "Success")
                                .put("code", 201));
            }
            case "finalize" -> {
                if (!method.equals("PUT")) {
                    throw ApiException.methodNotAllowed("finalize supports update");
                }
                ex.json(200, subresources.finalizeNamespace(type, name, body(ex, type)));
            }
            default -> throw notFound();
        }
    }

    private void list(Exchange ex, ResourceType type, String ns) {
        ObjectPage page = lister.page(type, ns, listOptions(ex, type));
        if (!Tables.wanted(ex.header("Accept"))) {
            ex.send(200, "application/json", listJson(type, page));
            return;
        }
        ObjectNode out = Tables.table(type, page.decoded().items(), true, clock.instant());
        ObjectNode meta = (ObjectNode) out.get("metadata");
        meta.put("resourceVersion", Long.toString(page.revision()));
        if (!page.continueToken().isEmpty()) {
            meta.put("continue", page.continueToken());
            if (page.remainingItemCount() != null) {
                meta.put("remainingItemCount", page.remainingItemCount());
            }
        }
        ex.send(200, Tables.CONTENT_TYPE, Json.bytes(out));
    }

    /** The list as JSON, its items' served bytes copied in as they are rather than decoded and encoded again. */
    private static byte[] listJson(ResourceType type, ObjectPage page) {
        ObjectNode head = Json.object().put("kind", type.kind() + "List").put("apiVersion", type.groupVersion());
        ObjectNode meta = head.putObject("metadata").put("resourceVersion", Long.toString(page.revision()));
        if (!page.continueToken().isEmpty()) {
            meta.put("continue", page.continueToken());
            if (page.remainingItemCount() != null) {
                meta.put("remainingItemCount", page.remainingItemCount());
            }
        }
        byte[] start = Json.bytes(head);
        var out = new ByteArrayOutputStream(start.length + 1024 * page.items().size());
        // Drop the head's closing brace and append the items array in its place.
        out.write(start, 0, start.length - 1);
        out.writeBytes(ITEMS);
        for (int i = 0; i < page.items().size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(page.items().get(i).json());
        }
        out.writeBytes(END_ITEMS);
        return out.toByteArray();
    }

    private static final byte[] ITEMS = ",\"items\":[".getBytes(StandardCharsets.UTF_8);
    private static final byte[] END_ITEMS = "]}".getBytes(StandardCharsets.UTF_8);

    private void watch(Exchange ex, ResourceType type, String ns) throws InterruptedException {
        ListOptions options = listOptions(ex, type);
        Duration timeout = maxWatch;
        if (!ex.param("timeoutSeconds").isEmpty()) {
            timeout = Duration.ofSeconds(Math.min(maxWatch.toSeconds(), parseInt(ex.param("timeoutSeconds"))));
        }
        boolean table = Tables.wanted(ex.header("Accept"));
        var request = new WatchRequest(
                type, ns, options, ex.flag("allowWatchBookmarks"), ex.flag("sendInitialEvents"), timeout);
        ex.startStream(table ? Tables.CONTENT_TYPE : "application/json");
        boolean[] first = {true};
        ApiMetrics.OpenWatch open = metrics.watchOpened();
        try {
            watcher.run(
                    request,
                    (eventType, object) -> {
                        if (!table
                                || !(eventType.equals("ADDED")
                                        || eventType.equals("MODIFIED")
                                        || eventType.equals("DELETED"))) {
                            return ex.writeLine(object.line(eventType));
                        }
                        // Only the first event carries the column definitions, as upstream sends them.
                        ObjectNode payload = Tables.table(type, List.of(object.tree()), first[0], clock.instant());
                        first[0] = false;
                        ObjectNode event = Json.object().put("type", eventType);
                        event.set("object", payload);
                        return ex.writeLine(Json.bytes(event));
                    },
                    ex::clientGone);
        } catch (ApiException e) {
            ObjectNode event = Json.object().put("type", "ERROR");
            event.set("object", e.status());
            ex.writeLine(Json.bytes(event));
        } finally {
            open.close();
            ex.endStream();
        }
    }

    private void deleteCollection(Exchange ex, ResourceType type, String ns) {
        ListOptions options = listOptions(ex, type);
        ListOptions all = new ListOptions(options.labels(), options.fields(), 0, "", "", "");
        ObjectNode body = ex.body().length == 0 ? null : Json.parseObject(ex.body());
        ObjectNode out = Json.object().put("kind", type.kind() + "List").put("apiVersion", type.groupVersion());
        out.putObject("metadata");
        ArrayNode items = out.putArray("items");
        for (ObjectNode item : lister.list(type, ns, all).items()) {
            String itemNs = item.path("metadata").path("namespace").asText(null);
            String name = item.path("metadata").path("name").asText();
            try {
                items.add(resources.delete(type, itemNs, name, body, dryRun(ex)));
            } catch (ApiException e) {
                if (e.code() != 404) {
                    throw e;
                }
            }
        }
        ex.json(200, out);
    }

    private static void respond(Exchange ex, ResourceType type, ObjectNode object) {
        if (Tables.wanted(ex.header("Accept"))) {
            ObjectNode table = Tables.table(type, List.of(object), true, java.time.Instant.now());
            ((ObjectNode) table.get("metadata"))
                    .put(
                            "resourceVersion",
                            object.path("metadata").path("resourceVersion").asText());
            ex.send(200, Tables.CONTENT_TYPE, Json.bytes(table));
        } else {
            ex.json(200, object);
        }
    }

    private static ListOptions listOptions(Exchange ex, ResourceType type) {
        int limit = ex.param("limit").isEmpty() ? 0 : parseInt(ex.param("limit"));
        if (limit < 0) {
            throw ApiException.badRequest("limit must not be negative");
        }
        return new ListOptions(
                LabelSelector.parse(ex.param("labelSelector")),
                FieldSelector.parse(ex.param("fieldSelector"), type),
                limit,
                ex.param("continue"),
                ex.param("resourceVersion"),
                ex.param("resourceVersionMatch"));
    }

    /**
     * The request body as Kubernetes JSON (decoded from protobuf when kubectl sent that), checked for fields the
     * kind does not have as {@code fieldValidation} asks: Strict rejects them, Warn (the default) warns.
     */
    private ObjectNode body(Exchange ex, ResourceType type) {
        String contentType = ex.contentType();
        ObjectNode object;
        if (contentType.equals(ProtobufBodies.MEDIA_TYPE)) {
            try {
                object = ProtobufBodies.decode(ex.body());
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("the protobuf body could not be decoded: " + e.getMessage());
            }
        } else if (BODY_TYPES.contains(contentType)) {
            object = Json.parseObject(ex.body());
        } else {
            throw new ApiException(
                    415,
                    "UnsupportedMediaType",
                    "the body of the request was in an unknown format - "
                            + "accepted media types include: application/json, application/vnd.kubernetes.protobuf (got "
                            + contentType + ")",
                    null);
        }
        checkFields(ex, type, object);
        return object;
    }

    private void checkFields(Exchange ex, ResourceType type, ObjectNode object) {
        String mode = fieldValidation(ex);
        // Bodies of subresources (Scale, Binding, DeleteOptions) are not the kind's own schema.
        String kind = object.path("kind").asText(type.kind());
        if (mode.equals("Ignore") || !kind.equals(type.kind())) {
            return;
        }
        report(ex, mode, openApi.unknownFields(type.group(), type.version(), type.kind(), object));
    }

    /** fieldValidation for a PATCH: the unknown fields the patch brings into the object it is applied to. */
    private void checkPatched(Exchange ex, ResourceType type, ObjectNode before, ObjectNode after) {
        String mode = fieldValidation(ex);
        if (mode.equals("Ignore")) {
            return;
        }
        List<String> unknown =
                new java.util.ArrayList<>(openApi.unknownFields(type.group(), type.version(), type.kind(), after));
        unknown.removeAll(openApi.unknownFields(type.group(), type.version(), type.kind(), before));
        report(ex, mode, unknown);
    }

    private static String fieldValidation(Exchange ex) {
        String mode = ex.param("fieldValidation");
        if (!mode.isEmpty() && !mode.equals("Ignore") && !mode.equals("Strict") && !mode.equals("Warn")) {
            throw ApiException.badRequest("fieldValidation: Unsupported value: \"" + mode
                    + "\": supported values: \"Ignore\", \"Strict\", \"Warn\"");
        }
        return mode;
    }

    /** Strict refuses the request; Warn (the default) answers it with a warning per field. */
    private static void report(Exchange ex, String mode, List<String> unknown) {
        if (unknown.isEmpty()) {
            return;
        }
        String list = unknown.stream().map(f -> "unknown field \"" + f + "\"").collect(Collectors.joining(", "));
        if (mode.equals("Strict")) {
            throw ApiException.badRequest("strict decoding error: " + list);
        }
        for (String field : unknown) {
            ex.request().response().headers().add("Warning", "299 - \"unknown field \\\"" + field + "\\\"\"");
        }
    }

    private static String patchType(Exchange ex) {
        String type = ex.contentType();
        if (!type.equals(Patches.JSON_PATCH)
                && !type.equals(Patches.MERGE_PATCH)
                && !type.equals(Patches.STRATEGIC_MERGE_PATCH)
                && !type.equals(Patches.APPLY_PATCH)) {
            throw new ApiException(
                    415,
                    "UnsupportedMediaType",
                    "the body of the request was in an unknown format - "
                            + "accepted media types include: application/json-patch+json, application/merge-patch+json",
                    null);
        }
        return type;
    }

    private static boolean dryRun(Exchange ex) {
        String dryRun = ex.param("dryRun");
        if (!dryRun.isEmpty() && !dryRun.equals("All")) {
            throw ApiException.badRequest("dryRun: Unsupported value: \"" + dryRun + "\": supported values: \"All\"");
        }
        return dryRun.equals("All");
    }

    private static void requireNamespace(ResourceType type, String ns) {
        if (type.namespaced() && ns == null) {
            throw notFound();
        }
    }

    static ApiException notFound() {
        return new ApiException(404, "NotFound", "the server could not find the requested resource", null);
    }

    private static int parseInt(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("\"" + value + "\" is not a number");
        }
    }
}
