package dev.capstan.api.registry.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.ApiException;
import dev.capstan.api.Json;
import dev.capstan.api.registry.GenericStore;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.request.DeleteOptions;
import dev.capstan.api.request.RequestContext;
import dev.capstan.api.request.WriteOptions;
import java.time.Clock;
import java.util.List;

/**
 * The {@code pods/eviction} subresource (upstream pkg/registry/core/pod/storage EvictionREST), which {@code kubectl
 * drain} uses when discovery lists it. The pod gets the {@code DisruptionTarget} condition, then is deleted with the
 * Eviction's delete options (its grace period, preconditions, dry run). PodDisruptionBudgets are not served yet, so
 * no budget can refuse an eviction: upstream evicts just as directly when no budget selects the pod.
 */
public final class PodEviction {
    static final String REASON = "EvictionByEvictionAPI";
    static final String MESSAGE = "Eviction API: evicting";

    private PodEviction() {}

    /** Evicts the pod; answers 201 with a Success Status, as upstream. */
    public static ObjectNode evict(
            GenericStore store,
            RequestContext ctx,
            ResourceType pods,
            String namespace,
            String name,
            ObjectNode eviction,
            Clock clock) {
        checkKind(eviction);
        if (!Json.metadata(eviction).path("name").asText("").equals(name)) {
            throw ApiException.badRequest("name in URL does not match name in Eviction object");
        }
        DeleteOptions options = deleteOptions(ctx, eviction);
        WriteOptions o = ctx.options();
        RequestContext dryRun = ctx.withOptions(new WriteOptions(true, o.fieldManager(), o.fieldValidation()));
        // A delete that would be refused (no such pod, a failed precondition) is refused before the condition is
        // written, so that a refused eviction changes nothing; a dry run stops there.
        store.delete(dryRun, pods, namespace, name, options);
        if (options.isDryRun()) {
            return PodBinding.created();
        }
        ObjectNode updated = store.update(
                        ctx,
                        pods,
                        pods.strategy().status(),
                        "status",
                        namespace,
                        name,
                        current -> {
                            if (current == null) {
                                throw ApiException.notFound(pods, name);
                            }
                            PodConditions.setTrue(current, "DisruptionTarget", REASON, MESSAGE, clock);
                            return current;
                        },
                        false)
                .object();
        if (options.preconditionResourceVersion() != null) {
            // the condition was this request's own write: the precondition moves on with it, as upstream's does
            options = new DeleteOptions(
                    options.gracePeriodSeconds(),
                    options.propagationPolicy(),
                    options.orphanDependents(),
                    options.dryRun(),
                    options.preconditionUid(),
                    Json.metadata(updated).path("resourceVersion").asText());
        }
        store.delete(ctx, pods, namespace, name, options);
        return PodBinding.created();
    }

    /** The body is an Eviction of policy/v1 (or v1beta1, which upstream converts); any other kind is a 400. */
    private static void checkKind(ObjectNode eviction) {
        String kind = eviction.path("kind").asText("");
        String apiVersion = eviction.path("apiVersion").asText("");
        if (!kind.isEmpty() && !kind.equals("Eviction")) {
            String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
            throw ApiException.badRequest(kind + " in version \"" + version + "\" cannot be handled as a Eviction:"
                    + " converting (" + version + "." + kind + ") to (policy.Eviction): unknown conversion");
        }
        if (!apiVersion.isEmpty() && !apiVersion.equals("policy/v1") && !apiVersion.equals("policy/v1beta1")) {
            throw ApiException.badRequest("the API version in the data (" + apiVersion
                    + ") does not match the expected API version (policy/v1)");
        }
    }

    /**
     * Upstream's propagateDryRun: the Eviction's own delete options, with the request's dryRun when they name none;
     * both naming one that differs is refused.
     */
    private static DeleteOptions deleteOptions(RequestContext ctx, ObjectNode eviction) {
        JsonNode body = eviction.get("deleteOptions");
        DeleteOptions options = body instanceof ObjectNode o ? DeleteOptions.fromBody(o) : DeleteOptions.NONE;
        List<String> requested = ctx.dryRun() ? List.of("All") : List.of();
        if (options.dryRun().isEmpty()) {
            options = new DeleteOptions(
                    options.gracePeriodSeconds(),
                    options.propagationPolicy(),
                    options.orphanDependents(),
                    requested,
                    options.preconditionUid(),
                    options.preconditionResourceVersion());
        } else if (!requested.isEmpty() && !requested.equals(options.dryRun())) {
            throw ApiException.badRequest(
                    "Non-matching dry-run options in request and content: " + requested + " and " + options.dryRun());
        }
        return options.validated();
    }
}
