package dev.capstan.model.meta;

import java.util.Objects;

/** A resource in a group, regardless of version: what API errors name, e.g. "deployments.apps". */
public record GroupResource(String group, String resource) {
    public GroupResource {
        group = Objects.requireNonNullElse(group, "");
        resource = Objects.requireNonNullElse(resource, "");
    }

    /** Upstream's ParseGroupResource: the text up to the first '.' is the resource, the rest the group. */
    public static GroupResource parse(String text) {
        int dot = text.indexOf('.');
        return dot < 0
                ? new GroupResource("", text)
                : new GroupResource(text.substring(dot + 1), text.substring(0, dot));
    }

    public GroupVersionResource withVersion(String version) {
        return new GroupVersionResource(group, version, resource);
    }

    /** Upstream's String(): "deployments.apps", or "pods" for the core group. */
    @Override
    public String toString() {
        return group.isEmpty() ? resource : resource + "." + group;
    }
}
