package dev.capstan.scheduler.core;

import static dev.capstan.scheduler.Fixtures.node;
import static dev.capstan.scheduler.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.model.meta.ObjectKey;
import dev.capstan.scheduler.FakeClock;
import dev.capstan.scheduler.plugins.InTreePlugins;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** scheduleOne end to end against fakes of the wiring: the binder, the status writer and preemption's API calls. */
class SchedulerTest {
    private final FakeClock clock = new FakeClock();
    private final Map<String, String> bound = new ConcurrentHashMap<>();
    private final List<SchedulingFailure> failures = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private final List<Pod> evicted = new ArrayList<>();
    private final List<CompletableFuture<Void>> pendingBindings = new ArrayList<>();
    private boolean confirmBindings = true;
    private boolean holdBindings;
    private Scheduler scheduler;

    private Scheduler scheduler() {
        scheduler = Scheduler.builder()
                .profiles(List.of(InTreePlugins.defaultProfile()))
                .registry(InTreePlugins.registry())
                .clock(clock)
                .random(new Random(7))
                .binder((pod, node) -> {
                    if (holdBindings) {
                        CompletableFuture<Void> f = new CompletableFuture<>();
                        pendingBindings.add(f);
                        return f;
                    }
                    bound.put(pod.getMetadata().getName(), node);
                    if (confirmBindings) {
                        Pod b = new PodBuilder(pod)
                                .editSpec()
                                .withNodeName(node)
                                .endSpec()
                                .build();
                        scheduler.handlers().onPodUpdate(pod, b);
                    }
                    return CompletableFuture.completedFuture(null);
                })
                .failureHandler(new FailureHandler() {
                    @Override
                    public void failed(Pod pod, SchedulingFailure failure) {
                        failures.add(failure);
                    }

                    @Override
                    public void scheduled(Pod pod, String nodeName, String message) {
                        events.add(message);
                    }
                })
                .preemptionActions(new PreemptionActions() {
                    @Override
                    public void evict(Pod victim, String message, String eventMessage) {
                        evicted.add(victim);
                        events.add(message + " | " + eventMessage);
                    }

                    @Override
                    public void clearNominatedNodeName(Pod pod) {}
                })
                .build();
        return scheduler;
    }

    private void drain() throws InterruptedException {
        while (scheduler.scheduleNext(0, TimeUnit.MILLISECONDS)) {
            // until the active queue is empty
        }
    }

    @Test
    void replicasWithHostnameAntiAffinityLandOnDifferentNodes() throws InterruptedException {
        scheduler();
        for (String n : List.of("n1", "n2", "n3")) {
            scheduler.handlers().onNodeAdd(node(n).build());
        }
        for (int i = 0; i < 3; i++) {
            scheduler
                    .handlers()
                    .onPodAdd(pod("web-" + i)
                            .label("app", "web")
                            .antiAffinity("kubernetes.io/hostname", "app", "web")
                            .build());
        }
        drain();
        assertThat(bound).hasSize(3);
        assertThat(bound.values()).containsExactlyInAnyOrder("n1", "n2", "n3");
        assertThat(events).contains("Successfully assigned default/web-0 to " + bound.get("web-0"));

        scheduler
                .handlers()
                .onPodAdd(pod("web-3")
                        .label("app", "web")
                        .antiAffinity("kubernetes.io/hostname", "app", "web")
                        .build());
        drain();
        assertThat(failures).last().satisfies(f -> {
            assertThat(f.reason()).isEqualTo("Unschedulable");
            assertThat(f.message())
                    .isEqualTo("0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules."
                            + " preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.");
        });
        assertThat(scheduler.queue().whereIs(new ObjectKey("default", "web-3"))).isEqualTo("unschedulable");
    }

    @Test
    void aPodTooLargeForEveryNodeGetsUpstreamsMessage() throws InterruptedException {
        scheduler();
        scheduler
                .handlers()
                .onNodeAdd(node("cp")
                        .taint("node-role.kubernetes.io/control-plane", null, "NoSchedule")
                        .build());
        scheduler.handlers().onNodeAdd(node("w1").cpu("2").build());
        scheduler.handlers().onNodeAdd(node("w2").cpu("2").build());
        scheduler.handlers().onPodAdd(pod("big").cpu("3").build());
        drain();
        assertThat(bound).isEmpty();
        assertThat(failures).singleElement().satisfies(f -> {
            assertThat(f.reason()).isEqualTo("Unschedulable");
            assertThat(f.message())
                    .isEqualTo("0/3 nodes are available: 1 node(s) had untolerated taint"
                            + " {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes"
                            + " are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims"
                            + " found for incoming pod.");
            assertThat(f.eventMessage()).isEqualTo(f.message());
            assertThat(f.nominatedNodeName()).isNull();
        });
    }

