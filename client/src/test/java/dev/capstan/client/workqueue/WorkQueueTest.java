package dev.capstan.client.workqueue;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Dedup, one worker per key, FIFO and metrics, one step at a time. */
class WorkQueueTest {
    private final FakeClock clock = new FakeClock();
    private final WorkQueue<String> queue =
            new WorkQueue<>("test", RateLimiter.exponential(ofSeconds(1), ofSeconds(60)), clock, null);

    private List<String> drain() throws InterruptedException {
        List<String> keys = new ArrayList<>();
        for (Optional<String> key = queue.poll(Duration.ZERO); key.isPresent(); key = queue.poll(Duration.ZERO)) {
            keys.add(key.get());
            queue.done(key.get());
        }
        return keys;
    }

    @Test
    void manyAddsOfAWaitingKeyAreHandedOutOnce() throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            queue.add("a");
        }
        assertThat(queue.length()).isEqualTo(1);
        assertThat(queue.get()).contains("a");
        assertThat(queue.poll(ofMillis(50))).isEmpty();
        queue.done("a");
        assertThat(queue.poll(ofMillis(50))).isEmpty();
    }

    @Test
    void aKeyAddedWhileProcessedIsHandedOutOnceMoreAfterDoneNotBefore() throws Exception {
        queue.add("a");
        assertThat(queue.get()).contains("a");
        queue.add("a");
        queue.add("a");
        queue.add("a");
        assertThat(queue.length()).as("not ready while processed").isZero();
        // A second worker must not get it while the first still has it.
        assertThat(Background.start(() -> queue.poll(ofMillis(200))).result()).isEmpty();
        queue.done("a");
        assertThat(queue.length()).isEqualTo(1);
        assertThat(queue.get()).contains("a");
        queue.done("a");
        assertThat(queue.poll(ofMillis(50))).as("exactly once more").isEmpty();
    }

    @Test
    void anAddWakesABlockedGetter() throws Exception {
        Background<Optional<String>> getter = Background.start(queue::get).awaitBlocked();
        queue.add("a");
        assertThat(getter.result()).contains("a");
    }

    @Test
    void doneWakesABlockedGetterForTheKeyItRequeues() throws Exception {
        queue.add("a");
        assertThat(queue.get()).contains("a");
        Background<Optional<String>> getter = Background.start(queue::get).awaitBlocked();
        queue.add("a"); // only marks it dirty: nothing to hand out yet
        Thread.sleep(50);
        assertThat(getter.task().isDone()).isFalse();
        queue.done("a");
        assertThat(getter.result()).contains("a");
    }

    @Test
    void keysComeInTheOrderOfTheirFirstAdd() throws InterruptedException {
        for (String key : List.of("c", "a", "b", "a", "c", "d")) {
            queue.add(key);
        }
        assertThat(drain()).containsExactly("c", "a", "b", "d");
    }

    @Test
    void aKeyRequeuedByDoneGoesLast() throws InterruptedException {
        queue.add("a");
        queue.add("b");
        assertThat(queue.get()).contains("a");
        queue.add("a");
        queue.add("c"); // before done: the re-queued a still goes behind it
        queue.done("a");
        queue.add("d");
        assertThat(drain()).containsExactly("b", "c", "a", "d");
    }

    @Test
    void lengthCountsOnlyReadyKeys() throws InterruptedException {
        queue.add("a");
        queue.add("b");
        queue.addAfter("c", ofSeconds(5));
        assertThat(queue.length()).isEqualTo(2);
        assertThat(queue.get()).contains("a");
        queue.add("a");
        assertThat(queue.length())
                .as("b; not the processed a nor the delayed c")
                .isEqualTo(1);
    }

    @Test
    void doneOfAKeyNotBeingProcessedIsRefused() throws InterruptedException {
        queue.add("a");
        assertThatThrownBy(() -> queue.done("a")).isInstanceOf(IllegalStateException.class);
        assertThat(queue.get()).contains("a");
        queue.done("a");
        assertThatThrownBy(() -> queue.done("a")).isInstanceOf(IllegalStateException.class);
        assertThat(queue.length()).isZero(); // the refused done queued nothing
    }

    @Test
    void forgetAndRetriesAreTheRateLimiters() {
        queue.addRateLimited("a");
        queue.addRateLimited("a");
        assertThat(queue.retries("a")).isEqualTo(2);
        queue.forget("a");
        assertThat(queue.retries("a")).isZero();
    }

    @Test
    void pollWaitsAtMostItsTimeout() throws InterruptedException {
        long start = System.nanoTime();
        assertThat(queue.poll(ofMillis(100))).isEmpty();
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(waited).isBetween(99L, 3000L);
    }

    @Test
    void nullKeysAreRefused() {
        assertThatThrownBy(() -> queue.add(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> queue.addAfter(null, ofSeconds(1))).isInstanceOf(NullPointerException.class);
    }

    @Test
    void metricsFollowUpstreamsWorkqueueMetrics() throws InterruptedException {
        MeterRegistry registry = new SimpleMeterRegistry();
        WorkQueue<String> measured =
                new WorkQueue<>("pods", RateLimiter.exponential(ofSeconds(1), ofSeconds(60)), clock, registry);
        measured.add("a");
        measured.add("a");
        measured.add("b");
        assertThat(registry.get("workqueue.adds").tag("name", "pods").counter().count())
                .isEqualTo(2);
        assertThat(depth(registry)).isEqualTo(2);

        clock.advance(ofSeconds(3));
        assertThat(measured.get()).contains("a");
        Timer queued =
                registry.get("workqueue.queue.duration").tag("name", "pods").timer();
        assertThat(queued.count()).isEqualTo(1);
        assertThat(queued.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(3000);
        assertThat(depth(registry)).isEqualTo(1);

        measured.add("a"); // while processed: counts as an add and in the depth, as upstream
        assertThat(depth(registry)).isEqualTo(2);
        clock.advance(ofSeconds(2));
        measured.done("a");
        Timer work = registry.get("workqueue.work.duration").tag("name", "pods").timer();
        assertThat(work.count()).isEqualTo(1);
        assertThat(work.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(2000);

        measured.addAfter("c", ofSeconds(1));
        measured.addAfter("d", Duration.ZERO);
        measured.addRateLimited("e");
        assertThat(registry.get("workqueue.retries")
                        .tag("name", "pods")
                        .counter()
                        .count())
                .isEqualTo(3);
        assertThat(depth(registry)).as("b, a and d; c and e are delayed").isEqualTo(3);
        clock.advance(ofSeconds(1));
        assertThat(depth(registry)).as("c and e are due").isEqualTo(5);
        assertThat(registry.get("workqueue.adds").tag("name", "pods").counter().count())
                .isEqualTo(6);

        measured.shutDown();
        assertThat(registry.find("workqueue.depth").gauge())
                .as("removed, so that a new queue of that name reports its own")
                .isNull();
        new WorkQueue<String>("pods", RateLimiter.exponential(ofSeconds(1), ofSeconds(60)), clock, registry).add("x");
        assertThat(depth(registry)).isEqualTo(1);
    }

    private static double depth(MeterRegistry registry) {
        return registry.get("workqueue.depth").tag("name", "pods").gauge().value();
    }
}
