package dev.capstan.client;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** The API as one component sees it: typed calls for every kind, and the pod binding. */
public interface ApiClient {
    <T extends HasMetadata> ResourceClient<T> resources(Kind<T> kind);

    /**
     * Binds a pod to a node through its {@code binding} subresource; 409 when it is bound already, or when {@code uid}
     * is not empty and not the pod's (it was deleted and created again under its name).
     */
    void bind(String namespace, String pod, String uid, String node);

    /** {@link #bind(String, String, String, String)} without a UID precondition. */
    default void bind(String namespace, String pod, String node) {
        bind(namespace, pod, "", node);
    }

    /** Every resource the server serves. */
    java.util.List<ServedResource> discover();

    /** The field manager and user agent this component writes as, such as {@code capstan-scheduler}. */
    String fieldManager();
}
