package dev.capstan.client.leader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.client.ApiClient;
import dev.capstan.client.Kind;
import dev.capstan.client.events.FaultyApiClient;
import dev.capstan.client.events.MutableClock;
import dev.capstan.client.fake.FakeApiClient;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Elections stepped round by round against the fake API with a clock the test moves (upstream's 15/10/2 s). */
class LeaderElectorTest {
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final Kind<GenericKubernetesResource> RAW_LEASES =
            new Kind<>("coordination.k8s.io", "v1", "leases", "Lease", true, GenericKubernetesResource.class);

    private final MutableClock clock = new MutableClock(T0);
    private final FakeApiClient api = new FakeApiClient(clock);
    private final List<LeaderElector> electors = new ArrayList<>();

    @AfterEach
    void closeAll() {
        electors.forEach(LeaderElector::close);
    }

    private LeaderElector elector(ApiClient client, String identity, boolean release, Recorder recorder) {
        var config = new LeaderElectionConfig(
                "kube-system",
                "kube-scheduler",
                identity,
                Duration.ofSeconds(15),
                Duration.ofSeconds(10),
                Duration.ofSeconds(2),
                release);
        var elector = new LeaderElector(client, config, clock);
        elector.callbacks(recorder);
        electors.add(elector);
        return elector;
    }

    private LeaderElectionRecord lease() {
        return api.resources(LeaseObject.KIND)
                .get("kube-system", "kube-scheduler")
                .orElseThrow()
                .record();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> rawSpec() {
        return (Map<String, Object>) api.resources(RAW_LEASES)
                .get("kube-system", "kube-scheduler")
                .orElseThrow()
                .getAdditionalProperties()
                .get("spec");
    }

    @Test
    void oneOfTwoCandidatesWins() {
        var ra = new Recorder();
        var rb = new Recorder();
        LeaderElector a = elector(api, "a", false, ra);
        LeaderElector b = elector(api, "b", false, rb);

        a.round();
        b.round();

        assertThat(a.isLeader()).isTrue();
        assertThat(b.isLeader()).isFalse();
        assertThat(a.currentLeader()).isEqualTo("a");
        assertThat(b.currentLeader()).isEqualTo("a");
        assertThat(ra.calls).containsExactly("leader a", "started");
        assertThat(rb.calls).containsExactly("leader a");
        assertThat(rawSpec())
                .containsEntry("holderIdentity", "a")
                .containsEntry("leaseDurationSeconds", 15)
                .containsEntry("leaseTransitions", 0)
                .containsEntry("acquireTime", "2025-03-01T10:00:00.000000Z")
                .containsEntry("renewTime", "2025-03-01T10:00:00.000000Z");
    }

    @Test
    void renewalsKeepTheStandbyWaiting() {
        LeaderElector a = elector(api, "a", false, new Recorder());
        LeaderElector b = elector(api, "b", false, new Recorder());
        a.round();
        for (int i = 0; i < 30; i++) {
            clock.advance(Duration.ofSeconds(2));
            a.round();
            b.round();
            assertThat(a.isLeader()).isTrue();
            assertThat(b.isLeader()).isFalse();
        }
        assertThat(lease().renewTime()).isEqualTo(clock.instant());
        assertThat(lease().acquireTime()).isEqualTo(T0);
        assertThat(lease().leaseTransitions()).isZero();
    }

    @Test
    void standbyTakesOverLeaseDurationAfterTheLastRenewalItSawAndTriesAgainJustThen() {
        var rb = new Recorder();
        LeaderElector a = elector(api, "a", false, new Recorder());
        LeaderElector b = elector(api, "b", false, rb);
        a.round();
        clock.advance(Duration.ofSeconds(2));
        a.round(); // last renewal at T0+2s
        clock.advance(Duration.ofSeconds(1));
        b.round(); // b first sees that renewal at T0+3s; its renewTime, T0+2s, is within the 3 s attribution
        a.close(); // dies without releasing

        clock.advance(Duration.ofMillis(13_900)); // T0+16.9s
        Duration next = b.round();
        assertThat(b.isLeader()).isFalse();
        assertThat(next).as("due when the lease runs out, at T0+17s").isEqualTo(Duration.ofMillis(101));

        clock.advance(next);
        b.round();
        assertThat(b.isLeader()).isTrue();
        assertThat(rb.calls).containsExactly("leader a", "leader b", "started");
        LeaderElectionRecord record = lease();
        assertThat(record.holderIdentity()).isEqualTo("b");
        assertThat(record.leaseTransitions()).isEqualTo(1);
        assertThat(record.acquireTime()).isEqualTo(clock.instant());
    }

    @Test
    void aRemoteRenewTimeCountsOnlyWithinTheAttribution() {
        // A Lease last renewed an hour ago by another machine's clock: the change is placed no earlier than 3 s before
        // the read, so the wait is leaseDuration − 3 s, still 2 s past the holder's renew deadline.
        var spec = Map.<String, Object>of(
                "holderIdentity", "ghost",
                "leaseDurationSeconds", 15,
                "acquireTime", "2025-03-01T09:00:00.000000Z",
                "renewTime", "2025-03-01T09:00:00.000000Z",
                "leaseTransitions", 4);
        var raw = new GenericKubernetesResource();
        raw.setMetadata(new ObjectMetaBuilder()
                .withNamespace("kube-system")
                .withName("kube-scheduler")
                .build());
        raw.setAdditionalProperty("spec", spec);
        api.resources(RAW_LEASES).create(raw);

        LeaderElector b = elector(api, "b", false, new Recorder());
        b.round();
        assertThat(b.isLeader()).isFalse();
        assertThat(b.currentLeader()).isEqualTo("ghost");
        clock.advance(Duration.ofMillis(11_999));
        b.round();
        assertThat(b.isLeader()).isFalse();
        clock.advance(Duration.ofMillis(2));
        b.round();
        assertThat(b.isLeader()).isTrue();
        assertThat(lease().leaseTransitions()).isEqualTo(5);
    }

    @Test
    void releaseOnCloseHandsOverAtOnce() {
        var ra = new Recorder();
        LeaderElector a = elector(api, "a", true, ra);
        LeaderElector b = elector(api, "b", false, new Recorder());
        List<String> holderWhenStopped = new ArrayList<>();
        ra.onStopped = () -> holderWhenStopped.add(lease().holderIdentity());
        a.round();
        b.round();

        a.close();

        assertThat(ra.calls).containsExactly("leader a", "started", "stopped");
        assertThat(holderWhenStopped).containsExactly("a"); // released only after the leader stopped acting
        assertThat(rawSpec()).doesNotContainKey("holderIdentity").containsEntry("leaseDurationSeconds", 1);
        b.round();
        assertThat(b.isLeader()).isTrue();
        assertThat(lease().holderIdentity()).isEqualTo("b");
        assertThat(lease().leaseTransitions()).isEqualTo(1);
    }

    @Test
    void aLeaderThatCannotRenewStopsAtTheRenewDeadline() {
        var faulty = new FaultyApiClient(api);
        var ra = new Recorder();
        LeaderElector a = elector(faulty, "a", false, ra);
        a.round();
        clock.advance(Duration.ofSeconds(2));
        a.round(); // last good renewal at T0+2s
        faulty.before(FaultyApiClient.WRITES_FAIL);

        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofSeconds(2));
            a.round(); // T0+4 … T0+10: failing, within the deadline
            assertThat(a.isLeader()).isTrue();
        }
        clock.advance(Duration.ofMillis(1_999));
        a.round(); // T0+11.999s
        assertThat(a.isLeader()).isTrue();
        clock.advance(Duration.ofMillis(1));
        Duration wait = a.round(); // T0+12s = last renewal + renewDeadline
        assertThat(a.isLeader()).isFalse();
        assertThat(ra.calls).containsExactly("leader a", "started", "stopped");
        assertThat(wait).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aLeaderWaitsNoLongerThanItsDeadlineBetweenRounds() {
        var faulty = new FaultyApiClient(api);
        LeaderElector a = elector(faulty, "a", false, new Recorder());
        a.round();
        faulty.before(FaultyApiClient.WRITES_FAIL);
        clock.advance(Duration.ofMillis(9_000));
        assertThat(a.round()).isEqualTo(Duration.ofSeconds(1)); // wakes at the deadline, not a retryPeriod later
    }

    @Test
    void leaseTransitionsCountChangesOfHolder() {
        LeaderElector a = elector(api, "a", false, new Recorder());
        LeaderElector b = elector(api, "b", true, new Recorder());
        LeaderElector c = elector(api, "c", false, new Recorder());
        a.round();
        assertThat(lease().leaseTransitions()).isZero();
        b.round();
        a.close();
        clock.advance(Duration.ofSeconds(16));
        b.round();
        assertThat(lease().holderIdentity()).isEqualTo("b");
        assertThat(lease().leaseTransitions()).isEqualTo(1);
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofSeconds(2));
            b.round(); // renewals are no transitions
        }
        assertThat(lease().leaseTransitions()).isEqualTo(1);
        c.round();
        b.close(); // released
        c.round();
        assertThat(lease().holderIdentity()).isEqualTo("c");
        assertThat(lease().leaseTransitions()).isEqualTo(2);
    }

    @Test
    void ofTwoRacingCandidatesTheConditionalWriteLetsOneWin() {
        LeaderElector a = elector(api, "a", false, new Recorder());
        a.round();
        a.close();
        var racy = new FaultyApiClient(api);
        LeaderElector b = elector(api, "b", false, new Recorder());
        LeaderElector c = elector(racy, "c", false, new Recorder());
        b.round();
        c.round();
        clock.advance(Duration.ofSeconds(16));
        // c has read the expired Lease; b takes it over between c's read and c's write.
        var once = new AtomicBoolean();
        racy.before((verb, kind) -> {
            if (verb.equals("update") && once.compareAndSet(false, true)) {
                b.round();
            }
        });
        c.round();

        assertThat(once).isTrue();
        assertThat(b.isLeader()).isTrue();
        assertThat(c.isLeader()).isFalse();
        assertThat(lease().holderIdentity()).isEqualTo("b");
        assertThat(lease().leaseTransitions()).isEqualTo(1);
        assertThat(api.actions("update", "leases")).hasSize(1);
    }
}
