package dev.capstan.model.meta;

import java.util.Objects;

/** A group and version, as apiVersion spells it: "v1" for the core group, "apps/v1" for others. */
public record GroupVersion(String group, String version) {
    public GroupVersion {
        group = Objects.requireNonNullElse(group, "");
        version = Objects.requireNonNullElse(version, "");
    }

    /**
     * Upstream's ParseGroupVersion: "" and "/" are the empty GroupVersion, "v1" has no group.
     *
     * @throws IllegalArgumentException for more than one '/', with upstream's message
     */
    public static GroupVersion parse(String apiVersion) {
        if (apiVersion == null || apiVersion.isEmpty() || apiVersion.equals("/")) {
            return new GroupVersion("", "");
        }
        int slash = apiVersion.indexOf('/');
        if (slash < 0) {
            return new GroupVersion("", apiVersion);
        }
        if (apiVersion.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("unexpected GroupVersion string: " + apiVersion);
        }
        return new GroupVersion(apiVersion.substring(0, slash), apiVersion.substring(slash + 1));
    }

    public boolean isEmpty() {
        return group.isEmpty() && version.isEmpty();
    }

    public GroupVersionKind withKind(String kind) {
        return new GroupVersionKind(group, version, kind);
    }

    public GroupVersionResource withResource(String resource) {
        return new GroupVersionResource(group, version, resource);
    }

    /** The apiVersion string; upstream's String(). */
    @Override
    public String toString() {
        return group.isEmpty() ? version : group + "/" + version;
    }
}
