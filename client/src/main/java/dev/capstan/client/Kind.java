package dev.capstan.client;

import dev.capstan.model.grpc.ResourceRef;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * A served resource and the fabric8 type its objects decode to.
 *
 * @param group "" for the core group
 * @param resource the plural lower-case name in URLs, such as {@code replicasets}
 * @param kind the object's kind, such as {@code ReplicaSet}
 * @param namespaced whether objects live in a namespace
 */
public record Kind<T extends HasMetadata>(
        String group, String version, String resource, String kind, boolean namespaced, Class<T> type) {

    /** {@code v1} or {@code apps/v1}: the apiVersion objects of this kind carry. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** {@code pods} or {@code replicasets.apps}, as Kubernetes names a resource in messages. */
    public String groupResource() {
        return group.isEmpty() ? resource : resource + "." + group;
    }

    ResourceRef ref(String namespace, String name) {
        return ResourceRef.newBuilder()
                .setGroup(group)
                .setVersion(version)
                .setResource(resource)
                .setNamespace(namespaced && namespace != null ? namespace : "")
                .setName(name == null ? "" : name)
                .build();
    }
}
