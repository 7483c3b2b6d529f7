package dev.capstan.api.admission;

import java.util.List;

/**
 * The admission chain: every mutating step of every plugin in order, then (after the strategy) every validating
 * step in order. The first plugin that refuses ends the request.
 */
public final class Admission {
    private final List<AdmissionPlugin> plugins;

    public Admission(List<AdmissionPlugin> plugins) {
        this.plugins = List.copyOf(plugins);
    }

    public static Admission none() {
        return new Admission(List.of());
    }

    public List<AdmissionPlugin> plugins() {
        return plugins;
    }

    /** Mutating admission: runs before the kind's strategy prepares and validates the object. */
    public void admit(AdmissionRequest request) {
        for (AdmissionPlugin plugin : plugins) {
            if (plugin.handles(request.operation())) {
                plugin.admit(request);
            }
        }
    }

    /** Validating admission: runs after the strategy, right before storage. */
    public void validate(AdmissionRequest request) {
        for (AdmissionPlugin plugin : plugins) {
            if (plugin.handles(request.operation())) {
                plugin.validate(request);
            }
        }
    }
}
