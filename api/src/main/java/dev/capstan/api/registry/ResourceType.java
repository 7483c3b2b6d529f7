package dev.capstan.api.registry;

import java.util.List;
import java.util.Set;

/**
 * One served resource at one group-version.
 *
 * @param group API group, "" for core
 * @param storageGroup the group whose storage this version shares (so autoscaling/v1 and v2 see the same objects)
 * @param fieldSelectors the field labels accepted besides metadata.name and metadata.namespace, as JSON paths
 * @param model the fabric8 class of the kind, from which the OpenAPI schema is derived
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
        Set<String> fieldSelectors,
        Class<?> model) {

    public String groupVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    public String singular() {
        return kind.toLowerCase(java.util.Locale.ROOT);
    }

    public boolean hasStatus() {
        return subresources.contains("status");
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
        return field.equals("metadata.name") || (field.equals("metadata.namespace")) || fieldSelectors.contains(field);
    }

    ResourceType withFieldSelectors(Set<String> fields) {
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
                fields,
                model);
    }
}
