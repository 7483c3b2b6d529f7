package dev.capstan.bench;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/** Creates a fixed number of ConfigMaps through the API as fast as N concurrent clients can. */
final class ApiLoad {
    private static final Duration PROGRESS = Duration.ofSeconds(10);

    record Result(int created, int clients, long errors, String firstError, Duration took) {
        double perSecond() {
            return created / (took.toNanos() / 1e9);
        }
    }

    private ApiLoad() {}

    /** Creates {@code prefix}0 .. {@code prefix}(count-1) in namespace; an object that fails is not retried. */
    static Result create(ApiClient api, String namespace, String prefix, int count, int clients)
            throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        LongAdder created = new LongAdder();
        LongAdder errors = new LongAdder();
        AtomicReference<String> firstError = new AtomicReference<>("");
        long start = System.nanoTime();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                executor.execute(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        try {
                            api.createConfigMap(namespace, prefix + i);
                            created.increment();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        } catch (Exception e) {
                            errors.increment();
                            firstError.compareAndSet("", WriteLoad.describe(e));
                        }
                    }
                });
            }
            executor.shutdown();
            while (!executor.awaitTermination(PROGRESS.toSeconds(), TimeUnit.SECONDS)) {
                if (count >= 10_000) {
                    System.out.printf(
                            "  %,d of %,d created after %d s%n",
                            created.sum(),
                            count,
                            Duration.ofNanos(System.nanoTime() - start).toSeconds());
                }
            }
        }
        return new Result(
                created.intValue(),
                clients,
                errors.sum(),
                firstError.get(),
                Duration.ofNanos(System.nanoTime() - start));
    }
}
