package dev.capstan.api.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The API server's metrics: {@code apiserver_request_duration_seconds} by verb, group, version, resource,
 * subresource and code (watches excluded, as upstream does); {@code apiserver_longrunning_requests} for open
 * watches; {@code capstan_store_operation_duration_seconds} by store operation; {@code
 * capstan_watch_cache_reads_total} by operation and source.
 */
public final class ApiMetrics {
    private final MeterRegistry registry;
    private final AtomicInteger watches = new AtomicInteger();

    public ApiMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge(
                "apiserver.longrunning.requests",
                java.util.List.of(io.micrometer.core.instrument.Tag.of("verb", "WATCH")),
                watches);
    }

    public void request(RequestLabels labels, int code, Duration elapsed) {
        Timer.builder("apiserver.request.duration")
                .description("Response latency distribution in seconds for each verb, group, version, resource,"
                        + " subresource and code")
                .tags(
                        "verb",
                        labels.verb(),
                        "group",
                        labels.group(),
                        "version",
                        labels.version(),
                        "resource",
                        labels.resource(),
                        "subresource",
                        labels.subresource(),
                        "code",
                        Integer.toString(code))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry)
                .record(elapsed);
    }

    /** An open watch, counted until closed. */
    public interface OpenWatch extends AutoCloseable {
        @Override
        void close();
    }

    public OpenWatch watchOpened() {
        watches.incrementAndGet();
        return watches::decrementAndGet;
    }

    /**
     * Counts a list or watch by where it was served from: the watch cache, or the store when the cache could
     * not answer (a continue page, an exact revision, a watch older than the cache's window).
     */
    public void cacheRead(String operation, boolean fromCache) {
        registry.counter("capstan.watch.cache.reads", "operation", operation, "source", fromCache ? "cache" : "store")
                .increment();
    }

    /** Times one store call. */
    public <T> T store(String operation, Supplier<T> call) {
        long start = System.nanoTime();
        try {
            return call.get();
        } finally {
            Timer.builder("capstan.store.operation.duration")
                    .description("Latency of store calls made by the API server")
                    .tag("operation", operation)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(10))
                    .register(registry)
                    .record(Duration.ofNanos(System.nanoTime() - start));
        }
    }
}
