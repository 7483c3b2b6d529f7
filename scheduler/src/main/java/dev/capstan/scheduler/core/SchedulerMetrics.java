package dev.capstan.scheduler.core;

/**
 * The scheduler's metrics hooks, named as upstream's; the wiring forwards them to its registry. Every method defaults
 * to doing nothing ({@link #NOOP}).
 */
public interface SchedulerMetrics {
    /** Counter, labels result ("scheduled", "unschedulable", "error") and profile. */
    String SCHEDULE_ATTEMPTS_TOTAL = "scheduler_schedule_attempts_total";
    /** Histogram of one attempt's latency (scheduling cycle, plus binding for "scheduled"), labels result, profile. */
    String SCHEDULING_ATTEMPT_DURATION_SECONDS = "scheduler_scheduling_attempt_duration_seconds";
    /** Histogram from the pod's first attempt to its successful binding, label attempts. */
    String POD_SCHEDULING_SLI_DURATION_SECONDS = "scheduler_pod_scheduling_sli_duration_seconds";
    /** Gauge, label queue ("active", "backoff", "unschedulable"). */
    String PENDING_PODS = "scheduler_pending_pods";

    SchedulerMetrics NOOP = new SchedulerMetrics() {};

    /** One attempt ended: count it under scheduler_schedule_attempts_total and observe its duration. */
    default void attempt(String result, String profile, double seconds) {}

    /** A pod was bound after {@code attempts} attempts, {@code e2eSeconds} after its first attempt started. */
    default void podScheduled(String profile, int attempts, double e2eSeconds) {}

    default void pendingPods(String queue, int count) {}
}
