package dev.capstan.scheduler.framework;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Upstream's runtime.Registry: a plain map from plugin name to factory. Out-of-tree plugins are added by name. */
public final class Registry {
    private final Map<String, PluginFactory> factories = new LinkedHashMap<>();

    /**
     * @throws IllegalArgumentException when the name is registered already
     */
    public Registry register(String name, PluginFactory factory) {
        if (factories.putIfAbsent(name, factory) != null) {
            throw new IllegalArgumentException("a plugin named " + name + " already exists");
        }
        return this;
    }

    public PluginFactory get(String name) {
        return factories.get(name);
    }

    public Set<String> names() {
        return factories.keySet();
    }
}
