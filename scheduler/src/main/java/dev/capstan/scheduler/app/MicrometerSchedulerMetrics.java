package dev.capstan.scheduler.app;

import dev.capstan.scheduler.core.SchedulerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The scheduler's metrics in Micrometer, named so that Prometheus shows upstream's names:
 * scheduler_schedule_attempts_total{result,profile}, scheduler_scheduling_attempt_duration_seconds{result,profile},
 * scheduler_pod_scheduling_sli_duration_seconds{attempts}, scheduler_pending_pods{queue}.
 */
final class MicrometerSchedulerMetrics implements SchedulerMetrics {
    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> pending = new ConcurrentHashMap<>();

    MicrometerSchedulerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void attempt(String result, String profile, double seconds) {
        Counter.builder("scheduler.schedule.attempts")
                .description("Number of attempts to schedule pods, by the result")
                .tags("result", result, "profile", profile)
                .register(registry)
                .increment();
        Timer.builder("scheduler.scheduling.attempt.duration")
                .description("Scheduling attempt latency (scheduling algorithm + binding)")
                .tags("result", result, "profile", profile)
                .publishPercentileHistogram()
                .register(registry)
                .record(Duration.ofNanos((long) (seconds * 1e9)));
    }

    @Override
    public void podScheduled(String profile, int attempts, double e2eSeconds) {
        Timer.builder("scheduler.pod.scheduling.sli.duration")
                .description("E2e latency for a pod being scheduled, from the time it enters the queue")
                .tags("attempts", Integer.toString(Math.min(attempts, 15)))
                .register(registry)
                .record(Duration.ofNanos((long) (e2eSeconds * 1e9)));
    }

    @Override
    public void pendingPods(String queue, int count) {
        pending.computeIfAbsent(queue, q -> {
                    AtomicInteger value = new AtomicInteger();
                    Gauge.builder("scheduler.pending.pods", value, AtomicInteger::get)
                            .description("Number of pending pods, by the queue type")
                            .tag("queue", q)
                            .register(registry);
                    return value;
                })
                .set(count);
    }
}
