package dev.capstan.client.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.capstan.client.ApiClient;
import dev.capstan.client.events.FaultyApiClient;
import dev.capstan.client.fake.FakeApiClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Electors on their own threads with the system clock and short timings: 1 s lease, 500 ms deadline, 100 ms retry. */
class LeaderElectorRealTimeTest {
    private static final Duration LEASE = Duration.ofMillis(1000);
    private static final Duration DEADLINE = Duration.ofMillis(500);
    private static final Duration RETRY = Duration.ofMillis(100);
    /** How late a callback may come on a busy two-core machine. */
    private static final long SLACK_MS = 250;

    private final FakeApiClient api = new FakeApiClient();
    private final List<LeaderElector> electors = new ArrayList<>();

    @AfterEach
    void closeAll() {
        electors.forEach(LeaderElector::close);
    }

    private LeaderElector elector(ApiClient client, String identity, boolean release) {
        var config = new LeaderElectionConfig("kube-system", "test", identity, LEASE, DEADLINE, RETRY, release);
        var elector = new LeaderElector(client, config, Clock.systemUTC());
        electors.add(elector);
        return elector;
    }

    /** Callbacks that note when leadership started and stopped (System.nanoTime). */
    static final class Timed implements LeaderElector.Callbacks {
        final AtomicLong started = new AtomicLong();
        final AtomicLong stopped = new AtomicLong();

        @Override
        public void onStartedLeading() {
            started.set(System.nanoTime());
        }

        @Override
        public void onStoppedLeading() {
            stopped.set(System.nanoTime());
        }
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    @Test
    void releaseOnCloseHandsOverWithinARetry() {
        var ta = new Timed();
        var tb = new Timed();
        LeaderElector a = elector(api, "a", true);
        a.start(ta);
        await().atMost(Duration.ofSeconds(2)).until(a::isLeader);
        LeaderElector b = elector(api, "b", false);
        b.start(tb);
        await().atMost(Duration.ofSeconds(2)).until(() -> b.currentLeader().equals("a"));

        long closing = System.nanoTime();
        a.close();
        await().atMost(Duration.ofSeconds(2)).until(b::isLeader);

        assertThat(ta.stopped.get()).isLessThan(tb.started.get());
        // a candidate waits at most retryPeriod * (1 + 1.2) between tries; without the release it would wait a lease
        assertThat(millisSince(closing)).isLessThan(RETRY.toMillis() * 22 / 10 + SLACK_MS);
    }

    @Test
    void aDeadLeaderIsReplacedAfterTheLeaseNotBefore() {
        LeaderElector a = elector(api, "a", false);
        a.start(new Timed());
        await().atMost(Duration.ofSeconds(2)).until(a::isLeader);
        var tb = new Timed();
        LeaderElector b = elector(api, "b", false);
        b.start(tb);
        await().atMost(Duration.ofSeconds(2)).until(() -> b.currentLeader().equals("a"));

        long died = System.nanoTime();
        a.close(); // no release: the Lease stays a's until it expires
        await().atMost(Duration.ofSeconds(3)).until(b::isLeader);

        // a renewed at most one retryPeriod before it died; b waits a lease from the last renewal it saw
        assertThat((tb.started.get() - died) / 1_000_000)
                .isGreaterThanOrEqualTo(LEASE.minus(RETRY).toMillis());
    }

    @Test
    void aLeaderWhoseWritesFailStopsWithinTheRenewDeadline() {
        var faulty = new FaultyApiClient(api);
        var ta = new Timed();
        LeaderElector a = elector(faulty, "a", false);
        a.start(ta);
        await().atMost(Duration.ofSeconds(2)).until(a::isLeader);

        long failing = System.nanoTime();
        faulty.before(FaultyApiClient.WRITES_FAIL);
        await().atMost(Duration.ofSeconds(2)).until(() -> !a.isLeader());

        assertThat((ta.stopped.get() - failing) / 1_000_000).isLessThan(DEADLINE.toMillis() + SLACK_MS);
    }

