package dev.capstan.node.probes;

import io.fabric8.kubernetes.api.model.Probe;
import java.time.Duration;

/**
 * A probe's timing fields with upstream's defaults for the unset ones (pkg/apis/core/v1/defaults.go SetDefaults_Probe):
 * period 10 s, timeout 1 s, success threshold 1, failure threshold 3, no initial delay.
 */
record ProbeTiming(
        int initialDelaySeconds, int periodSeconds, int timeoutSeconds, int successThreshold, int failureThreshold) {

    static ProbeTiming of(Probe p) {
        return new ProbeTiming(
                orDefault(p.getInitialDelaySeconds(), 0),
                orDefault(p.getPeriodSeconds(), 10),
                orDefault(p.getTimeoutSeconds(), 1),
                orDefault(p.getSuccessThreshold(), 1),
                orDefault(p.getFailureThreshold(), 3));
    }

    Duration period() {
        return Duration.ofSeconds(periodSeconds);
    }

    Duration timeout() {
        return Duration.ofSeconds(timeoutSeconds);
    }

    /** As in Go, zero is unset: it takes the default. */
    private static int orDefault(Integer value, int fallback) {
        return value == null || value == 0 ? fallback : value;
    }
}
