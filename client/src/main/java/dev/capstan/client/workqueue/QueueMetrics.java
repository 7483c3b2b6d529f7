package dev.capstan.client.workqueue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.ToDoubleFunction;

/**
 * client-go's workqueue metrics, tagged {@code name}: {@code workqueue.depth}, {@code workqueue.adds}, {@code
 * workqueue.retries}, {@code workqueue.queue.duration} (added to handed out) and {@code workqueue.work.duration}
 * (handed out to done). Upstream's unfinished-work and longest-running gauges are not kept.
 */
sealed interface QueueMetrics {
    void added();

    void retried();

    void waited(Duration duration);

    void worked(Duration duration);

    /** Unregisters the depth gauge, so that a queue created later under the same name reports its own depth. */
    void close();

    QueueMetrics NONE = new None();

    static <Q> QueueMetrics of(MeterRegistry registry, String name, Q queue, ToDoubleFunction<Q> depth) {
        if (registry == null) {
            return NONE;
        }
        return new Micrometer(
                registry,
                Counter.builder("workqueue.adds")
                        .description("Keys added to the work queue (not counting duplicates)")
                        .tag("name", name)
                        .register(registry),
                Counter.builder("workqueue.retries")
                        .description("Delayed and rate-limited adds to the work queue")
                        .tag("name", name)
                        .register(registry),
                Timer.builder("workqueue.queue.duration")
                        .description("How long a key waits in the work queue before a worker takes it")
                        .tag("name", name)
                        .register(registry),
                Timer.builder("workqueue.work.duration")
                        .description("How long a worker takes to process a key")
                        .tag("name", name)
                        .register(registry),
                // Weakly referenced (Micrometer's default): an abandoned queue is not kept alive by its gauge.
                Gauge.builder("workqueue.depth", queue, depth)
                        .description("Keys waiting to be processed")
                        .tag("name", name)
                        .register(registry));
    }

    record None() implements QueueMetrics {
        @Override
        public void added() {}

        @Override
        public void retried() {}

        @Override
        public void waited(Duration duration) {}

        @Override
        public void worked(Duration duration) {}

        @Override
        public void close() {}
    }

    record Micrometer(MeterRegistry registry, Counter adds, Counter retries, Timer waits, Timer work, Gauge depth)
            implements QueueMetrics {
        @Override
        public void added() {
            adds.increment();
        }

        @Override
        public void retried() {
            retries.increment();
        }

        @Override
        public void waited(Duration duration) {
            waits.record(duration);
        }

        @Override
        public void worked(Duration duration) {
            work.record(duration);
        }

        @Override
        public void close() {
            registry.remove(depth);
        }
    }
}
