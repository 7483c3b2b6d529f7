package dev.capstan.model.meta;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.json.JsonReads;
import java.util.Objects;

/** A kind in a group version, e.g. apps/v1 Deployment. */
public record GroupVersionKind(String group, String version, String kind) {
    public GroupVersionKind {
        group = Objects.requireNonNullElse(group, "");
        version = Objects.requireNonNullElse(version, "");
        kind = Objects.requireNonNullElse(kind, "");
    }

    /** Upstream's FromAPIVersionAndKind: an unparsable apiVersion gives just the kind. */
    public static GroupVersionKind fromApiVersionAndKind(String apiVersion, String kind) {
        try {
            return GroupVersion.parse(apiVersion).withKind(kind);
        } catch (IllegalArgumentException e) {
            return new GroupVersionKind("", "", kind);
        }
    }

    /** The apiVersion and kind an object states. */
    public static GroupVersionKind of(JsonNode object) {
        return fromApiVersionAndKind(JsonReads.str(object, "apiVersion"), JsonReads.str(object, "kind"));
    }

    public GroupVersion groupVersion() {
        return new GroupVersion(group, version);
    }

    public GroupKind groupKind() {
        return new GroupKind(group, kind);
    }

    public String apiVersion() {
        return groupVersion().toString();
    }

    /** Upstream's String(), e.g. "apps/v1, Kind=Deployment" and "/v1, Kind=Pod". */
    @Override
    public String toString() {
        return group + "/" + version + ", Kind=" + kind;
    }
}
