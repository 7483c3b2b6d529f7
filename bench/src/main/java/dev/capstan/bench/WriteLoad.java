package dev.capstan.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Closed-loop writers: each of N virtual threads writes new keys back to back, one call at a time. A write
 * counts when it completes inside the measuring window, which follows the warm-up; its latency is from the call
 * to its return.
 */
final class WriteLoad {
    static final int VALUE_BYTES = 1024;
    private static final Duration STUCK_GRACE = Duration.ofSeconds(60);

    /** One write of a new key; blocks until it is durable. */
    @FunctionalInterface
    interface Writer {
        void write(String key, byte[] value) throws Exception;
    }

    record Result(int writers, long writes, Duration window, Histogram latency, Map<String, Long> errors, int stuck) {
        double perSecond() {
            return writes / (window.toNanos() / 1e9);
        }

        String line() {
            return String.format(
                    "%3d writers: %,9.0f writes/s  (%,d writes in %.1f s; latency %s)%s%s",
                    writers,
                    perSecond(),
                    writes,
                    window.toNanos() / 1e9,
                    latency.summary(),
                    errors.isEmpty() ? "" : "  ERRORS " + errors,
                    stuck == 0 ? "" : "  STUCK writers: " + stuck);
        }
    }

    private WriteLoad() {}

    static Result run(int writers, Duration warmup, Duration duration, String keyPrefix, Writer writer)
            throws InterruptedException {
        long measureFrom = System.nanoTime() + warmup.toNanos();
        long measureTo = measureFrom + duration.toNanos();
        Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        AtomicBoolean printedTrace = new AtomicBoolean();
        List<Future<long[]>> counts = new ArrayList<>();
        List<Histogram> histograms = new ArrayList<>();
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        for (int w = 0; w < writers; w++) {
            Histogram histogram = new Histogram();
            histograms.add(histogram);
            String prefix = keyPrefix + "w" + w + "/";
            counts.add(threads.submit(() -> {
                byte[] value = new byte[VALUE_BYTES];
                ThreadLocalRandom.current().nextBytes(value);
                long measured = 0;
                for (long i = 0; ; i++) {
                    long start = System.nanoTime();
                    if (start >= measureTo || Thread.currentThread().isInterrupted()) {
                        return new long[] {measured};
                    }
                    try {
                        writer.write(prefix + i, value);
                    } catch (InterruptedException e) {
                        return new long[] {measured};
                    } catch (Exception e) {
                        errors.computeIfAbsent(describe(e), k -> new LongAdder())
                                .increment();
                        if (printedTrace.compareAndSet(false, true)) {
                            System.err.println("first write error (further ones are only counted):");
                            e.printStackTrace();
                        }
                        Thread.sleep(10); // do not spin on a failing store
                        continue;
                    }
                    long end = System.nanoTime();
                    if (end >= measureFrom && end < measureTo) {
                        histogram.record(end - start);
                        measured++;
                    }
                }
            }));
        }
        threads.shutdown();
        long deadline = measureTo + STUCK_GRACE.toNanos();
        boolean finished = threads.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (!finished) {
            threads.shutdownNow();
            threads.awaitTermination(10, TimeUnit.SECONDS);
        }
        long writes = 0;
        int stuck = 0;
        Histogram latency = new Histogram();
        for (int w = 0; w < writers; w++) {
            Future<long[]> count = counts.get(w);
            if (count.state() == Future.State.SUCCESS) {
                writes += count.resultNow()[0];
                latency.add(histograms.get(w));
            } else {
                stuck++;
            }
        }
        Map<String, Long> errorCounts = new TreeMap<>();
        errors.forEach((k, v) -> errorCounts.put(k, v.sum()));
        return new Result(writers, writes, duration, latency, errorCounts, stuck);
    }

    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = String.valueOf(root.getMessage());
        return root.getClass().getSimpleName() + ": " + (message.length() > 120 ? message.substring(0, 120) : message);
    }
}
