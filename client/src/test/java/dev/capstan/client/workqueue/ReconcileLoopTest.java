package dev.capstan.client.workqueue;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReconcileLoopTest {
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final WorkQueue<String> queue =
            new WorkQueue<>("loop", RateLimiter.exponential(ofMillis(40), ofSeconds(1)), Clock.systemUTC(), null);
    /** Calls of the reconciler: key, nanoTime, the queue's retries of the key at that moment. */
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    /** Keys whose reconcile returned or threw, in that order. */
    private final List<String> finished = new CopyOnWriteArrayList<>();

    private record Call(String key, long nanos, int retries) {}

    private ReconcileLoop<String> loop;

    private ReconcileLoop<String> start(Reconciler<String> reconciler, int workers) {
        loop = new ReconcileLoop<>(
                "test-controller",
                queue,
                key -> {
                    calls.add(new Call(key, System.nanoTime(), queue.retries(key)));
                    try {
                        return reconciler.reconcile(key);
                    } finally {
                        finished.add(key);
                    }
                },
                workers,
                registry);
        loop.start();
        return loop;
    }

    @AfterEach
    void closeLoop() {
        if (loop != null) {
            loop.close();
        }
    }

    private static long millisBetween(Call first, Call second) {
        return TimeUnit.NANOSECONDS.toMillis(second.nanos() - first.nanos());
    }

    @Test
    void failuresAreRetriedWithBackOffAndSuccessForgetsTheKey() {
        AtomicInteger failures = new AtomicInteger(2);
        start(
                key -> {
                    if (failures.getAndDecrement() > 0) {
                        throw new IllegalStateException("not yet");
                    }
                    return Result.DONE;
                },
                2);
        queue.add("a");
        await().atMost(ofSeconds(5)).until(() -> calls.size() == 3 && queue.retries("a") == 0);
        assertThat(calls).extracting(Call::retries).containsExactly(0, 1, 2);
        assertThat(millisBetween(calls.get(0), calls.get(1)))
                .as("first back-off")
                .isGreaterThanOrEqualTo(39);
        assertThat(millisBetween(calls.get(1), calls.get(2)))
                .as("second back-off")
                .isGreaterThanOrEqualTo(79);
        assertThat(registry.get("controller.reconcile.errors")
                        .tag("controller", "test-controller")
                        .counter()
                        .count())
                .isEqualTo(2);
        await().atMost(ofSeconds(5))
                .until(() -> registry.get("controller.reconcile.duration")
                                .tag("controller", "test-controller")
                                .timer()
                                .count()
                        == 3);
    }

    @Test
    void requeueAfterForgetsTheBackOffAndComesBackAfterTheDelay() {
        AtomicInteger call = new AtomicInteger();
        start(
                key -> switch (call.getAndIncrement()) {
                    case 0 -> throw new IllegalStateException("fails once");
                    case 1 -> Result.requeueAfter(ofMillis(150));
                    default -> Result.DONE;
                },
                1);
        queue.add("a");
        await().atMost(ofSeconds(5)).until(() -> calls.size() == 3);
        assertThat(calls).extracting(Call::retries).containsExactly(0, 1, 0); // forgotten on the requeue
        assertThat(millisBetween(calls.get(1), calls.get(2))).isGreaterThanOrEqualTo(149);
    }

    @Test
    void aFailingKeyDoesNotStopTheWorkerFromOthers() {
        start(
                key -> {
                    if (key.equals("bad")) {
                        throw new Exception("always");
                    }
                    return Result.DONE;
                },
                1);
        queue.add("bad");
        queue.add("good-1");
        queue.add("good-2");
        await().atMost(ofSeconds(5))
                .until(() ->
                        calls.stream().filter(c -> c.key().startsWith("good")).count() == 2
                                && queue.retries("bad") >= 2);
    }

    @Test
    void keysAreReconciledInParallelUpToTheWorkers() {
        CountDownLatch allIn = new CountDownLatch(3);
        AtomicInteger running = new AtomicInteger();
        Set<Integer> concurrency = ConcurrentHashMap.newKeySet();
        start(
                key -> {
                    concurrency.add(running.incrementAndGet());
                    allIn.countDown();
                    // Three keys can only meet here if three workers hold them at once.
                    boolean met = allIn.await(5, TimeUnit.SECONDS);
                    Thread.sleep(20);
                    running.decrementAndGet();
                    return met ? Result.DONE : Result.requeueAfter(ofSeconds(60));
                },
                3);
        for (String key : List.of("a", "b", "c", "d", "e", "f")) {
            queue.add(key);
        }
        await().atMost(ofSeconds(10)).until(() -> calls.size() == 6);
        assertThat(allIn.getCount()).isZero();
        assertThat(concurrency).contains(3).allMatch(n -> n <= 3);
    }

    @Test
    void closeWaitsForTheRunningReconcileAndJoinsTheWorkers() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> workers = new CopyOnWriteArrayList<>();
        start(
                key -> {
                    workers.add(Thread.currentThread());
                    if (key.equals("a")) {
                        entered.countDown();
                        release.await();
                    } else {
                        Thread.sleep(200); // long enough for a close that did not join to return first
                    }
                    return Result.DONE;
                },
                1);
        queue.add("a");
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        queue.add("b"); // queued before the close: still reconciled, as client-go's workers drain the queue
        Background<?> closer = Background.start(() -> {
                    loop.close();
                    return null;
                })
                .awaitBlocked();
        assertThat(queue.isShuttingDown()).isTrue();
        queue.add("c"); // after the close: ignored
        Thread.sleep(100);
        assertThat(closer.thread().isAlive()).as("close waits for a").isTrue();
        release.countDown();
        closer.result();
        assertThat(finished).containsExactly("a", "b");
        assertThat(workers).allMatch(worker -> !worker.isAlive()).allMatch(Thread::isVirtual);
    }

    @Test
    void startTwiceIsRefusedAndCloseWithoutStartShutsTheQueueDown() {
        ReconcileLoop<String> started = start(key -> Result.DONE, 1);
        assertThatThrownBy(started::start).isInstanceOf(IllegalStateException.class);
        WorkQueue<String> other = WorkQueue.create("other");
        new ReconcileLoop<>("never-started", other, key -> Result.DONE, 1, null).close();
        assertThat(other.isShuttingDown()).isTrue();
        assertThatThrownBy(() -> new ReconcileLoop<>("none", other, key -> Result.DONE, 0, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
