package dev.capstan.node.probes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import java.time.Duration;

/** Runs a probe's action once (upstream prober.runProbe): {@link ActionProber} on the machine, a fake in tests. */
@FunctionalInterface
public interface Prober {

    /**
     * The action's outcome. Throws {@link ProbeException} when the action could not run at all (a port name that does
     * not resolve, the runtime failing the exec): upstream's probe error, whose result the worker discards.
     */
    Outcome probe(Target target, Probe spec, Duration timeout);

    /** What is probed: the container of a pod, the container's current ID, the pod's IP. */
    record Target(Pod pod, Container container, String containerId, String podIp) {}

    /**
     * What the action found; {@code warning} marks upstream's probe.Warning (a success, e.g. an HTTP redirect to
     * another host that was not followed), which is recorded as an event.
     */
    record Outcome(ProbeResult result, String output, boolean warning) {
        public static Outcome success(String output) {
            return new Outcome(ProbeResult.SUCCESS, output, false);
        }

        public static Outcome failure(String output) {
            return new Outcome(ProbeResult.FAILURE, output, false);
        }
    }

    /** An action that could not run (upstream's probe error). */
    final class ProbeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ProbeException(String message) {
            super(message);
        }

        public ProbeException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
