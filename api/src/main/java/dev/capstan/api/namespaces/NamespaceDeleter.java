package dev.capstan.api.namespaces;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.ApiException;
import dev.capstan.api.Json;
import dev.capstan.api.registry.FinalizedByController;
import dev.capstan.api.registry.GenericStore;
import dev.capstan.api.registry.ObjectMetaRules;
import dev.capstan.api.registry.ResourceRegistry;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.request.DeleteOptions;
import dev.capstan.api.request.RequestContext;
import dev.capstan.api.storage.ObjectStorage;
import dev.capstan.store.KeyValue;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One pass of upstream's namespace deletion (pkg/controller/namespace/deletion): every object in a terminating
 * namespace is deleted through the generic store, as any client's delete would be — finalizers hold objects,
 * pods on a node get their grace period, Services free their addresses. While anything remains the namespace's
 * status conditions say what; once it is empty the namespace's {@code kubernetes} finalizer is cleared through
 * {@code finalize}, and the namespace goes unless metadata finalizers still hold it.
 */
public final class NamespaceDeleter {
    /** The outcome of a pass: done, or try again (objects remain). */
    public enum Outcome {
        DONE,
        CONTENT_REMAINS
    }

    private final ResourceRegistry registry;
    private final GenericStore store;
    private final ResourceType namespaces;
    private final RequestContext context;
    private final Clock clock;

    public NamespaceDeleter(
            ResourceRegistry registry,
            GenericStore store,
            ResourceType namespaces,
            RequestContext context,
            Clock clock) {
        this.registry = registry;
        this.store = store;
        this.namespaces = namespaces;
        this.context = context;
        this.clock = clock;
    }

    public Outcome sync(String namespace) {
        ObjectNode ns;
        try {
            ns = store.get(namespaces, null, namespace);
        } catch (ApiException e) {
            if (e.code() == 404) {
                return Outcome.DONE;
            }
            throw e;
        }
        if (!ObjectMetaRules.isBeingDeleted(ns) || !hasOurFinalizer(ns)) {
            return Outcome.DONE;
        }
        Map<String, Integer> remainingByResource = new TreeMap<>();
        Map<String, Integer> remainingByFinalizer = new TreeMap<>();
        ObjectStorage storage = store.storage();
        DeleteOptions background = DeleteOptions.NONE.withPropagation(DeleteOptions.BACKGROUND);
        for (ResourceType type : registry.storageVersions()) {
            if (!type.namespaced()) {
                continue;
            }
            for (KeyValue kv : storage.list(type, namespace, 0, 0, "").items()) {
                ObjectNode object = storage.decode(type, kv).object();
                String name = ObjectMetaRules.name(object);
                if (!ObjectMetaRules.isBeingDeleted(object)) {
                    try {
                        if (store.delete(context, type, namespace, name, background)
                                .deleted()) {
                            continue;
                        }
                        object = storage.require(type, namespace, name).object();
                    } catch (ApiException e) {
                        if (e.code() == 404) {
                            continue;
                        }
                        throw e;
                    }
                }
                remainingByResource.merge(type.qualifiedResource(), 1, Integer::sum);
                Json.metadata(object)
                        .path("finalizers")
                        .forEach(f -> remainingByFinalizer.merge(f.asText(), 1, Integer::sum));
            }
        }
        if (remainingByResource.isEmpty()) {
            finalizeNamespace(namespace);
            return Outcome.DONE;
        }
        reportRemaining(namespace, remainingByResource, remainingByFinalizer);
        return Outcome.CONTENT_REMAINS;
    }

    private static boolean hasOurFinalizer(ObjectNode ns) {
        for (JsonNode f : ns.path("spec").path("finalizers")) {
            if (f.asText().equals(dev.capstan.api.registry.core.NamespaceStrategy.KUBERNETES_FINALIZER)) {
                return true;
            }
        }
        return false;
    }

