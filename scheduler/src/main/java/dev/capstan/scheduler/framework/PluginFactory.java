package dev.capstan.scheduler.framework;

/** Upstream's PluginFactory: builds a plugin instance for one profile. */
@FunctionalInterface
public interface PluginFactory {
    Plugin create(Handle handle);
}
