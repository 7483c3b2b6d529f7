package dev.capstan.model.meta;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.json.JsonReads;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Objects;

/**
 * An object's identity within its resource: namespace and name, the namespace "" for a cluster-scoped object. Its
 * string form is client-go's cache key, "ns/name" or just "name".
 */
public record ObjectKey(String namespace, String name) {
    public ObjectKey {
        namespace = Objects.requireNonNullElse(namespace, "");
        Objects.requireNonNull(name, "name");
    }

    public static ObjectKey clusterScoped(String name) {
        return new ObjectKey("", name);
    }

    /**
     * Upstream's SplitMetaNamespaceKey: "ns/name" or "name".
     *
     * @throws IllegalArgumentException for more than one '/', with upstream's message
     */
    public static ObjectKey parse(String key) {
        String[] parts = key.split("/", -1);
        return switch (parts.length) {
            case 1 -> new ObjectKey("", parts[0]);
            case 2 -> new ObjectKey(parts[0], parts[1]);
            default -> throw new IllegalArgumentException("unexpected key format: \"" + key + "\"");
        };
    }

    public static ObjectKey of(JsonNode object) {
        return new ObjectKey(JsonReads.str(object, "metadata", "namespace"), JsonReads.str(object, "metadata", "name"));
    }

    public static ObjectKey of(HasMetadata object) {
        var metadata = object.getMetadata();
        return metadata == null
                ? new ObjectKey("", "")
                : new ObjectKey(metadata.getNamespace(), Objects.requireNonNullElse(metadata.getName(), ""));
    }

    public boolean isClusterScoped() {
        return namespace.isEmpty();
    }

    /** Upstream's MetaNamespaceKeyFunc form. */
    @Override
    public String toString() {
        return namespace.isEmpty() ? name : namespace + "/" + name;
    }
}
