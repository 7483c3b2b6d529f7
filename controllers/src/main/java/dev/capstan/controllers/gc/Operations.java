package dev.capstan.controllers.gc;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.client.ApiClient;
import dev.capstan.client.ApiError;
import dev.capstan.client.DeleteOptions;
import dev.capstan.client.Kind;
import dev.capstan.client.PatchType;
import dev.capstan.client.ResourceClient;
import dev.capstan.model.json.KubeJson;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Upstream's operations.go and patch.go: live reads and the writes the collector makes, each addressed by uid so
 * that a namesake created since is never touched. Patches are JSON merge patches of one metadata list carrying
 * metadata.resourceVersion, so a concurrent writer makes them fail with a conflict; they are recomputed from a fresh
 * read and retried (client-go's retry.RetryOnConflict with its DefaultBackoff of 4 steps, without the sleeps).
 */
final class Operations {
    private static final int CONFLICT_RETRIES = 4;

    private final ApiClient api;

    Operations(ApiClient api) {
        this.api = api;
    }

    private ResourceClient<GenericKubernetesResource> client(Kind<GenericKubernetesResource> kind) {
        return api.resources(kind);
    }

    /** The live object at {@code id}, empty when absent. */
    Optional<GenericKubernetesResource> get(Kind<GenericKubernetesResource> kind, Identity id) {
        return client(kind).get(id.namespace(), id.name());
    }

    /** Deletes the object with this uid; gone already is fine. */
    void delete(Kind<GenericKubernetesResource> kind, Identity id, String uid, String policy) {
        try {
            client(kind)
                    .delete(
                            id.namespace(),
                            id.name(),
                            DeleteOptions.preconditionUid(uid).withPropagation(policy));
        } catch (ApiError e) {
            if (!e.isNotFound()) {
                throw e;
            }
        }
    }

    /** Removes {@code finalizer} from the object with this uid; answers whether it was there to remove. */
    boolean removeFinalizer(Kind<GenericKubernetesResource> kind, Identity id, String uid, String finalizer) {
        return patchMetadata(kind, id, uid, object -> {
            List<String> finalizers = object.getMetadata().getFinalizers();
            if (finalizers == null || !finalizers.contains(finalizer)) {
                return null;
            }
            ArrayNode remaining = KubeJson.array();
            finalizers.stream().filter(f -> !f.equals(finalizer)).forEach(remaining::add);
            ObjectNode meta = KubeJson.object();
            meta.set("finalizers", remaining);
            return meta;
        });
    }

    /** Removes the references to {@code ownerUids} from the object with this uid (upstream's deleteOwnerRef). */
    boolean removeOwnerReferences(
            Kind<GenericKubernetesResource> kind, Identity id, String uid, Set<String> ownerUids) {
        return patchMetadata(kind, id, uid, object -> {
            List<OwnerReference> refs = Graph.ownersOf(object);
            List<OwnerReference> kept = refs.stream()
                    .filter(ref -> !ownerUids.contains(ref.getUid()))
                    .toList();
            if (kept.size() == refs.size()) {
                return null;
            }
            ObjectNode meta = KubeJson.object();
            // null deletes the field in a merge patch, as upstream's nil slice does
            meta.set("ownerReferences", kept.isEmpty() ? meta.nullNode() : KubeJson.tree(kept));
            return meta;
        });
    }

    /** Sets blockOwnerDeletion=false on every blocking reference (upstream's unblockOwnerReferences). */
    boolean unblockOwnerReferences(Kind<GenericKubernetesResource> kind, Identity id, String uid) {
        return patchMetadata(kind, id, uid, object -> {
            List<OwnerReference> refs = Graph.ownersOf(object);
            if (refs.stream().noneMatch(Graph::isBlocking)) {
                return null;
            }
            List<OwnerReference> next = new ArrayList<>();
            for (OwnerReference ref : refs) {
                OwnerReference copy = KubeJson.convert(KubeJson.tree(ref), OwnerReference.class);
                if (Graph.isBlocking(ref)) {
                    copy.setBlockOwnerDeletion(false);
                }
                next.add(copy);
            }
            ObjectNode meta = KubeJson.object();
            meta.set("ownerReferences", KubeJson.tree(next));
            return meta;
        });
    }

    /**
     * Reads the object, asks {@code change} for the metadata fields to set (null: nothing to do) and merge-patches
     * them with the read's resourceVersion, again on conflict. False when the object is gone or has another uid.
     */
    private boolean patchMetadata(
            Kind<GenericKubernetesResource> kind,
            Identity id,
            String uid,
            Function<GenericKubernetesResource, ObjectNode> change) {
        for (int attempt = 1; ; attempt++) {
            Optional<GenericKubernetesResource> latest = get(kind, id);
            if (latest.isEmpty() || !uid.equals(latest.get().getMetadata().getUid())) {
                return false;
            }
            ObjectNode meta = change.apply(latest.get());
            if (meta == null) {
                return false;
            }
            meta.put("resourceVersion", latest.get().getMetadata().getResourceVersion());
            ObjectNode patch = KubeJson.object();
            patch.set("metadata", meta);
            try {
                client(kind).patch(id.namespace(), id.name(), PatchType.MERGE, patch.toString());
                return true;
            } catch (ApiError e) {
                if (e.isNotFound()) {
                    return false;
                }
                if (!e.isConflict() || attempt >= CONFLICT_RETRIES) {
                    throw e;
                }
            }
        }
    }
}
