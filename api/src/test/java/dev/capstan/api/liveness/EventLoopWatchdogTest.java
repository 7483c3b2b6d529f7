package dev.capstan.api.liveness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The watchdog against real single-thread loops, one of them blocked by a latch, on a clock the test moves. */
class EventLoopWatchdogTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<Integer> exits = new ArrayList<>();
    private final ExecutorService quiet = Executors.newSingleThreadExecutor();
    private final ExecutorService blocked = Executors.newSingleThreadExecutor();
    private final CountDownLatch release = new CountDownLatch(1);
    private final EventLoopWatchdog watchdog = new EventLoopWatchdog(
            List.of(quiet, blocked),
            Duration.ofSeconds(5),
            Duration.ofSeconds(30),
            (status, reason) -> exits.add(status),
            now::get);

    @AfterEach
    void stop() {
        release.countDown();
        quiet.shutdownNow();
        blocked.shutdownNow();
    }

    private void advance(Duration by) {
        now.addAndGet(by.toNanos());
    }

    /** Runs a check, then waits until {@code loops} have run what it sent them (the clock stands still). */
    private void settle(ExecutorService... loops) throws Exception {
        watchdog.check();
        for (ExecutorService loop : loops) {
            // single-threaded and in order: once this has run, so has the ping sent before it
            loop.submit(() -> null).get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aBlockedLoopMakesTheServerUnreadyAndRecovers() throws Exception {
        blocked.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        settle(quiet);
        advance(Duration.ofSeconds(4));
        watchdog.check();
        assertThat(watchdog.healthy()).as("4 s is under the threshold").isTrue();

        advance(Duration.ofSeconds(2));
        watchdog.check();
        assertThat(watchdog.healthy()).isFalse();
        assertThat(exits).isEmpty();

        release.countDown();
        blocked.submit(() -> null).get();
        watchdog.check();
        assertThat(watchdog.healthy()).isTrue();
        assertThat(exits).isEmpty();
    }

    @Test
    void aLoopStuckPastTheExitThresholdEndsTheProcess() {
        blocked.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        watchdog.check();
        advance(Duration.ofSeconds(29));
        watchdog.check();
        assertThat(exits).isEmpty();
        advance(Duration.ofSeconds(1));
        watchdog.check();
        assertThat(exits).containsExactly(ProcessExit.EVENT_LOOP_STUCK);
    }

    @Test
    void healthyLoopsKeepTheServerReady() throws Exception {
        for (int i = 0; i < 10; i++) {
            settle(quiet, blocked);
            advance(Duration.ofSeconds(10));
        }
        settle(quiet, blocked);
        assertThat(watchdog.healthy()).isTrue();
        assertThat(exits).isEmpty();
    }

    @Test
    void refusesThresholdsThatCannotWork() {
        assertThatThrownBy(() -> new EventLoopWatchdog(
                        List.of(quiet), Duration.ofSeconds(10), Duration.ofSeconds(5), (s, r) -> {}, now::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("capstan.api.event-loop-unready-after");
    }
}
