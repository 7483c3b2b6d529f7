package dev.capstan.client;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Optional;

/**
 * Typed calls for one kind (client-go's typed clientset for one resource). {@code namespace} is ignored for
 * cluster-scoped kinds and means all namespaces when "" in a list or watch. Failures are {@link ApiError}s.
 */
public interface ResourceClient<T extends HasMetadata> {
    Kind<T> kind();

    Optional<T> get(String namespace, String name);

    ObjectList<T> list(String namespace, ListOptions options);

    /** Watches from {@code options.resourceVersion()} ("" or "0": the current state first, as ADDED events). */
    WatchStream<T> watch(String namespace, ListOptions options, boolean bookmarks, int timeoutSeconds);

    T create(T object);

    /** Replaces the object, conditional on its metadata.resourceVersion when it carries one. */
    T update(T object);

    T updateStatus(T object);

    /** Replaces a namespace's spec.finalizers through its {@code finalize} subresource. */
    T finalizeNamespace(T namespace);

    T patch(String namespace, String name, PatchType type, String patch);

    T patchStatus(String namespace, String name, PatchType type, String patch);

    /** Deletes; answers the object while it stays (finalizers, graceful deletion), else empty. */
    Optional<T> delete(String namespace, String name, DeleteOptions options);

    default Optional<T> delete(String namespace, String name) {
        return delete(namespace, name, DeleteOptions.DEFAULT);
    }
}
