package dev.capstan.client.workqueue;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A call running on its own platform thread, for tests that block in the queue. */
record Background<T>(Thread thread, FutureTask<T> task) {
    static <T> Background<T> start(Callable<T> call) {
        FutureTask<T> task = new FutureTask<>(call);
        Thread thread = Thread.ofPlatform().daemon().start(task);
        return new Background<>(thread, task);
    }

    /** Waits until the thread blocks (in a lock or condition wait). */
    Background<T> awaitBlocked() {
        await().atMost(Duration.ofSeconds(5)).until(() -> switch (thread.getState()) {
            case WAITING, TIMED_WAITING, BLOCKED -> true;
            default -> false;
        });
        return this;
    }

    T result() throws InterruptedException, ExecutionException, TimeoutException {
        return task.get(5, TimeUnit.SECONDS);
    }
}
