package dev.capstan.client.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InProcessRestarterTest {
    private final List<Instance> launched = new CopyOnWriteArrayList<>();
    private final AtomicInteger exits = new AtomicInteger();
    private final InProcessRestarter restarter = restarter(true);

    private InProcessRestarter restarter(boolean inProcess) {
        return new InProcessRestarter(
                "test",
                () -> {
                    Instance next = new Instance();
                    launched.add(next);
                    return next;
                },
                inProcess,
                exits::incrementAndGet);
    }

    @Test
    void aLostLeadershipClosesTheInstanceAndStartsAFreshOne() {
        restarter.start();
        assertThat(launched).hasSize(1);

        restarter.lostLeadership();

        await().atMost(Duration.ofSeconds(10)).until(() -> launched.size() == 2);
        assertThat(launched.get(0).closed).isTrue();
        assertThat(launched.get(1).closed).isFalse();
        assertThat(exits.get()).isZero();
        restarter.stop();
        assertThat(launched.get(1).closed).isTrue();
    }

    @Test
    void aLostLeadershipExitsWhenNotRestartingInProcess() throws InterruptedException {
        InProcessRestarter alone = restarter(false);
        alone.start();

        alone.lostLeadership();

        assertThat(exits.get()).isEqualTo(1);
        Thread.sleep(200);
        assertThat(launched).hasSize(1);
        assertThat(launched.get(0).closed)
                .as("closed by the exit's shutdown, not here")
                .isFalse();
    }

    @Test
    void noRestartAfterStop() throws InterruptedException {
        restarter.start();
        restarter.stop();

        restarter.restart();

        Thread.sleep(200);
        assertThat(launched).hasSize(1);
        assertThat(launched.get(0).closed).isTrue();
    }

    private static final class Instance implements AutoCloseable {
        private volatile boolean closed;

        @Override
        public void close() {
            closed = true;
        }
    }
}
