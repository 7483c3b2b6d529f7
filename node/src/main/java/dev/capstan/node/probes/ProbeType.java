package dev.capstan.node.probes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;

/** The three probes a container may have, with upstream's names (in events) and the result each starts from. */
public enum ProbeType {
    /** Starts as Success: a container is alive until its probe says otherwise. */
    LIVENESS("Liveness", ProbeResult.SUCCESS),
    /** Starts as Failure: a container is not ready until its probe says so. */
    READINESS("Readiness", ProbeResult.FAILURE),
    /** Starts as Unknown: the other probes wait until it succeeds. */
    STARTUP("Startup", ProbeResult.UNKNOWN);

    private final String display;
    private final ProbeResult initial;

    ProbeType(String display, ProbeResult initial) {
        this.display = display;
        this.initial = initial;
    }

    /** The container's probe of this type, or null. */
    public Probe of(Container c) {
        return switch (this) {
            case LIVENESS -> c.getLivenessProbe();
            case READINESS -> c.getReadinessProbe();
            case STARTUP -> c.getStartupProbe();
        };
    }

    ProbeResult initial() {
        return initial;
    }

    @Override
    public String toString() {
        return display;
    }
}
