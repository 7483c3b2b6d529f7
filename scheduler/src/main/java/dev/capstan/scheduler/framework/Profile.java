package dev.capstan.scheduler.framework;

import java.util.List;
import java.util.Objects;

/**
 * A scheduling profile (upstream's KubeSchedulerProfile): the schedulerName pods select it by, the enabled plugins in
 * the order their extension points run, each plugin's score weight, and percentageOfNodesToScore (null or 0 for
 * upstream's adaptive default).
 */
public record Profile(String schedulerName, List<PluginConfig> plugins, Integer percentageOfNodesToScore) {
    /** An enabled plugin and its score weight (ignored unless the plugin scores; upstream's default weight is 1). */
    public record PluginConfig(String name, int weight) {
        public PluginConfig {
            Objects.requireNonNull(name, "name");
            if (weight < 0) {
                throw new IllegalArgumentException("plugin " + name + ": weight must be >= 0, got " + weight);
            }
        }
    }

    public Profile {
        Objects.requireNonNull(schedulerName, "schedulerName");
        plugins = List.copyOf(plugins);
        if (percentageOfNodesToScore != null && (percentageOfNodesToScore < 0 || percentageOfNodesToScore > 100)) {
            throw new IllegalArgumentException(
                    "percentageOfNodesToScore must be in [0, 100], got " + percentageOfNodesToScore);
        }
    }

    /** The same profile with one plugin's weight changed. */
    public Profile withWeight(String plugin, int weight) {
        if (plugins.stream().noneMatch(p -> p.name().equals(plugin))) {
            throw new IllegalArgumentException("plugin " + plugin + " is not enabled in profile " + schedulerName);
        }
        return new Profile(
                schedulerName,
                plugins.stream()
                        .map(p -> p.name().equals(plugin) ? new PluginConfig(plugin, weight) : p)
                        .toList(),
                percentageOfNodesToScore);
    }

    /** The same profile without the named plugin. */
    public Profile without(String plugin) {
        return new Profile(
                schedulerName,
                plugins.stream().filter(p -> !p.name().equals(plugin)).toList(),
                percentageOfNodesToScore);
    }
}
