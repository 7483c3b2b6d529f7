package dev.capstan.client;

import java.util.List;

/**
 * A resource the API server serves, as discovery lists it.
 *
 * @param storageVersion whether objects are stored in this version (other versions are views of the same objects)
 */
public record ServedResource(
        String group,
        String version,
        String resource,
        String kind,
        boolean namespaced,
        List<String> verbs,
        boolean storageVersion) {

    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }
}
