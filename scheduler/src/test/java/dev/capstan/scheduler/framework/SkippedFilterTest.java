package dev.capstan.scheduler.framework;

import static dev.capstan.scheduler.Fixtures.node;
import static dev.capstan.scheduler.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A plugin whose PreFilter answers Skip has its Filter left out for that cycle only (upstream's SkipFilterPlugins);
 * the framework works the list out once per cycle, so these cases pin down when it must be worked out again.
 */
class SkippedFilterTest {
    /** Rejects every node; its PreFilter skips it when {@code skip} says so. */
    private static final class Rejecting implements PreFilterPlugin, FilterPlugin {
        final String name;
        final AtomicInteger filterCalls = new AtomicInteger();
        boolean skip;

        Rejecting(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Status preFilter(CycleState state, PodInfo pod) {
            return skip ? Status.skip() : Status.SUCCESS;
        }

        @Override
        public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
            filterCalls.incrementAndGet();
            return Status.unschedulable("rejected by " + name);
        }
    }

    private final Rejecting first = new Rejecting("First");
    private final Rejecting second = new Rejecting("Second");
    private final Framework framework = new Framework(
            new Profile(
                    "test", List.of(new Profile.PluginConfig("First", 1), new Profile.PluginConfig("Second", 1)), null),
            new Registry().register("First", fw -> first).register("Second", fw -> second),
            ns -> null,
            Nominator.NONE);
    private final PodInfo pod = PodInfo.of(pod("p").build());
    private final NodeInfo nodeInfo = NodeInfo.of(node("n1").build());

    private Status cycle(CycleState state) {
        Status pre = framework.runPreFilter(state, pod);
        return pre.isSuccess() ? framework.runFilter(state, pod, nodeInfo) : pre;
    }

    @Test
    void aSkippedFilterIsNotCalledThatCycle() {
        first.skip = true;
        CycleState state = new CycleState();
        Status status = cycle(state);
        assertThat(status.isSuccess()).isFalse();
        assertThat(status.plugin()).isEqualTo("Second");
        assertThat(framework.runFilter(state, pod, nodeInfo).plugin()).isEqualTo("Second");
        assertThat(first.filterCalls).hasValue(0);
    }

    @Test
    void theNextCycleDecidesAfresh() {
        first.skip = true;
        cycle(new CycleState());
        first.skip = false;
        assertThat(cycle(new CycleState()).plugin()).isEqualTo("First");
    }

    @Test
    void aPluginSkippedAfterTheFirstFilterCallIsLeftOutFromThen() {
        CycleState state = new CycleState();
        assertThat(cycle(state).plugin()).isEqualTo("First");
        state.skipFilterPlugins().add("First");
        assertThat(framework.runFilter(state, pod, nodeInfo).plugin()).isEqualTo("Second");
        second.skip = true;
        state.skipFilterPlugins().add("Second");
        assertThat(framework.runFilter(state, pod, nodeInfo).isSuccess()).isTrue();
    }

    @Test
    void aCopyKeepsTheSkippedPlugins() {
        first.skip = true;
        CycleState state = new CycleState();
        cycle(state);
        assertThat(framework.runFilter(state.copy(), pod, nodeInfo).plugin()).isEqualTo("Second");
    }
}
