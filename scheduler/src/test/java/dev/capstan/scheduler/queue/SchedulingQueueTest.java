package dev.capstan.scheduler.queue;

import static dev.capstan.scheduler.Fixtures.node;
import static dev.capstan.scheduler.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.scheduler.FakeClock;
import dev.capstan.scheduler.framework.ClusterEvent;
import dev.capstan.scheduler.framework.Framework;
import dev.capstan.scheduler.framework.Nominator;
import dev.capstan.scheduler.framework.PodInfo;
import dev.capstan.scheduler.plugins.InTreePlugins;
import dev.capstan.scheduler.plugins.interpodaffinity.InterPodAffinity;
import dev.capstan.scheduler.plugins.noderesources.NodeResourcesFit;
import dev.capstan.scheduler.plugins.tainttoleration.TaintToleration;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SchedulingQueueTest {
    private final FakeClock clock = new FakeClock();
    private final SchedulingQueue queue = new SchedulingQueue(
            clock,
            new Framework(InTreePlugins.defaultProfile(), InTreePlugins.registry(), ns -> null, Nominator.NONE)
                    .eventRegistrations());

    private QueuedPodInfo pop() throws InterruptedException {
        return queue.pop(0, TimeUnit.MILLISECONDS);
    }

    /** Pops the pod and fails it as rejected by {@code plugin}. */
    private QueuedPodInfo failWith(String plugin) throws InterruptedException {
        QueuedPodInfo p = pop();
        p.unschedulablePlugins(Set.of(plugin));
        queue.addUnschedulableIfNotPresent(p, queue.schedulingCycle());
        return p;
    }

    @Test
    void higherPriorityFirstThenFirstIn() throws InterruptedException {
        queue.add(PodInfo.of(pod("low").priority(1).build()));
        clock.advance(Duration.ofMillis(1));
        queue.add(PodInfo.of(pod("high-late").priority(10).build()));
        clock.advance(Duration.ofMillis(1));
        queue.add(PodInfo.of(pod("low-late").priority(1).build()));
        queue.add(PodInfo.of(pod("high-early").priority(10).build()));
        assertThat(pop().pod().name()).isEqualTo("high-late");
        assertThat(pop().pod().name()).isEqualTo("high-early");
        assertThat(pop().pod().name()).isEqualTo("low");
        assertThat(pop().pod().name()).isEqualTo("low-late");
        assertThat(pop()).isNull();
    }

    @Test
    void addingTwiceKeepsOneEntry() throws InterruptedException {
        queue.add(PodInfo.of(pod("p").build()));
        queue.add(PodInfo.of(pod("p").build()));
        assertThat(pop()).isNotNull();
        assertThat(pop()).isNull();
    }

    @ParameterizedTest(name = "attempt {0}: {1} s")
    @CsvSource({"1, 1", "2, 2", "3, 4", "4, 8", "5, 10", "9, 10"})
    void backoffDoublesFromOneSecondUpToTen(int attempts, long seconds) {
        assertThat(queue.backoffDuration(attempts)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @Test
    void aPodMovedByAnEventWaitsOutItsBackoff() throws InterruptedException {
        queue.add(PodInfo.of(pod("p").build()));
        failWith(NodeResourcesFit.NAME); // attempt 1: backoff 1 s from now
        assertThat(queue.whereIs(key("p"))).isEqualTo("unschedulable");
        queue.onClusterEvent(
                ClusterEvent.ASSIGNED_POD_DELETE, pod("gone").nodeName("n1").build(), null);
        assertThat(queue.whereIs(key("p"))).isEqualTo("backoff");
        clock.advance(Duration.ofMillis(999));
        queue.flushBackoffCompleted();
        assertThat(pop()).isNull();
        clock.advance(Duration.ofMillis(1));
        queue.flushBackoffCompleted();
        QueuedPodInfo again = pop();
        assertThat(again.attempts()).isEqualTo(2);
    }

    @Test
    void eventsOnlyMovePodsTheyMayHelp() throws InterruptedException {
        queue.add(PodInfo.of(pod("tainted-out").build()));
        failWith(TaintToleration.NAME);
        // an assigned pod going away frees resources, not taints
        queue.onClusterEvent(
                ClusterEvent.ASSIGNED_POD_DELETE, pod("x").nodeName("n1").build(), null);
        assertThat(queue.whereIs(key("tainted-out"))).isEqualTo("unschedulable");
        // a new node with a taint the pod does not tolerate does not help either (the hint)
        queue.onClusterEvent(
                ClusterEvent.NODE_ADD,
                null,
                node("n2").taint("k", "v", "NoSchedule").build());
        assertThat(queue.whereIs(key("tainted-out"))).isEqualTo("unschedulable");
        clock.advance(Duration.ofSeconds(2));
        queue.onClusterEvent(ClusterEvent.NODE_ADD, null, node("n3").build());
        assertThat(queue.whereIs(key("tainted-out"))).isEqualTo("active");
    }

    @Test
    void anAssignedPodMatchingTheAffinityMovesThePodWaitingForIt() throws InterruptedException {
        queue.add(PodInfo.of(
                pod("follower").affinity("kubernetes.io/hostname", "app", "db").build()));
        failWith(InterPodAffinity.NAME);
        clock.advance(Duration.ofSeconds(2));
        queue.onClusterEvent(
                ClusterEvent.ASSIGNED_POD_ADD,
                null,
                pod("web").label("app", "web").nodeName("n1").build());
        assertThat(queue.whereIs(key("follower"))).isEqualTo("unschedulable");
        queue.onClusterEvent(
                ClusterEvent.ASSIGNED_POD_ADD,
                null,
                pod("db").label("app", "db").nodeName("n1").build());
        assertThat(queue.whereIs(key("follower"))).isEqualTo("active");
    }

    @Test
    void aMoveRequestDuringTheAttemptSendsTheFailedPodToBackoff() throws InterruptedException {
        queue.add(PodInfo.of(pod("p").build()));
        QueuedPodInfo p = pop();
        long cycle = queue.schedulingCycle();
        queue.onClusterEvent(ClusterEvent.NODE_ADD, null, node("n9").build()); // arrives mid-cycle
        p.unschedulablePlugins(Set.of(NodeResourcesFit.NAME));
        queue.addUnschedulableIfNotPresent(p, cycle);
        assertThat(queue.whereIs(key("p"))).isEqualTo("backoff");
    }

    @Test
    void unschedulablePodsAreFlushedAfterFiveMinutes() throws InterruptedException {
        queue.add(PodInfo.of(pod("p").build()));
        failWith(TaintToleration.NAME);
        clock.advance(Duration.ofMinutes(5));
        queue.flushUnschedulableLeftover();
        assertThat(queue.whereIs(key("p"))).isEqualTo("unschedulable");
        clock.advance(Duration.ofSeconds(1));
        queue.flushUnschedulableLeftover();
        assertThat(queue.whereIs(key("p"))).isEqualTo("active");
    }

    @Test
    void aSpecOrLabelChangeMovesAnUnschedulablePodAStatusChangeDoesNot() throws InterruptedException {
        queue.add(PodInfo.of(pod("p").build()));
        failWith(TaintToleration.NAME);
        clock.advance(Duration.ofSeconds(5));
        PodInfo old = PodInfo.of(pod("p").build());
        queue.update(old, PodInfo.of(pod("p").startTime("2025-01-01T00:00:00Z").build()));
        assertThat(queue.whereIs(key("p"))).isEqualTo("unschedulable");
        queue.update(
                old,
                PodInfo.of(
                        pod("p").toleration("k", "Exists", null, "NoSchedule").build()));
        assertThat(queue.whereIs(key("p"))).isEqualTo("active");
    }

    @Test
    void deleteRemovesThePodAndItsNomination() throws InterruptedException {
        PodInfo p = PodInfo.of(pod("p").nominatedNodeName("n1").build());
        queue.add(p);
        assertThat(queue.nominatedPodsForNode("n1")).containsExactly(p);
        queue.delete(p);
        assertThat(queue.nominatedPodsForNode("n1")).isEmpty();
        assertThat(pop()).isNull();
    }

    @Test
    void nominationsMoveBetweenNodesAndAnUpdateWithoutOneKeepsTheOthers() {
        PodInfo a = PodInfo.of(pod("a").nominatedNodeName("n1").build());
        PodInfo b = PodInfo.of(pod("b").build());
        queue.add(a);
        queue.add(b);
        queue.nominate(b, "n1");
        assertThat(queue.nominatedPodsForNode("n1")).containsExactly(a, b);

        queue.nominate(a, "n2");
        assertThat(queue.nominatedPodsForNode("n1")).containsExactly(b);
        assertThat(queue.nominatedPodsForNode("n2")).containsExactly(a);

        PodInfo c = PodInfo.of(pod("c").build()); // never nominated: publishes nothing, changes nothing
        queue.add(c);
        assertThat(queue.nominatedPodsForNode("n1")).containsExactly(b);
        assertThat(queue.nominatedPodsForNode("n2")).containsExactly(a);
        assertThat(queue.nominatedPodsForNode(null)).isEmpty();

        queue.nominate(b, null);
        assertThat(queue.nominatedPodsForNode("n1")).isEmpty();
        assertThat(queue.nominatedNode(a.key())).isEqualTo("n2");
    }

    @Test
    void popBlocksUntilAPodArrives() throws Exception {
        CompletableFuture<QueuedPodInfo> popped = CompletableFuture.supplyAsync(() -> {
            try {
                return queue.pop();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(50);
        assertThat(popped).isNotDone();
        queue.add(PodInfo.of(pod("p").build()));
        assertThat(popped.get(5, TimeUnit.SECONDS).pod().name()).isEqualTo("p");
    }

    private static dev.capstan.model.meta.ObjectKey key(String name) {
        return new dev.capstan.model.meta.ObjectKey("default", name);
    }
}
