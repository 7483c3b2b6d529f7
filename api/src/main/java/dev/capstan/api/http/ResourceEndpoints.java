package dev.capstan.api.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.ApiException;
import dev.capstan.api.Json;
import dev.capstan.api.handlers.Body;
import dev.capstan.api.handlers.BodyDecoder;
import dev.capstan.api.handlers.RequestPipeline;
import dev.capstan.api.handlers.ResourceHandlers;
import dev.capstan.api.handlers.Subresources;
import dev.capstan.api.metrics.ApiMetrics;
import dev.capstan.api.patch.Patches;
import dev.capstan.api.registry.GenericStore.DeleteResult;
import dev.capstan.api.registry.GenericStore.UpdateResult;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.request.DeleteOptions;
import dev.capstan.api.request.RequestContext;
import dev.capstan.api.request.RequestInfo;
import dev.capstan.api.request.UserInfo;
import dev.capstan.api.request.Verb;
import dev.capstan.api.request.WriteOptions;
import dev.capstan.api.resources.ListOptions;
import dev.capstan.api.resources.ListOptionsValidation;
import dev.capstan.api.resources.ObjectPage;
import dev.capstan.api.watch.WatchRequest;
import dev.capstan.api.watch.Watcher;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The REST face of the resource verbs: turns an HTTP request on a resource URL into its verb and options,
 * authorizes it, and answers what the handlers return with upstream's status codes and media types.
 */
final class ResourceEndpoints {
    private final RequestPipeline pipeline;
    private final ResourceHandlers handlers;
    private final Subresources subresources;
    private final Watcher watcher;
    private final Duration maxWatch;
    private final Clock clock;
    private final ApiMetrics metrics;
    private final KubeletProxy kubelets;

    ResourceEndpoints(
            RequestPipeline pipeline,
            ResourceHandlers handlers,
            Subresources subresources,
            Watcher watcher,
            Duration maxWatch,
            Clock clock,
            ApiMetrics metrics,
            KubeletProxy kubelets) {
        this.pipeline = pipeline;
        this.kubelets = kubelets;
        this.handlers = handlers;
        this.subresources = subresources;
        this.watcher = watcher;
        this.maxWatch = maxWatch;
        this.clock = clock;
        this.metrics = metrics;
    }

    void handle(Exchange ex, UserInfo user, ResourceType type, ResourcePath path) throws InterruptedException {
        String ns = path.namespace();
        if (ns != null && !type.namespaced()) {
            throw notFound();
        }
        if (path.subresource() != null && !type.subresources().contains(path.subresource())) {
            throw notFound();
        }
        if (path.name() != null && type.namespaced() && ns == null) {
            throw notFound();
        }
        Verb verb = verb(ex, path);
        RequestInfo info = RequestInfo.resource(
                ex.request().path(),
                verb,
                type.group(),
                type.version(),
                type.plural(),
                path.subresource(),
                ns,
                path.name());
        RequestContext ctx = pipeline.authorize(user, info, writeOptions(ex, verb));
        ex.warningsOf(ctx::warnings);
        if (path.name() == null) {
            collection(ex, ctx, verb, type, ns);
        } else if (path.subresource() == null || path.subresource().equals("status")) {
            object(ex, ctx, verb, type, ns, path.name(), path.subresource() == null ? "" : path.subresource());
        } else {
            subresource(ex, ctx, verb, type, ns, path.name(), path.subresource());
        }
    }

    /** The Kubernetes verb of an HTTP request, as upstream's RequestInfoFactory derives it. */
    private static Verb verb(Exchange ex, ResourcePath path) {
        boolean collection = path.name() == null;
        return switch (ex.method()) {
            case "GET", "HEAD" -> collection ? (ex.flag("watch") ? Verb.WATCH : Verb.LIST) : Verb.GET;
            case "POST" -> Verb.CREATE;
            case "PUT" -> Verb.UPDATE;
            case "PATCH" -> Verb.PATCH;
            case "DELETE" -> collection ? Verb.DELETECOLLECTION : Verb.DELETE;
            default -> throw ApiException.methodNotAllowed();
        };
    }

