package dev.capstan.api.handlers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.ApiException;
import dev.capstan.api.Json;
import dev.capstan.api.openapi.OpenApiDocuments;
import dev.capstan.api.openapi.OpenApiPatchSchema;
import dev.capstan.api.patch.Patches;
import dev.capstan.api.registry.GenericStore;
import dev.capstan.api.registry.GenericStore.DeleteResult;
import dev.capstan.api.registry.GenericStore.UpdateResult;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.StatusStrategy;
import dev.capstan.api.registry.UpdateStrategy;
import dev.capstan.api.request.DeleteOptions;
import dev.capstan.api.request.RequestContext;
import dev.capstan.api.request.WriteOptions;
import dev.capstan.api.resources.ListOptions;
import dev.capstan.api.resources.Lister;
import dev.capstan.api.resources.ObjectPage;
import java.util.function.UnaryOperator;

/**
 * The verbs on a resource and its {@code status} subresource, after authentication and authorization: decode the
 * body, then the generic store (which runs admission, the kind's strategy and storage). The {@code scale},
 * {@code binding} and {@code finalize} subresources are in {@link Subresources}.
 */
public final class ResourceHandlers {
    private final GenericStore store;
    private final Lister lister;
    private final BodyDecoder decoder;
    private final OpenApiDocuments openApi;

    public ResourceHandlers(GenericStore store, Lister lister, BodyDecoder decoder, OpenApiDocuments openApi) {
        this.store = store;
        this.lister = lister;
        this.decoder = decoder;
        this.openApi = openApi;
    }

    public ObjectNode get(ResourceType type, String namespace, String name) {
        return store.get(type, namespace, name);
    }

    public ObjectPage list(ResourceType type, String namespace, ListOptions options) {
        return lister.page(type, namespace, options);
    }

    /** POST: creates the object, answered with 201. */
    public ObjectNode create(RequestContext ctx, ResourceType type, String namespace, Body body) {
        ObjectNode object = decoder.decodeObject(ctx, type, body);
        return store.create(ctx, type, namespace, object);
    }

    /** PUT of the object (or of its {@code status}): replaces it; answered 201 when it created it. */
    public UpdateResult update(
            RequestContext ctx, ResourceType type, String namespace, String name, String subresource, Body body) {
        ObjectNode object = decoder.decodeObject(ctx, type, body);
        checkName(name, object);
        return store.update(
                ctx, type, rules(type, subresource), subresource, namespace, name, current -> object.deepCopy(), false);
    }

    /** PATCH of the object (or of its {@code status}) in any of the patch formats. */
    public ObjectNode patch(
            RequestContext ctx,
            ResourceType type,
            String namespace,
            String name,
            String subresource,
            String patchType,
            byte[] patch) {
        UnaryOperator<ObjectNode> apply = current -> {
            if (current == null) {
                throw ApiException.notFound(type, name);
            }
            ObjectNode patched = Patches.apply(
                    patchType,
                    current,
                    patch,
                    OpenApiPatchSchema.forKind(openApi, type.group(), type.version(), type.kind()));
            decoder.decodePatched(ctx, type.group(), type.version(), type.kind(), patched);
            checkName(name, patched);
            return patched;
        };
        return store.update(ctx, type, rules(type, subresource), subresource, namespace, name, apply, false)
                .object();
    }

    /** DELETE of one object. */
    public DeleteResult delete(
            RequestContext ctx, ResourceType type, String namespace, String name, DeleteOptions options) {
        return store.delete(withDryRun(ctx, options), type, namespace, name, options);
    }

    /**
     * DELETE of a collection: every object the selectors match (on the page limit and continue select) is deleted
     * as one DELETE would; answers the list as it was before, as upstream does.
     */
    public ObjectNode deleteCollection(
            RequestContext ctx, ResourceType type, String namespace, ListOptions selection, DeleteOptions options) {
        if (!type.collectionDelete()) {
            throw ApiException.methodNotAllowed();
        }
        // Upstream lists with the request's own options, so limit and continue select the page deleted and a bad
        // continue token fails the request before anything is deleted.
        ObjectPage page = lister.page(type, namespace, selection);
        ObjectNode out = Json.object().put("kind", type.kind() + "List").put("apiVersion", type.groupVersion());
        out.putObject("metadata").put("resourceVersion", Long.toString(page.revision()));
        ArrayNode items = out.putArray("items");
        RequestContext context = withDryRun(ctx, options);
        for (ObjectNode item : page.decoded().items()) {
            String itemNamespace = item.path("metadata").path("namespace").asText(null);
            String itemName = item.path("metadata").path("name").asText();
            try {
                store.delete(context, type, itemNamespace, itemName, options);
                items.add(item);
            } catch (ApiException e) {
                if (e.code() != 404) {
                    throw e;
                }
            }
        }
        return out;
    }

    private static RequestContext withDryRun(RequestContext ctx, DeleteOptions options) {
        if (!options.isDryRun() || ctx.dryRun()) {
            return ctx;
        }
        WriteOptions o = ctx.options();
        return ctx.withOptions(new WriteOptions(true, o.fieldManager(), o.fieldValidation()));
    }

    /** The update rules of the main resource or of one of its subresources. */
    static UpdateStrategy rules(ResourceType type, String subresource) {
        if (subresource.isEmpty()) {
            return type.strategy();
        }
        StatusStrategy status = type.strategy().status();
        if (subresource.equals("status") && status != null) {
            return status;
        }
        throw ApiException.notFound(type, subresource);
    }

    /** Upstream's checkName: a body that names another object than the URL is a 400. */
    static void checkName(String name, ObjectNode body) {
        ObjectNode meta = Json.metadata(body);
        String bodyName = meta.path("name").asText("");
        if (!bodyName.isEmpty() && !bodyName.equals(name)) {
            throw ApiException.badRequest(
                    "the name of the object (" + bodyName + ") does not match the name on the URL (" + name + ")");
        }
        meta.put("name", name);
    }
}
