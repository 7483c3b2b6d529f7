package dev.capstan.api.registry;

import dev.capstan.model.meta.GroupVersionResource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Every resource the API serves. Built-in kinds are registered at start; more can be registered while the server
 * runs (custom resources, later): listeners (the watch cache, the OpenAPI documents) take each new one up, and
 * routing and discovery read the registry on every request.
 */
public final class ResourceRegistry {
    private final List<ResourceType> types = new CopyOnWriteArrayList<>();
    private final Map<GroupVersionResource, ResourceType> byGroupVersionPlural =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final List<Consumer<ResourceType>> listeners = new CopyOnWriteArrayList<>();

    public ResourceRegistry(List<ResourceType> initial) {
        initial.forEach(this::add);
    }

    /**
     * Serves one more resource from now on. Listeners run before it becomes routable, so that a request for it
     * finds its cache and schema in place.
     */
    public synchronized void register(ResourceType type) {
        if (byGroupVersionPlural.containsKey(type.groupVersionResource())) {
            throw new IllegalArgumentException(type.qualifiedResource() + " " + type.version() + " is already served");
        }
        listeners.forEach(l -> l.accept(type));
        add(type);
    }

    /** Calls {@code listener} for every resource registered from now on. */
    public void onRegistered(Consumer<ResourceType> listener) {
        listeners.add(listener);
    }

    private void add(ResourceType type) {
        types.add(type);
        byGroupVersionPlural.put(type.groupVersionResource(), type);
    }

    public List<ResourceType> all() {
        return List.copyOf(types);
    }

    public Optional<ResourceType> find(String group, String version, String plural) {
        return Optional.ofNullable(byGroupVersionPlural.get(new GroupVersionResource(group, version, plural)));
    }

    public Optional<ResourceType> findKind(String group, String version, String kind) {
        return types.stream()
                .filter(t -> t.group().equals(group)
                        && t.version().equals(version)
                        && t.kind().equals(kind))
                .findFirst();
    }

    /** The version of a resource its objects are stored in (the one every other version converts from). */
    public List<ResourceType> storageVersions() {
        return types.stream().filter(ResourceType::isStorageVersion).toList();
    }

    /** The group-versions served, each group's preferred (first registered) version first. */
    public Map<String, List<String>> groupVersions() {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (ResourceType type : types) {
            List<String> versions = groups.computeIfAbsent(type.group(), g -> new ArrayList<>());
            if (!versions.contains(type.version())) {
                versions.add(type.version());
            }
        }
        return groups;
    }

    public List<ResourceType> inGroupVersion(String group, String version) {
        return types.stream()
                .filter(t -> t.group().equals(group) && t.version().equals(version))
                .toList();
    }
}