    /** A write's dryRun, fieldManager and fieldValidation; reads have none. */
    private static WriteOptions writeOptions(Exchange ex, Verb verb) {
        String kind = switch (verb) {
            case CREATE -> "CreateOptions";
            case UPDATE -> "UpdateOptions";
            case PATCH -> "PatchOptions";
            case DELETE, DELETECOLLECTION -> "DeleteOptions";
            default -> null;
        };
        if (kind == null) {
            return WriteOptions.DEFAULT;
        }
        return WriteOptions.parse(ex.params("dryRun"), ex.param("fieldManager"), ex.param("fieldValidation"), kind);
    }

    private void collection(Exchange ex, RequestContext ctx, Verb verb, ResourceType type, String ns)
            throws InterruptedException {
        switch (verb) {
            case LIST -> list(ex, type, ns);
            case WATCH -> watch(ex, type, ns);
            case CREATE -> {
                if (type.namespaced() && ns == null) {
                    throw notFound();
                }
                ex.json(201, handlers.create(ctx, type, ns, body(ex)));
            }
            case DELETECOLLECTION ->
                ex.json(200, handlers.deleteCollection(ctx, type, ns, listOptions(ex, type), deleteOptions(ex)));
            default -> throw ApiException.methodNotAllowed();
        }
    }

    private void object(
            Exchange ex, RequestContext ctx, Verb verb, ResourceType type, String ns, String name, String sub) {
        switch (verb) {
            case GET -> respond(ex, type, handlers.get(type, ns, name));
            case UPDATE -> {
                UpdateResult result = handlers.update(ctx, type, ns, name, sub, body(ex));
                ex.json(result.created() ? 201 : 200, result.object());
            }
            case PATCH -> ex.json(200, handlers.patch(ctx, type, ns, name, sub, patchType(ex), ex.body()));
            case DELETE -> {
                if (!sub.isEmpty()) {
                    throw ApiException.methodNotAllowed("status supports get, update and patch");
                }
                DeleteResult result = handlers.delete(ctx, type, ns, name, deleteOptions(ex));
                ex.json(200, result.body());
            }
            default -> throw ApiException.methodNotAllowed();
        }
    }

    private void subresource(
            Exchange ex, RequestContext ctx, Verb verb, ResourceType type, String ns, String name, String sub)
            throws InterruptedException {
        switch (sub) {
            case "log" -> {
                if (verb != Verb.GET) {
                    throw ApiException.methodNotAllowed("log supports get");
                }
                kubelets.log(ex, type, ns, name);
            }
            case "exec", "attach", "portforward" -> {
                // kubectl upgrades with GET; upstream also takes POST (SPDY clients), which has no upgrade here
                if (verb != Verb.GET && verb != Verb.CREATE) {
                    throw ApiException.methodNotAllowed(sub + " supports get and create");
                }
                kubelets.stream(ex, type, ns, name, sub);
            }
            case "scale" -> {
                switch (verb) {
                    case GET -> ex.json(200, subresources.getScale(type, ns, name));
                    case UPDATE -> ex.json(200, subresources.updateScale(ctx, type, ns, name, body(ex)));
                    case PATCH -> ex.json(200, subresources.patchScale(ctx, type, ns, name, patchType(ex), ex.body()));
                    default -> throw ApiException.methodNotAllowed("scale supports get, update and patch");
                }
            }
            case "binding" -> {
                if (verb != Verb.CREATE) {
                    throw ApiException.methodNotAllowed("binding supports create");
                }
                ex.json(201, subresources.bind(ctx, type, ns, name, body(ex)));
            }
            case "eviction" -> {
                if (verb != Verb.CREATE) {
                    throw ApiException.methodNotAllowed("eviction supports create");
                }
                ex.json(201, subresources.evict(ctx, type, ns, name, body(ex)));
            }
            case "finalize" -> {
                if (verb != Verb.UPDATE) {
                    throw ApiException.methodNotAllowed("finalize supports update");
                }
                ex.json(200, subresources.finalizeNamespace(ctx, type, name, body(ex)));
            }
            default -> throw notFound();
        }
    }