    @Test
    void aLeaderWhoseCallsHangStopsWithinTheRenewDeadline() {
        var faulty = new FaultyApiClient(api);
        var ta = new Timed();
        LeaderElector a = elector(faulty, "a", false);
        a.start(ta);
        await().atMost(Duration.ofSeconds(2)).until(a::isLeader);

        long hanging = System.nanoTime();
        faulty.before((verb, kind) -> sleep(60_000));
        await().atMost(Duration.ofSeconds(2)).until(() -> !a.isLeader());

        assertThat((ta.stopped.get() - hanging) / 1_000_000).isLessThan(DEADLINE.toMillis() + SLACK_MS);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw FaultyApiClient.unavailable();
        }
    }

    /** Per elector: slow calls always, and windows of partition, hung calls and writes whose answer is lost. */
    static final class Chaos {
        volatile long partitionUntil;
        volatile long hangUntil;
        volatile long lostAnswersUntil;

        FaultyApiClient.Fault before() {
            return (verb, kind) -> {
                sleep(ThreadLocalRandom.current().nextInt(20));
                long hang = hangUntil - System.nanoTime();
                if (hang > 0) {
                    sleep(hang / 1_000_000);
                }
                if (System.nanoTime() < partitionUntil) {
                    throw FaultyApiClient.unavailable();
                }
            };
        }

        FaultyApiClient.Fault after() {
            return (verb, kind) -> {
                if (verb.equals("update") && System.nanoTime() < lostAnswersUntil) {
                    throw FaultyApiClient.unavailable(); // the write happened; its answer is lost
                }
            };
        }
    }

    @Test
    void threeElectorsUnderFaultsNeverLeadAtOnce() throws InterruptedException {
        var acting = new AtomicReference<String>();
        List<String> violations = new CopyOnWriteArrayList<>();
        List<String> terms = new CopyOnWriteArrayList<>();
        List<Chaos> chaos = new ArrayList<>();
        List<LeaderElector> three = new ArrayList<>();
        for (String id : List.of("a", "b", "c")) {
            var c = new Chaos();
            var faulty = new FaultyApiClient(api);
            faulty.before(c.before());
            faulty.after(c.after());
            chaos.add(c);
            LeaderElector elector =
                    elector(faulty, id, ThreadLocalRandom.current().nextBoolean());
            three.add(elector);
            elector.start(new LeaderElector.Callbacks() {
                @Override
                public void onStartedLeading() {
                    terms.add(id);
                    if (!acting.compareAndSet(null, id)) {
                        violations.add(id + " started while " + acting.get() + " leads");
                    }
                }

                @Override
                public void onStoppedLeading() {
                    if (!acting.compareAndSet(id, null)) {
                        violations.add(id + " stopped while " + acting.get() + " leads");
                    }
                }
            });
        }

        long end = System.nanoTime() + Duration.ofSeconds(6).toNanos();
        var random = ThreadLocalRandom.current();
        while (System.nanoTime() < end) {
            Thread.sleep(250);
            String leader = acting.get();
            if (leader == null) {
                continue;
            }
            Chaos c = chaos.get(leader.charAt(0) - 'a');
            long until = System.nanoTime()
                    + Duration.ofMillis(300 + random.nextInt(900)).toNanos();
            switch (random.nextInt(4)) {
                case 0 -> c.partitionUntil = until;
                case 1 -> c.hangUntil = until;
                case 2 -> c.lostAnswersUntil = until;
                default -> {} // let it lead a while
            }
        }
        three.forEach(LeaderElector::close);

        assertThat(violations).isEmpty();
        assertThat(terms).as("leadership changed hands: %s", terms).hasSizeGreaterThanOrEqualTo(3);
        assertThat(acting.get()).isNull();
    }
}
