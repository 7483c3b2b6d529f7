package dev.capstan.api.registry;

import dev.capstan.model.meta.GroupVersion;
import dev.capstan.model.meta.GroupVersionResource;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One served resource at one group-version, with the strategy that holds all of its kind's rules.
 *
 * @param group API group, "" for core
 * @param storageGroup the group whose storage this version shares
 * @param model the fabric8 class of the kind, from which the OpenAPI schema is derived
 * @param conversion between this version and the stored one
 * @param collectionDelete whether {@code DELETE} on the collection is served (upstream's namespaces lack it)
 */
public record ResourceType(
        String group,
        String version,
        String kind,
        String plural,
        List<String> shortNames,
        boolean namespaced,
        Set<String> subresources,
        List<String> categories,
        String storageGroup,
        Class<?> model,
        Strategy strategy,
        Conversion conversion,
        boolean collectionDelete) {

    private static final List<String> VERBS =
            List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
    private static final List<String> VERBS_WITHOUT_COLLECTION_DELETE =
            List.of("create", "delete", "get", "list", "patch", "update", "watch");

    /** The verbs discovery lists for the resource itself, sorted as upstream sorts them. */
    public List<String> verbs() {
        return collectionDelete ? VERBS : VERBS_WITHOUT_COLLECTION_DELETE;
    }

    public String groupVersion() {
        return new GroupVersion(group, version).toString();
    }

    public GroupVersionResource groupVersionResource() {
        return new GroupVersionResource(group, version, plural);
    }

    public String singular() {
        return kind.toLowerCase(Locale.ROOT);
    }

    public boolean hasStatus() {
        return subresources.contains("status");
    }

    /** Whether {@code other} is the same resource, at any version (same group and plural). */
    public boolean sameResource(ResourceType other) {
        return group.equals(other.group) && plural.equals(other.plural);
    }

    /** Whether this version is the one its objects are stored in (not a converted view of another). */
    public boolean isStorageVersion() {
        return conversion == Conversion.IDENTITY;
    }

    /** The store prefix of all objects of this resource, e.g. {@code /registry/apps/deployments/}. */
    public String storagePrefix() {
        return "/registry/" + (storageGroup.isEmpty() ? "core" : storageGroup) + "/" + plural + "/";
    }

    /** The store prefix of this resource's objects in one namespace (or all, for namespace null). */
    public String storagePrefix(String namespace) {
        if (!namespaced || namespace == null) {
            return storagePrefix();
        }
        return storagePrefix() + namespace + "/";
    }

    public String storageKey(String namespace, String name) {
        return namespaced ? storagePrefix() + namespace + "/" + name : storagePrefix() + name;
    }

    /** The resource as upstream names it in messages: "pods", "deployments.apps". */
    public String qualifiedResource() {
        return group.isEmpty() ? plural : plural + "." + group;
    }

    public boolean supportsFieldSelector(String field) {
        return field.equals("metadata.name")
                || field.equals("metadata.namespace")
                || strategy.fieldAttributes().containsKey(field);
    }

    /** The value of a field-selector field of {@code object}, as the kind defines it. */
    public String fieldValue(com.fasterxml.jackson.databind.JsonNode object, String field) {
        var attribute = strategy.fieldAttributes().get(field);
        if (attribute != null) {
            return attribute.apply(object);
        }
        return dev.capstan.api.Json.text(object, field);
    }

    /** Starts the registration of a namespaced resource; see {@link Builder}. */
    public static Builder define(Class<?> model, String group, String version, String kind, String plural) {
        return new Builder(model, group, version, kind, plural);
    }

    /** Registration data of one resource, read by routing, discovery, storage keys and OpenAPI alike. */
    public static final class Builder {
        private final Class<?> model;
        private final String group;
        private final String version;
        private final String kind;
        private final String plural;
        private List<String> shortNames = List.of();
        private boolean namespaced = true;
        private Set<String> subresources = Set.of();
        private List<String> categories = List.of();
        private String storageGroup;
        private Conversion conversion = Conversion.IDENTITY;
        private boolean collectionDelete = true;

        private Builder(Class<?> model, String group, String version, String kind, String plural) {
            this.model = model;
            this.group = group;
            this.version = version;
            this.kind = kind;
            this.plural = plural;
            this.storageGroup = group;
        }

        public Builder shortNames(String... names) {
            this.shortNames = List.of(names);
            return this;
        }

        public Builder clusterScoped() {
            this.namespaced = false;
            return this;
        }

        public Builder subresources(String... names) {
            this.subresources = Set.of(names);
            return this;
        }

        /** Categories such as "all", which {@code kubectl get all} expands. */
        public Builder categories(String... names) {
            this.categories = List.of(names);
            return this;
        }

        /** Serves this version from the storage of another: its objects are converted on the way in and out. */
        public Builder convertedFrom(Conversion toAndFromStorage) {
            this.conversion = toAndFromStorage;
            return this;
        }

        /** Refuses {@code DELETE} on the collection with 405, as upstream does for namespaces. */
        public Builder withoutCollectionDelete() {
            this.collectionDelete = false;
            return this;
        }

        public ResourceType build(Strategy strategy) {
            if (subresources.contains("status") != (strategy.status() != null)) {
                throw new IllegalArgumentException(plural + ": a status subresource needs a status strategy");
            }
            return new ResourceType(
                    group,
                    version,
                    kind,
                    plural,
                    shortNames,
                    namespaced,
                    subresources,
                    categories,
                    storageGroup,
                    model,
                    strategy,
                    conversion,
                    collectionDelete);
        }
    }
}
