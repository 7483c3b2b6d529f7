package dev.capstan.scheduler.core;

import static dev.capstan.scheduler.Fixtures.node;
import static dev.capstan.scheduler.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.model.meta.ObjectKey;
import dev.capstan.scheduler.FakeClock;
import dev.capstan.scheduler.framework.PodInfo;
import dev.capstan.scheduler.framework.Status;
import dev.capstan.scheduler.plugins.InTreePlugins;
import dev.capstan.scheduler.plugins.schedulinggates.SchedulingGates;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodSchedulingGate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pods with spec.schedulingGates wait, gated, until an update removes the gates (upstream's SchedulingGates). */
class SchedulingGatesTest {
    private static final ObjectKey KEY = new ObjectKey("default", "gated");

    private final FakeClock clock = new FakeClock();
    private final Map<String, String> bound = new HashMap<>();
    private final List<SchedulingFailure> failures = new ArrayList<>();
    private Scheduler scheduler;

    @BeforeEach
    void setUp() {
        scheduler = Scheduler.builder()
                .profiles(List.of(InTreePlugins.defaultProfile()))
                .registry(InTreePlugins.registry())
                .clock(clock)
                .binder((pod, node) -> {
                    bound.put(pod.getMetadata().getName(), node);
                    return CompletableFuture.completedFuture(null);
                })
                .failureHandler(new FailureHandler() {
                    @Override
                    public void failed(Pod pod, SchedulingFailure failure) {
                        failures.add(failure);
                    }

                    @Override
                    public void scheduled(Pod pod, String nodeName, String message) {}
                })
                .preemptionActions(new PreemptionActions() {
                    @Override
                    public void evict(Pod victim, String message, String eventMessage) {}

                    @Override
                    public void clearNominatedNodeName(Pod pod) {}
                })
                .build();
        scheduler.handlers().onNodeAdd(node("n1").build());
    }

    private static Pod gated(String... gates) {
        Pod p = pod("gated").build();
        p.getSpec()
                .setSchedulingGates(
                        List.of(gates).stream().map(PodSchedulingGate::new).toList());
        return p;
    }

    private boolean scheduleNext() throws InterruptedException {
        return scheduler.scheduleNext(0, TimeUnit.MILLISECONDS);
    }

    @Test
    void aGatedPodWaitsWithItsConditionWrittenOnceAndIsScheduledWhenTheGatesGo() throws InterruptedException {
        Pod twoGates = gated("example.com/quota", "example.com/policy");
        scheduler.handlers().onPodAdd(twoGates);
        assertThat(scheduleNext()).isFalse();
        assertThat(scheduler.queue().whereIs(KEY)).isEqualTo("unschedulable");
        assertThat(scheduler.queue().pendingPods()).containsEntry("gated", 1).containsEntry("unschedulable", 0);
        assertThat(failures).singleElement().satisfies(f -> {
            assertThat(f.reason()).isEqualTo("SchedulingGated");
            assertThat(f.message()).isEqualTo("Scheduling is blocked due to non-empty scheduling gates");
            assertThat(f.eventMessage()).isNull();
            assertThat(f.nominatedNodeName()).isNull();
        });

        // one gate removed: still gated, nothing written again; neither cluster events nor time move it
        Pod oneGate = gated("example.com/policy");
        scheduler.handlers().onPodUpdate(twoGates, oneGate);
        scheduler.handlers().onNodeAdd(node("n2").build());
        clock.advance(Duration.ofMinutes(6));
        scheduler.queue().flushUnschedulableLeftover();
        scheduler.flushBackoffAndExpire();
        assertThat(scheduleNext()).isFalse();
        assertThat(scheduler.queue().whereIs(KEY)).isEqualTo("unschedulable");
        assertThat(failures).hasSize(1);

        Pod ungated = new PodBuilder(oneGate)
                .editSpec()
                .withSchedulingGates(List.of())
                .endSpec()
                .build();
        scheduler.handlers().onPodUpdate(oneGate, ungated);
        assertThat(scheduler.queue().whereIs(KEY)).isEqualTo("active");
        assertThat(scheduleNext()).isTrue();
        assertThat(bound).containsKey("gated");
        assertThat(failures).hasSize(1);
    }

    @Test
    void aPodAlreadyShowingTheConditionIsNotWrittenAgain() throws InterruptedException {
        Pod p = gated("example.com/quota");
        p.getStatus()
                .setConditions(List.of(new PodConditionBuilder()
                        .withType("PodScheduled")
                        .withStatus("False")
                        .withReason("SchedulingGated")
                        .withMessage("Scheduling is blocked due to non-empty scheduling gates")
                        .build()));
        scheduler.handlers().onPodAdd(p);
        assertThat(scheduleNext()).isFalse();
        assertThat(scheduler.queue().whereIs(KEY)).isEqualTo("unschedulable");
        assertThat(failures).isEmpty();
    }

    @Test
    void thePluginNamesTheGatesAsUpstreamPrintsThem() {
        Status s = scheduler.framework(InTreePlugins.DEFAULT_SCHEDULER_NAME).runPreEnqueue(PodInfo.of(gated("a", "b")));
        assertThat(s)
                .isEqualTo(Status.unresolvable("waiting for scheduling gates: [a b]")
                        .withPlugin(SchedulingGates.NAME));
        assertThat(scheduler
                        .framework(InTreePlugins.DEFAULT_SCHEDULER_NAME)
                        .runPreEnqueue(PodInfo.of(pod("free").build())))
                .isEqualTo(Status.SUCCESS);
    }
}
