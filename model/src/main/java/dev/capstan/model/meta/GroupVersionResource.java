package dev.capstan.model.meta;

import java.util.Objects;

/** A resource in a group version, e.g. apps/v1 deployments. */
public record GroupVersionResource(String group, String version, String resource) {
    public GroupVersionResource {
        group = Objects.requireNonNullElse(group, "");
        version = Objects.requireNonNullElse(version, "");
        resource = Objects.requireNonNullElse(resource, "");
    }

    public GroupVersion groupVersion() {
        return new GroupVersion(group, version);
    }

    public GroupResource groupResource() {
        return new GroupResource(group, resource);
    }

    /** Upstream's String(), e.g. "apps/v1, Resource=deployments" and "/v1, Resource=pods". */
    @Override
    public String toString() {
        return group + "/" + version + ", Resource=" + resource;
    }
}