    /** Removes the namespace controller's finalizer; the namespace goes if nothing else holds it. */
    private void finalizeNamespace(String namespace) {
        var finalize = ((FinalizedByController) namespaces.strategy()).finalizeStrategy();
        store.update(
                context,
                namespaces,
                finalize,
                "finalize",
                null,
                namespace,
                current -> {
                    if (current == null) {
                        throw ApiException.notFound(namespaces, namespace);
                    }
                    ArrayNode kept = Json.object().arrayNode();
                    for (JsonNode f : current.path("spec").path("finalizers")) {
                        if (!f.asText().equals(dev.capstan.api.registry.core.NamespaceStrategy.KUBERNETES_FINALIZER)) {
                            kept.add(f);
                        }
                    }
                    current.withObjectProperty("spec").set("finalizers", kept);
                    return current;
                },
                false);
    }

    /** The namespace controller's status conditions while content remains, worded as upstream's. */
    private void reportRemaining(String namespace, Map<String, Integer> byResource, Map<String, Integer> byFinalizer) {
        List<String> resources = new ArrayList<>();
        byResource.forEach((r, n) -> resources.add(r + " has " + n + " resource instances"));
        List<String> finalizers = new ArrayList<>();
        byFinalizer.forEach((f, n) -> finalizers.add(f + " in " + n + " resource instances"));
        store.update(
                context,
                namespaces,
                namespaces.strategy().status(),
                "status",
                null,
                namespace,
                current -> {
                    if (current == null) {
                        throw ApiException.notFound(namespaces, namespace);
                    }
                    ObjectNode status = current.withObjectProperty("status");
                    List<ObjectNode> conditions = new ArrayList<>();
                    conditions.add(condition(
                            "NamespaceDeletionDiscoveryFailure",
                            "False",
                            "ResourcesDiscovered",
                            "All resources successfully discovered"));
                    conditions.add(condition(
                            "NamespaceDeletionGroupVersionParsingFailure",
                            "False",
                            "ParsedGroupVersions",
                            "All legacy kube types successfully parsed"));
                    conditions.add(condition(
                            "NamespaceDeletionContentFailure",
                            "False",
                            "ContentDeleted",
                            "All content successfully deleted, may be waiting on finalization"));
                    conditions.add(condition(
                            "NamespaceContentRemaining",
                            "True",
                            "SomeResourcesRemain",
                            "Some resources are remaining: " + String.join(", ", resources)));
                    conditions.add(
                            finalizers.isEmpty()
                                    ? condition(
                                            "NamespaceFinalizersRemaining",
                                            "False",
                                            "ContentHasNoFinalizers",
                                            "All content-preserving finalizers finished")
                                    : condition(
                                            "NamespaceFinalizersRemaining",
                                            "True",
                                            "SomeFinalizersRemain",
                                            "Some content in the namespace has finalizers remaining: "
                                                    + String.join(", ", finalizers)));
                    JsonNode before = status.path("conditions").deepCopy();
                    ArrayNode list = status.putArray("conditions");
                    for (ObjectNode c : conditions) {
                        keepTransitionTime(before, c);
                        list.add(c);
                    }
                    return current;
                },
                false);
    }

    private ObjectNode condition(String type, String status, String reason, String message) {
        return Json.object()
                .put("type", type)
                .put("status", status)
                .put("lastTransitionTime", ObjectMetaRules.timestamp(clock.instant()))
                .put("reason", reason)
                .put("message", message);
    }

    /** A condition whose status did not change keeps its transition time, so a repeated pass writes nothing new. */
    private static void keepTransitionTime(JsonNode before, ObjectNode condition) {
        for (JsonNode old : before) {
            if (old.path("type").asText().equals(condition.path("type").asText())
                    && old.path("status")
                            .asText()
                            .equals(condition.path("status").asText())) {
                condition.set("lastTransitionTime", old.path("lastTransitionTime"));
            }
        }
    }
}
