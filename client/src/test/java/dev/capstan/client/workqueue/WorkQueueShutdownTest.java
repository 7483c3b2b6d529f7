package dev.capstan.client.workqueue;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkQueueShutdownTest {
    private final FakeClock clock = new FakeClock();
    private final WorkQueue<String> queue =
            new WorkQueue<>("shutdown", RateLimiter.exponential(ofSeconds(1), ofSeconds(60)), clock, null);

    @Test
    void shutDownWakesEveryBlockedGetterAtOnce() throws Exception {
        List<Background<Optional<String>>> getters = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            getters.add(Background.start(queue::get).awaitBlocked());
        }
        Background<Optional<String>> poller =
                Background.start(() -> queue.poll(ofSeconds(60))).awaitBlocked();
        assertThat(queue.isShuttingDown()).isFalse();
        queue.shutDown();
        assertThat(queue.isShuttingDown()).isTrue();
        for (Background<Optional<String>> getter : getters) {
            assertThat(getter.result()).isEmpty();
        }
        assertThat(poller.result()).isEmpty();
    }

    @Test
    void addsAfterShutDownAreIgnored() throws InterruptedException {
        queue.shutDown();
        queue.add("a");
        queue.addAfter("b", ofMillis(1));
        queue.addAfter("c", Duration.ZERO);
        queue.addRateLimited("d");
        clock.advance(ofSeconds(10));
        assertThat(queue.length()).isZero();
        assertThat(queue.get()).isEmpty();
    }

    @Test
    void keysQueuedBeforeShutDownAreStillHandedOutThenEmpty() throws InterruptedException {
        queue.add("a");
        queue.add("b");
        queue.close();
        assertThat(queue.get()).contains("a");
        assertThat(queue.get()).contains("b");
        assertThat(queue.get()).isEmpty();
    }

    @Test
    void delayedKeysAreDroppedAtShutDown() throws InterruptedException {
        queue.addAfter("a", ofSeconds(1));
        queue.shutDown();
        clock.advance(ofSeconds(2));
        assertThat(queue.get()).isEmpty();
    }

    @Test
    void shutDownWithDrainWaitsForKeysBeingProcessed() throws Exception {
        queue.add("a");
        queue.add("b");
        assertThat(queue.get()).contains("a");
        assertThat(queue.get()).contains("b");
        Background<?> drain = Background.start(() -> {
                    queue.shutDownWithDrain();
                    return null;
                })
                .awaitBlocked();
        assertThat(queue.isShuttingDown()).isTrue();
        queue.done("a");
        Thread.sleep(100);
        assertThat(drain.thread().isAlive()).as("b is still processed").isTrue();
        queue.add("c"); // ignored
        queue.done("b");
        drain.result();
        assertThat(queue.get()).isEmpty();
    }

    @Test
    void aKeyAddedWhileProcessedIsStillHandedOutAfterADrain() throws Exception {
        queue.add("a");
        assertThat(queue.get()).contains("a");
        queue.add("a"); // dirty before the shut down
        Background<?> drain = Background.start(() -> {
                    queue.shutDownWithDrain();
                    return null;
                })
                .awaitBlocked();
        queue.done("a");
        drain.result();
        assertThat(queue.get()).contains("a");
        queue.done("a");
        assertThat(queue.get()).isEmpty();
    }

    @Test
    void shutDownEndsAWaitingDrain() throws Exception {
        queue.add("a");
        assertThat(queue.get()).contains("a");
        Background<?> drain = Background.start(() -> {
                    queue.shutDownWithDrain();
                    return null;
                })
                .awaitBlocked();
        queue.shutDown();
        drain.result(); // returns although a is not done
        queue.done("a");
    }

    @Test
    void anInterruptEndsADrainAndStaysSet() throws Exception {
        queue.add("a");
        assertThat(queue.get()).contains("a");
        Background<Boolean> drain = Background.start(() -> {
                    queue.shutDownWithDrain();
                    return Thread.currentThread().isInterrupted();
                })
                .awaitBlocked();
        drain.thread().interrupt();
        assertThat(drain.result()).isTrue();
    }
}
