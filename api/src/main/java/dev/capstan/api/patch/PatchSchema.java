package dev.capstan.api.patch;

import java.util.Set;

/**
 * What a strategic merge patch needs to know at one position of an object: the patch metadata of the field that
 * holds the value there, and the positions below it. It plays the part of upstream's {@code LookupPatchMeta}
 * (k8s.io/apimachinery strategicpatch/meta.go), which reads the same facts from Go struct tags or OpenAPI
 * extensions ({@code x-kubernetes-patch-merge-key}, {@code x-kubernetes-patch-strategy}).
 *
 * <p>A kind's root position describes the whole object; {@link #field} steps into an object's property (or a map's
 * value), {@link #items} into a list's elements. A position with no information is {@link #NONE}: there maps merge
 * and lists are replaced, as upstream does without type information. Implementations must be immutable and safe to
 * share between requests.
 */
public interface PatchSchema {
    /** The parts of {@code x-kubernetes-patch-strategy} (a comma-separated list upstream). */
    enum Strategy {
        /** A list merges element-wise (by the merge key for objects, as a set for primitives). */
        MERGE,
        /** The value is replaced as a whole (upstream's {@code patchStrategy:"replace"}). */
        REPLACE,
        /** Fields missing from the patch's {@code $retainKeys} are cleared (the patch carries the directive). */
        RETAIN_KEYS
    }

    /** A position nothing is known about. */
    PatchSchema NONE = new PatchSchema() {
        @Override
        public PatchSchema field(String name) {
            return NONE;
        }

        @Override
        public PatchSchema items() {
            return NONE;
        }

        @Override
        public String mergeKey() {
            return "";
        }

        @Override
        public Set<Strategy> strategies() {
            return Set.of();
        }

        @Override
        public String type() {
            return "";
        }

        @Override
        public String toString() {
            return "PatchSchema.NONE";
        }
    };

    /** The value of property {@code name} of the object here, or of any key of the map here; NONE if unknown. */
    PatchSchema field(String name);

    /** The elements of the list here; NONE if unknown. */
    PatchSchema items();

    /** The merge key of the list here ({@code x-kubernetes-patch-merge-key}), "" when it has none. */
    String mergeKey();

    /** The patch strategies of the field here, empty when it has none. Never both MERGE and REPLACE. */
    Set<Strategy> strategies();

    /** The OpenAPI type of the value here ("object", "array", "string", "integer", ...), "" when unknown. */
    String type();

    /** Whether values here are primitives (strings, numbers, booleans); for a list, ask its {@link #items()}. */
    default boolean primitive() {
        return switch (type()) {
            case "string", "integer", "number", "boolean" -> true;
            default -> false;
        };
    }
}