    @Test
    void noNodesAtAll() throws InterruptedException {
        scheduler();
        scheduler.handlers().onPodAdd(pod("p").build());
        drain();
        assertThat(failures)
                .singleElement()
                .satisfies(f -> assertThat(f.message()).isEqualTo("no nodes available to schedule pods"));
        scheduler.handlers().onNodeAdd(node("n1").build());
        clock.advance(java.time.Duration.ofSeconds(2));
        scheduler.flushBackoffAndExpire();
        drain();
        assertThat(bound).containsEntry("p", "n1");
    }

    @Test
    void aHigherPriorityPodNominatesANodeAndEvictsALowerPriorityOne() throws InterruptedException {
        scheduler();
        scheduler.handlers().onNodeAdd(node("n1").cpu("2").build());
        Pod low = pod("low").cpu("2").priority(1).nodeName("n1").build();
        scheduler.handlers().onPodAdd(low);
        scheduler.handlers().onPodAdd(pod("high").cpu("2").priority(1000).build());
        drain();
        assertThat(evicted).extracting(p -> p.getMetadata().getName()).containsExactly("low");
        assertThat(events)
                .contains("default-scheduler: preempting to accommodate a higher priority pod"
                        + " | Preempted by pod uid-high on node n1");
        assertThat(failures).singleElement().satisfies(f -> {
            assertThat(f.nominatedNodeName()).isEqualTo("n1");
            assertThat(f.message()).isEqualTo("0/1 nodes are available: 1 Insufficient cpu.");
        });
        assertThat(scheduler.queue().nominatedNode(new ObjectKey("default", "high")))
                .isEqualTo("n1");

        // a lower-priority pod arriving meanwhile must not take the nominated room
        scheduler.handlers().onPodDelete(low);
        scheduler.handlers().onPodAdd(pod("sneaky").cpu("1").priority(5).build());
        drain();
        assertThat(bound).doesNotContainKey("sneaky");

        clock.advance(java.time.Duration.ofSeconds(2));
        scheduler.flushBackoffAndExpire();
        drain();
        assertThat(bound).containsEntry("high", "n1");
    }

    @Test
    void twoPodsNeverDoubleBookANodeWithRoomForOne() throws InterruptedException {
        confirmBindings = false;
        holdBindings = true;
        scheduler();
        scheduler.handlers().onNodeAdd(node("n1").cpu("1").build());
        scheduler.handlers().onPodAdd(pod("a").cpu("1").build());
        scheduler.handlers().onPodAdd(pod("b").cpu("1").build());
        drain(); // both attempted while the first binding is still in flight
        assertThat(pendingBindings).hasSize(1);
        assertThat(failures)
                .singleElement()
                .satisfies(f -> assertThat(f.message()).startsWith("0/1 nodes are available: 1 Insufficient cpu."));
    }

    @Test
    void aFailedBindingForgetsTheAssumptionAndRetries() throws InterruptedException {
        confirmBindings = false;
        holdBindings = true;
        scheduler();
        scheduler.handlers().onNodeAdd(node("n1").cpu("1").build());
        scheduler.handlers().onPodAdd(pod("a").cpu("1").build());
        drain();
        assertThat(scheduler.cache().isAssumed(new ObjectKey("default", "a"))).isTrue();
        pendingBindings.get(0).completeExceptionally(new IllegalStateException("conflict"));
        assertThat(scheduler.cache().isAssumed(new ObjectKey("default", "a"))).isFalse();
        assertThat(failures).singleElement().satisfies(f -> {
            assertThat(f.reason()).isEqualTo("SchedulerError");
            assertThat(f.message()).isEqualTo("running Bind plugin \"DefaultBinder\": conflict");
        });
        assertThat(scheduler.queue().whereIs(new ObjectKey("default", "a"))).isEqualTo("backoff");
        holdBindings = false;
        clock.advance(java.time.Duration.ofSeconds(2));
        scheduler.flushBackoffAndExpire();
        drain();
        assertThat(bound).containsEntry("a", "n1");
    }

    @Test
    void podsOfOtherSchedulersAreIgnored() throws InterruptedException {
        scheduler();
        scheduler.handlers().onNodeAdd(node("n1").build());
        scheduler.handlers().onPodAdd(pod("mine").build());
        scheduler
                .handlers()
                .onPodAdd(pod("theirs").schedulerName("other-scheduler").build());
        drain();
        assertThat(bound).containsOnlyKeys("mine");
    }

    @Test
    void uncordoningANodeMovesThePodBack() throws InterruptedException {
        scheduler();
        var cordoned = node("n1").unschedulable().build();
        scheduler.handlers().onNodeAdd(cordoned);
        scheduler.handlers().onPodAdd(pod("p").build());
        drain();
        assertThat(failures)
                .singleElement()
                .satisfies(f ->
                        assertThat(f.message()).startsWith("0/1 nodes are available: 1 node(s) were unschedulable."));
        clock.advance(java.time.Duration.ofSeconds(2));
        scheduler.handlers().onNodeUpdate(cordoned, node("n1").build());
        drain();
        assertThat(bound).containsEntry("p", "n1");
    }
}
