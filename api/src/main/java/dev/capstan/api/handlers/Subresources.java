package dev.capstan.api.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.ApiException;
import dev.capstan.api.Json;
import dev.capstan.api.openapi.OpenApiDocuments;
import dev.capstan.api.openapi.OpenApiPatchSchema;
import dev.capstan.api.patch.PatchSchema;
import dev.capstan.api.patch.Patches;
import dev.capstan.api.registry.FinalizedByController;
import dev.capstan.api.registry.GenericStore;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.UpdateStrategy;
import dev.capstan.api.registry.core.PodBinding;
import dev.capstan.api.registry.core.PodEviction;
import dev.capstan.api.request.RequestContext;
import dev.capstan.api.validation.Cause;
import dev.capstan.model.labels.LabelSelector;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The {@code scale} subresource of workloads, pods' {@code binding} and namespaces' {@code finalize}, each as
 * upstream's REST storage for it implements it, through the generic store so that dry-run, admission and
 * compare-and-swap hold for them too.
 */
public final class Subresources {
    private final GenericStore store;
    private final BodyDecoder decoder;
    private final Clock clock;
    private final OpenApiDocuments openApi;

    public Subresources(GenericStore store, BodyDecoder decoder, OpenApiDocuments openApi, Clock clock) {
        this.store = store;
        this.decoder = decoder;
        this.clock = clock;
        this.openApi = openApi;
    }

    /** The autoscaling/v1 Scale of a workload. */
    public ObjectNode getScale(ResourceType type, String namespace, String name) {
        return scaleOf(store.get(type, namespace, name));
    }

    /** PUT of a Scale: the workload's spec.replicas changes through its own strategy, validated as a whole. */
    public ObjectNode updateScale(RequestContext ctx, ResourceType type, String namespace, String name, Body body) {
        ObjectNode scale = decoder.decodeOther(ctx, "autoscaling", "v1", "Scale", body);
        return scaleOf(updateReplicas(ctx, type, namespace, name, current -> scale));
    }

    /** PATCH of a Scale, applied to the workload's current Scale. */
    public ObjectNode patchScale(
            RequestContext ctx, ResourceType type, String namespace, String name, String patchType, byte[] patch) {
        return scaleOf(updateReplicas(ctx, type, namespace, name, current -> {
            ObjectNode patched = Patches.apply(patchType, scaleOf(current), patch, scaleSchema());
            decoder.decodePatched(ctx, "autoscaling", "v1", "Scale", patched);
            return patched;
        }));
    }

    /** Built on the first scale patch, not at start: finding Scale's schema generates OpenAPI documents. */
    private Optional<PatchSchema> scaleSchema() {
        return OpenApiPatchSchema.forKind(openApi, "autoscaling", "v1", "Scale");
    }

    private ObjectNode updateReplicas(
            RequestContext ctx,
            ResourceType type,
            String namespace,
            String name,
            java.util.function.UnaryOperator<ObjectNode> newScale) {
        return store.update(
                        ctx,
                        type,
                        type.strategy(),
                        "scale",
                        namespace,
                        name,
                        current -> {
                            if (current == null) {
                                throw ApiException.notFound(type, name);
                            }
                            ObjectNode scale = newScale.apply(current);
                            validateScale(name, scale);
                            ObjectNode scaleMeta = Json.metadata(scale);
                            String uid = scaleMeta.path("uid").asText("");
                            String currentUid =
                                    Json.metadata(current).path("uid").asText();
                            if (!uid.isEmpty() && !uid.equals(currentUid)) {
                                throw ApiException.uidPreconditionFailed(type, name, uid, currentUid);
                            }
                            current.withObjectProperty("spec")
                                    .put(
                                            "replicas",
                                            scale.path("spec").path("replicas").asInt());
                            // The Scale's resourceVersion, when it has one, makes the update conditional on it.
                            Json.metadata(current)
                                    .put(
                                            "resourceVersion",
                                            scaleMeta.path("resourceVersion").asText(""));
                            return current;
                        },
                        false)
                .object();
    }

    /** Upstream's ValidateScale: replicas must be a non-negative integer. */
    private static void validateScale(String name, ObjectNode scale) {
        JsonNode replicas = scale.path("spec").path("replicas");
        if (!replicas.isMissingNode()
                && !replicas.isNull()
                && (!replicas.isIntegralNumber() || replicas.asLong() < 0)) {
            throw ApiException.invalidKind(
                    "autoscaling",
                    "Scale",
                    name,
                    List.of(new Cause(
                            "FieldValueInvalid",
                            "Invalid value: " + replicas + ": must be greater than or equal to 0",
                            "spec.replicas")));
        }
    }

    /** POST {@code pods/NAME/binding}: as the pods' {@link PodBinding} decides it. */
    public ObjectNode bind(RequestContext ctx, ResourceType pods, String namespace, String name, Body body) {
        return PodBinding.bind(
                store, ctx, pods, namespace, name, decoder.decodeOther(ctx, "", "v1", "Binding", body), clock);
    }

    /** POST {@code pods/NAME/eviction}: as the pods' {@link PodEviction} decides it. */
    public ObjectNode evict(RequestContext ctx, ResourceType pods, String namespace, String name, Body body) {
        return PodEviction.evict(
                store, ctx, pods, namespace, name, decoder.decodeOther(ctx, "policy", "v1", "Eviction", body), clock);
    }

    /**
     * PUT {@code namespaces/NAME/finalize} (upstream's FinalizeREST): the namespace's spec.finalizers change; its
     * status stays. Emptying them lets a terminating namespace with no other finalizer go.
     */
    public ObjectNode finalizeNamespace(RequestContext ctx, ResourceType namespaces, String name, Body body) {
        ObjectNode object = decoder.decodeObject(ctx, namespaces, body);
        ResourceHandlers.checkName(name, object);
        if (!(namespaces.strategy() instanceof FinalizedByController controlled)) {
            throw ApiException.notFound(namespaces, name);
        }
        UpdateStrategy finalize = controlled.finalizeStrategy();
        return store.update(ctx, namespaces, finalize, "finalize", null, name, current -> object.deepCopy(), false)
                .object();
    }

    static ObjectNode scaleOf(ObjectNode object) {
        ObjectNode scale = Json.object().put("kind", "Scale").put("apiVersion", "autoscaling/v1");
        ObjectNode meta = scale.putObject("metadata");
        ObjectNode from = Json.metadata(object);
        for (String field : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
            if (from.has(field)) {
                meta.set(field, from.get(field));
            }
        }
        scale.putObject("spec")
                .put("replicas", object.path("spec").path("replicas").asInt(0));
        ObjectNode status = scale.putObject("status")
                .put("replicas", object.path("status").path("replicas").asInt(0));
        // Upstream: LabelSelectorAsSelector(spec.selector).String().
        status.put("selector", scaleSelector(object.path("spec").path("selector")));
        return scale;
    }

    private static String scaleSelector(JsonNode selector) {
        try {
            return LabelSelector.of(selector).toString();
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
