package dev.capstan.client.workqueue;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** addAfter and addRateLimited: on a fake clock for exact times, on the system clock for real waiting. */
class WorkQueueDelayTest {
    private final FakeClock clock = new FakeClock();
    private final WorkQueue<String> queue =
            new WorkQueue<>("delays", RateLimiter.exponential(ofSeconds(1), ofSeconds(60)), clock, null);

    @Test
    void aDelayedKeyComesAtItsTimeNotBefore() throws InterruptedException {
        queue.addAfter("a", ofSeconds(10));
        assertThat(queue.poll(ofMillis(50))).isEmpty();
        assertThat(queue.length()).isZero();
        clock.advance(ofMillis(9999));
        assertThat(queue.poll(ofMillis(50))).isEmpty();
        clock.advance(ofMillis(1));
        assertThat(queue.length()).isEqualTo(1);
        assertThat(queue.poll(Duration.ZERO)).contains("a");
    }

    @Test
    void anEarlierReAddShortensTheDelayAndReplacesIt() throws InterruptedException {
        queue.addAfter("a", ofSeconds(10));
        queue.addAfter("a", ofSeconds(1));
        clock.advance(ofSeconds(1));
        assertThat(queue.poll(Duration.ZERO)).contains("a");
        queue.done("a");
        clock.advance(ofSeconds(9));
        assertThat(queue.poll(Duration.ZERO))
                .as("the 10 s add was replaced, not kept")
                .isEmpty();
    }

    @Test
    void aLaterReAddDoesNotPostpone() throws InterruptedException {
        queue.addAfter("a", ofSeconds(1));
        queue.addAfter("a", ofSeconds(10));
        clock.advance(ofSeconds(1));
        assertThat(queue.poll(Duration.ZERO)).contains("a");
        queue.done("a");
        clock.advance(ofSeconds(9));
        assertThat(queue.poll(Duration.ZERO)).isEmpty();
    }

    @Test
    void aDelayThatIsNotPositiveAddsAtOnce() {
        queue.addAfter("a", Duration.ZERO);
        queue.addAfter("b", ofSeconds(-1));
        assertThat(queue.length()).isEqualTo(2);
    }

    @Test
    void keysDueTogetherComeInTheOrderOfTheirTimes() throws InterruptedException {
        queue.addAfter("c", ofSeconds(3));
        queue.addAfter("a", ofSeconds(1));
        queue.addAfter("b", ofSeconds(2));
        queue.addAfter("d", ofSeconds(3)); // same time as c, added later
        queue.add("now");
        clock.advance(ofSeconds(5));
        for (String expected : List.of("now", "a", "b", "c", "d")) {
            assertThat(queue.poll(Duration.ZERO)).contains(expected);
        }
    }

    @Test
    void aDelayedKeyThatComesWhileProcessedWaitsForDone() throws InterruptedException {
        queue.add("a");
        assertThat(queue.get()).contains("a");
        queue.addAfter("a", ofSeconds(1));
        clock.advance(ofSeconds(1));
        assertThat(queue.poll(ofMillis(50))).isEmpty();
        queue.done("a");
        assertThat(queue.poll(Duration.ZERO)).contains("a");
    }

    @Test
    void addRateLimitedWaitsTheLimitersDelay() throws InterruptedException {
        queue.addRateLimited("a"); // 1 s
        queue.addRateLimited("b");
        queue.addRateLimited("b"); // b's second failure: 2 s, but the 1 s add is earlier and wins
        clock.advance(ofMillis(999));
        assertThat(queue.poll(Duration.ZERO)).isEmpty();
        clock.advance(ofMillis(1));
        assertThat(queue.poll(Duration.ZERO)).contains("a");
        assertThat(queue.poll(Duration.ZERO)).contains("b");
    }

    @Test
    void aGetterSleepingOnAFakeClockNoticesItJumpWithinASecond() throws Exception {
        queue.addAfter("a", ofSeconds(30));
        Background<?> getter = Background.start(queue::get).awaitBlocked();
        clock.advance(ofSeconds(30));
        assertThat(getter.result()).isEqualTo(Optional.of("a"));
    }

    @Test
    void realWaitingOnTheSystemClockIsNeitherEarlyNorLate() throws Exception {
        WorkQueue<String> real =
                new WorkQueue<>("real", RateLimiter.exponential(ofMillis(1), ofSeconds(1)), Clock.systemUTC(), null);
        long start = System.nanoTime();
        real.addAfter("a", ofMillis(200));
        assertThat(real.get()).contains("a");
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(waited).isBetween(199L, 3000L);
    }

    @Test
    void aBlockedGetterWakesForADelayedKeyAddedAfterItBlocked() throws Exception {
        WorkQueue<String> real =
                new WorkQueue<>("real", RateLimiter.exponential(ofMillis(1), ofSeconds(1)), Clock.systemUTC(), null);
        // Blocked with nothing to wait for: the delayed add must wake it to sleep toward the key's time.
        Background<?> getter = Background.start(real::get).awaitBlocked();
        long start = System.nanoTime();
        real.addAfter("a", ofMillis(100));
        assertThat(getter.result()).isEqualTo(Optional.of("a"));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(99L, 3000L);
    }
}
