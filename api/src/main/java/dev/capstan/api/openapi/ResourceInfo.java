package dev.capstan.api.openapi;

import java.util.Set;

/**
 * One served resource, as the API server's registry describes it (the caller maps its own type to this).
 *
 * @param group API group, "" for core
 * @param subresources e.g. "status", "scale", "binding", "finalize"; others are ignored
 * @param modelClass the fabric8 class of the kind, whose Jackson properties become the schema
 * @param collectionDelete whether the collection path has a DELETE operation
 */
public record ResourceInfo(
        String group,
        String version,
        String kind,
        String plural,
        boolean namespaced,
        Set<String> subresources,
        Class<?> modelClass,
        boolean collectionDelete) {

    public ResourceInfo(
            String group,
            String version,
            String kind,
            String plural,
            boolean namespaced,
            Set<String> subresources,
            Class<?> modelClass) {
        this(group, version, kind, plural, namespaced, subresources, modelClass, true);
    }

    /** The document key: "api/v1" or "apis/apps/v1". */
    public String groupVersionPath() {
        return group.isEmpty() ? "api/" + version : "apis/" + group + "/" + version;
    }
}