    private void list(Exchange ex, ResourceType type, String ns) {
        ObjectPage page = handlers.list(type, ns, listOptions(ex, type));
        if (!Tables.wanted(ex.header("Accept"))) {
            ex.send(200, "application/json", listJson(type, page));
            return;
        }
        ObjectNode out = Tables.table(type, page.decoded().items(), true, clock.instant(), include(ex));
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
        Tables.Include include = table ? include(ex) : Tables.Include.NONE;
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
                        ObjectNode payload =
                                Tables.table(type, List.of(object.tree()), first[0], clock.instant(), include);
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

    private static Tables.Include include(Exchange ex) {
        return Tables.Include.of(ex.param("includeObject"));
    }

    private void respond(Exchange ex, ResourceType type, ObjectNode object) {
        if (Tables.wanted(ex.header("Accept"))) {
            ObjectNode table = Tables.table(type, List.of(object), true, clock.instant(), include(ex));
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
        ListOptionsValidation.validate(
                ex.flag("watch"),
                ex.param("resourceVersion"),
                ex.param("resourceVersionMatch"),
                ex.param("continue"),
                !ex.params("sendInitialEvents").isEmpty());
        // An int64 upstream; more than a page can hold reads as everything.
        int limit = ex.param("limit").isEmpty() ? 0 : (int) Math.min(Integer.MAX_VALUE, parseLong(ex.param("limit")));
        return ListOptions.parse(
                type,
                ex.param("labelSelector"),
                ex.param("fieldSelector"),
                limit,
                ex.param("continue"),
                ex.param("resourceVersion"),
                ex.param("resourceVersionMatch"));
    }

    /**
     * DeleteOptions from the body when there is one, else from the query, as upstream's delete handler reads them;
     * a {@code dryRun} in the query counts either way.
     */
    private static DeleteOptions deleteOptions(Exchange ex) {
        DeleteOptions options = ex.body().length == 0
                ? DeleteOptions.fromQuery(ex::param, ex.params("dryRun"))
                : DeleteOptions.fromBody(BodyDecoder.decodeOptions(body(ex)));
        if (!options.isDryRun() && !ex.params("dryRun").isEmpty()) {
            options = new DeleteOptions(
                    options.gracePeriodSeconds(),
                    options.propagationPolicy(),
                    options.orphanDependents(),
                    ex.params("dryRun"),
                    options.preconditionUid(),
                    options.preconditionResourceVersion());
        }
        return options.validated();
    }

    /** The request body as it came, with the media type it was sent as ("" when it named none). */
    private static Body body(Exchange ex) {
        String header = ex.header("Content-Type");
        return new Body(ex.body(), header.isEmpty() ? "" : ex.contentType());
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
                    "the body of the request was in an unknown format - accepted media types include:"
                            + " application/json-patch+json, application/merge-patch+json,"
                            + " application/apply-patch+yaml, application/strategic-merge-patch+json",
                    null);
        }
        return type;
    }

    /**
     * No such path (a resource, subresource or group this server does not serve). The details are empty but present,
     * as upstream's: kubectl tells a missing route from a missing object by their empty name (kubectl debug, for one,
     * reads {@code details.name} of this answer and stops with a nil dereference when there are no details).
     */
    static ApiException notFound() {
        return new ApiException(404, "NotFound", "the server could not find the requested resource", Json.object());
    }

    private static long parseLong(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("\"" + value + "\" is not a number");
        }
    }

    private static int parseInt(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("\"" + value + "\" is not a number");
        }
    }
}
