package dev.capstan.scheduler.cache;

import static dev.capstan.scheduler.Fixtures.node;
import static dev.capstan.scheduler.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capstan.scheduler.FakeClock;
import dev.capstan.scheduler.framework.NodeInfo;
import dev.capstan.scheduler.framework.PodInfo;
import dev.capstan.scheduler.framework.Snapshot;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SchedulerCacheTest {
    private final FakeClock clock = new FakeClock();
    private SchedulerCache cache;

    @BeforeEach
    void setUp() {
        cache = new SchedulerCache(clock, Duration.ofSeconds(30));
        cache.addNode(node("n1").zone("a").build());
        cache.addNode(node("n2").zone("b").build());
    }

    private Snapshot snapshot() {
        Snapshot s = new Snapshot();
        cache.updateSnapshot(s);
        return s;
    }

    @Test
    void anAssumedPodCountsOnItsNodeAtOnce() {
        PodInfo p = PodInfo.of(pod("p").cpu("3").build());
        cache.assumePod(p, "n1");
        assertThat(cache.isAssumed(p.key())).isTrue();
        NodeInfo n1 = snapshot().get("n1");
        assertThat(n1.requested().milliCpu).isEqualTo(3000);
        assertThat(n1.pods()).hasSize(1);
    }

    @Test
    void assumingTwiceIsRefused() {
        PodInfo p = PodInfo.of(pod("p").build());
        cache.assumePod(p, "n1");
        assertThatThrownBy(() -> cache.assumePod(p, "n2"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is in the cache, so can't be assumed");
    }

    @Test
    void theInformersAddConfirmsAnAssumedPodWithoutCountingItTwice() {
        PodInfo p = PodInfo.of(pod("p").cpu("1").build());
        cache.assumePod(p, "n1");
        cache.finishBinding(p);
        cache.addPod(PodInfo.of(pod("p").cpu("1").nodeName("n1").build()));
        assertThat(cache.isAssumed(p.key())).isFalse();
        assertThat(snapshot().get("n1").requested().milliCpu).isEqualTo(1000);
        clock.advance(Duration.ofMinutes(10));
        assertThat(cache.cleanupExpiredAssumedPods()).isEmpty();
        assertThat(cache.nodeOf(p.key())).isEqualTo("n1");
    }

    @Test
    void aConfirmationOnAnotherNodeMovesThePod() {
        PodInfo p = PodInfo.of(pod("p").cpu("1").build());
        cache.assumePod(p, "n1");
        cache.addPod(PodInfo.of(pod("p").cpu("1").nodeName("n2").build()));
        Snapshot s = snapshot();
        assertThat(s.get("n1").pods()).isEmpty();
        assertThat(s.get("n2").pods()).hasSize(1);
    }

    @Test
    void forgetUndoesTheAssumption() {
        PodInfo p = PodInfo.of(pod("p").cpu("1").build());
        cache.assumePod(p, "n1");
        cache.forgetPod(p);
        assertThat(cache.isAssumed(p.key())).isFalse();
        assertThat(snapshot().get("n1").requested().milliCpu).isZero();
    }

    @Test
    void anAssumedPodExpiresOnlyAfterItsBindingFinishedAndTheTtlPassed() {
        PodInfo p = PodInfo.of(pod("p").cpu("1").build());
        cache.assumePod(p, "n1");
        clock.advance(Duration.ofMinutes(5));
        assertThat(cache.cleanupExpiredAssumedPods()).isEmpty(); // binding still in flight
        cache.finishBinding(p);
        clock.advance(Duration.ofSeconds(29));
        assertThat(cache.cleanupExpiredAssumedPods()).isEmpty();
        clock.advance(Duration.ofSeconds(2));
        assertThat(cache.cleanupExpiredAssumedPods()).containsExactly(p);
        assertThat(snapshot().get("n1").pods()).isEmpty();
    }

    @Test
    void zeroTtlNeverExpires() {
        SchedulerCache never = new SchedulerCache(clock, SchedulerCache.UPSTREAM_ASSUMED_POD_TTL);
        never.addNode(node("n1").build());
        PodInfo p = PodInfo.of(pod("p").build());
        never.assumePod(p, "n1");
        never.finishBinding(p);
        clock.advance(Duration.ofDays(1));
        assertThat(never.cleanupExpiredAssumedPods()).isEmpty();
    }

    @Test
    void removePodFreesItsResources() {
        PodInfo p = PodInfo.of(pod("p").cpu("1").nodeName("n1").build());
        cache.addPod(p);
        cache.removePod(p);
        assertThat(snapshot().get("n1").requested().milliCpu).isZero();
        assertThat(cache.podCount()).isZero();
    }

    @Test
    void theSnapshotCopiesOnlyChangedNodeInfosAndKeepsTheirIdentity() {
        Snapshot s = snapshot();
        NodeInfo n1 = s.get("n1");
        NodeInfo n2 = s.get("n2");
        List<NodeInfo> list = s.list();
        cache.addPod(PodInfo.of(pod("p").cpu("1").nodeName("n1").build()));
        long before = s.generation();
        cache.updateSnapshot(s);
        assertThat(s.generation()).isGreaterThan(before);
        assertThat(s.get("n1")).isSameAs(n1); // refreshed in place
        assertThat(n1.requested().milliCpu).isEqualTo(1000);
        assertThat(s.get("n2")).isSameAs(n2);
        assertThat(s.list()).isSameAs(list); // no node came or went: list not rebuilt
    }

    @Test
    void changesAfterTheSnapshotDoNotLeakIntoIt() {
        Snapshot s = snapshot();
        cache.addPod(PodInfo.of(pod("p").cpu("1").nodeName("n1").build()));
        assertThat(s.get("n1").requested().milliCpu).isZero();
    }

    @Test
    void nodesAddedAndRemovedRebuildTheInterleavedList() {
        cache.addNode(node("n3").zone("a").build());
        Snapshot s = snapshot();
        // zones interleaved: a, b, then a's second node
        assertThat(s.list()).extracting(NodeInfo::name).containsExactly("n1", "n2", "n3");
        cache.removeNode(node("n2").zone("b").build());
        cache.updateSnapshot(s);
        assertThat(s.list()).extracting(NodeInfo::name).containsExactly("n1", "n3");
        assertThat(s.get("n2")).isNull();
    }

    @Test
    void aRemovedNodeWithPodsLeavesTheSnapshotButKeepsItsPodsUntilTheyGo() {
        PodInfo p = PodInfo.of(pod("p").nodeName("n2").build());
        cache.addPod(p);
        cache.removeNode(node("n2").zone("b").build());
        Snapshot s = snapshot();
        assertThat(s.list()).extracting(NodeInfo::name).containsExactly("n1");
        cache.removePod(p);
        cache.addNode(node("n2").zone("b").build());
        cache.updateSnapshot(s);
        assertThat(s.get("n2").pods()).isEmpty();
    }

    @Test
    void affinityListsFollowThePods() {
        Snapshot s = snapshot();
        assertThat(s.havePodsWithRequiredAntiAffinity()).isEmpty();
        PodInfo p = PodInfo.of(pod("p").nodeName("n2")
                .antiAffinity("kubernetes.io/hostname", "app", "x")
                .build());
        cache.addPod(p);
        cache.updateSnapshot(s);
        assertThat(s.havePodsWithRequiredAntiAffinity())
                .extracting(NodeInfo::name)
                .containsExactly("n2");
        assertThat(s.havePodsWithAffinity()).extracting(NodeInfo::name).containsExactly("n2");
        cache.removePod(p);
        cache.updateSnapshot(s);
        assertThat(s.havePodsWithRequiredAntiAffinity()).isEmpty();
    }

    @Test
    void updatingManyNodesThenOneCopiesOnlyThatOne() {
        for (int i = 0; i < 5000; i++) {
            cache.addNode(node("m" + i).zone("z" + (i % 3)).build());
        }
        Snapshot s = snapshot();
        NodeInfo before = s.get("m42");
        // mark an unchanged node's snapshot copy: were it copied again, the mark would be gone
        s.get("m7").addPod(PodInfo.of(pod("marker").cpu("1").build()));
        cache.addPod(PodInfo.of(pod("p").cpu("2").nodeName("m42").build()));
        cache.updateSnapshot(s);
        assertThat(s.get("m42")).isSameAs(before);
        assertThat(before.requested().milliCpu).isEqualTo(2000);
        assertThat(s.get("m7").pods()).extracting(PodInfo::name).containsExactly("marker");
        assertThat(s.numNodes()).isEqualTo(5002);
    }
}
