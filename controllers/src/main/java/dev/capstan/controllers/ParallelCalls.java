package dev.capstan.controllers;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * Runs a batch of API calls at once, as upstream's controllers issue a slow-start batch or a set of deletions from
 * goroutines: a reconcile that creates 500 pods one after another waits 500 round trips, so it would take seconds
 * where upstream takes a few batches' worth. Each call runs on a virtual thread that ends with it.
 */
public final class ParallelCalls {
    private ParallelCalls() {}

    /**
     * Runs {@code call(0 .. count-1)} concurrently and waits for all of them. Answers the failures (in index order),
     * empty when every call returned.
     */
    public static List<RuntimeException> run(int count, IntConsumer call) {
        if (count == 1) {
            try {
                call.accept(0);
                return List.of();
            } catch (RuntimeException e) {
                return List.of(e);
            }
        }
        List<RuntimeException> failures = new ArrayList<>();
        List<Future<?>> calls = new ArrayList<>(count);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                int index = i;
                calls.add(executor.submit(() -> call.accept(index)));
            }
            for (Future<?> f : calls) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    failures.add(
                            e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failures.add(new IllegalStateException("interrupted while waiting for API calls", e));
                    break;
                }
            }
        }
        return failures;
    }
}
