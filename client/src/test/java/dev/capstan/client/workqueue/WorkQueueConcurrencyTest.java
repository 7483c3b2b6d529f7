package dev.capstan.client.workqueue;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Many producers and workers on few keys. Catches a key in flight twice at once (guarantee 2), and an add that is
 * lost: every add must be followed by a processing that started after it, so for each key the last processing must
 * start after the last add.
 */
class WorkQueueConcurrencyTest {
    private static final int KEYS = 20;
    private static final int WORKERS = 8;
    private static final int PRODUCERS = 4;
    private static final int ROUNDS = 10;

    /** Orders add calls and processing starts across threads. */
    private final AtomicLong stamp = new AtomicLong();

    private final AtomicInteger[] inFlight =
            IntStream.range(0, KEYS).mapToObj(i -> new AtomicInteger()).toArray(AtomicInteger[]::new);
    private final AtomicLongArray lastAdd = new AtomicLongArray(KEYS);
    private final AtomicLongArray lastStart = new AtomicLongArray(KEYS);
    private final AtomicLong processings = new AtomicLong();
    private final AtomicLong addsWhileInFlight = new AtomicLong();
    private final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();

    private final WorkQueue<Integer> queue = new WorkQueue<>(
            "hammer", RateLimiter.exponential(Duration.ofNanos(1), Duration.ofMillis(1)), Clock.systemUTC(), null);

    @Test
    void noKeyIsEverInFlightTwiceAndNoAddIsLost() throws Exception {
        hammer(50_000, false);
    }

    @Test
    void delayedAndRateLimitedAddsKeepTheGuaranteesToo() throws Exception {
        hammer(20_000, true);
    }

    /**
     * {@code adds} adds in rounds; after each round, once the producers stopped, every key's last add must be followed
     * by a processing (an add lost in the middle of a round is covered by a later add of its key, so checking each
     * round gives {@code ROUNDS * KEYS} chances to see one lost).
     */
    private void hammer(int adds, boolean delayed) throws Exception {
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < WORKERS; i++) {
            workers.add(Thread.ofPlatform().name("worker-" + i).start(this::work));
        }
        for (int round = 0; round < ROUNDS; round++) {
            List<Thread> producers = new ArrayList<>();
            for (int i = 0; i < PRODUCERS; i++) {
                int count = adds / ROUNDS / PRODUCERS;
                producers.add(Thread.ofPlatform().name("producer-" + i).start(() -> produce(count, delayed)));
            }
            for (Thread producer : producers) {
                producer.join(ofSeconds(30));
                assertThat(producer.isAlive()).isFalse();
            }
            int thisRound = round;
            await().pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(1))
                    .atMost(ofSeconds(5))
                    .untilAsserted(() -> {
                        assertThat(violations).isEmpty(); // fail on the cause, not on the stall it leads to
                        assertThat(IntStream.range(0, KEYS))
                                .as("round %d: keys whose last add was followed by a processing", thisRound)
                                .allMatch(key -> lastStart.get(key) > lastAdd.get(key));
                    });
        }
        queue.shutDownWithDrain();
        for (Thread worker : workers) {
            worker.join(ofSeconds(10));
            assertThat(worker.isAlive()).isFalse();
        }

        assertThat(violations).isEmpty();
        assertThat(queue.length()).isZero();
        assertThat(processings.get()).isBetween((long) KEYS, (long) adds);
        // The test is only worth something if adds raced with processing of the same key.
        assertThat(addsWhileInFlight.get()).isPositive();
    }

    private void produce(int count, boolean delayed) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < count; i++) {
            int key = random.nextInt(KEYS);
            if (inFlight[key].get() > 0) {
                addsWhileInFlight.incrementAndGet();
            }
            // Stamped before the add and the processing after its get returns: a correct queue always ends with a
            // later processing stamp; a queue that lost the add does not.
            lastAdd.accumulateAndGet(key, stamp.incrementAndGet(), Math::max);
            switch (delayed ? random.nextInt(3) : 0) {
                case 0 -> queue.add(key);
                case 1 -> queue.addAfter(key, Duration.ofNanos(random.nextInt(200_000)));
                default -> queue.addRateLimited(key);
            }
            if (random.nextInt(64) == 0) {
                Thread.yield();
            }
        }
    }

    private void work() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        try {
            for (Optional<Integer> next = queue.get(); next.isPresent(); next = queue.get()) {
                int key = next.get();
                lastStart.accumulateAndGet(key, stamp.incrementAndGet(), Math::max);
                int holders = inFlight[key].incrementAndGet();
                if (holders != 1) {
                    violations.add("key " + key + " in flight " + holders + " times");
                }
                processings.incrementAndGet();
                switch (random.nextInt(4)) { // vary how long a key is held so adds land mid-processing
                    case 0 -> Thread.yield();
                    case 1 -> LockSupport.parkNanos(random.nextInt(20_000));
                    default -> Thread.onSpinWait();
                }
                inFlight[key].decrementAndGet();
                queue.done(key);
            }
        } catch (InterruptedException | RuntimeException e) {
            violations.add(Thread.currentThread().getName() + " failed: " + e);
        }
    }
}
