package dev.capstan.model.meta;

import java.util.Objects;

/** A kind in a group, regardless of version. */
public record GroupKind(String group, String kind) {
    public GroupKind {
        group = Objects.requireNonNullElse(group, "");
        kind = Objects.requireNonNullElse(kind, "");
    }

    /** Upstream's ParseGroupKind: "Deployment.apps", or "Pod" for the core group. */
    public static GroupKind parse(String text) {
        int dot = text.indexOf('.');
        return dot < 0 ? new GroupKind("", text) : new GroupKind(text.substring(dot + 1), text.substring(0, dot));
    }

    public GroupVersionKind withVersion(String version) {
        return new GroupVersionKind(group, version, kind);
    }

    /** Upstream's String(), e.g. "Deployment.apps", "Pod". */
    @Override
    public String toString() {
        return group.isEmpty() ? kind : kind + "." + group;
    }
}
