package dev.capstan.node.stats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.node.runtime.ContainerConfig;
import dev.capstan.node.runtime.ContainerRuntime;
import dev.capstan.node.runtime.ContainerRuntimeException;
import dev.capstan.node.runtime.FakeContainerRuntime;
import dev.capstan.node.runtime.PodMetadata;
import dev.capstan.node.runtime.PodSandboxConfig;
import dev.capstan.node.runtime.ResourceUsage;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResourceStatsCollectorTest {

    private static final Instant T = Instant.parse("2026-12-06T08:00:00Z");
    private static final ResourceUsage NODE =
            new ResourceUsage(T, OptionalLong.of(99), OptionalLong.empty(), OptionalLong.of(1 << 30));

    private final FakeContainerRuntime runtime = new FakeContainerRuntime().addImage("busybox");

    private static ResourceUsage usage(long cpuNanos, long bytes) {
        return new ResourceUsage(T, OptionalLong.of(cpuNanos), OptionalLong.of(cpuNanos / 10), OptionalLong.of(bytes));
    }

    /** Runs a pod with the given containers (started); answers the sandbox ID and the containers' IDs. */
    private List<String> pod(String namespace, String name, String uid, String... containers) {
        var sandboxConfig = PodSandboxConfig.of(new PodMetadata(name, namespace, uid, 0), "/tmp");
        String sandbox = runtime.runPodSandbox(sandboxConfig);
        var ids = new java.util.ArrayList<String>();
        ids.add(sandbox);
        for (String container : containers) {
            String id = runtime.createContainer(
                    sandbox,
                    ContainerConfig.builder(container, "busybox")
                            .label(ResourceStatsCollector.POD_NAMESPACE, namespace)
                            .label(ResourceStatsCollector.POD_NAME, name)
                            .label(ResourceStatsCollector.POD_UID, uid)
                            .build(),
                    sandboxConfig);
            runtime.startContainer(id);
            ids.add(id);
        }
        return ids;
    }

    @Test
    void onlyRunningContainersOfThePodsThisAgentRunsWithThePodAsTheirSum() {
        var web = pod("default", "web", "uid-web", "side", "nginx");
        runtime.usage(web.get(1), usage(1_000, 100)).usage(web.get(2), usage(2_000, 200));
        var stranger = pod("default", "stranger", "uid-x", "c");
        runtime.usage(stranger.get(1), usage(5, 5));
        var stopped = pod("other", "done", "uid-done", "c");
        runtime.exit(stopped.get(1), 0);
        var known = Set.of("default/web/uid-web", "other/done/uid-done");

        var snapshot = new ResourceStatsCollector(
                        runtime, (ns, name, uid) -> known.contains(ns + "/" + name + "/" + uid), () -> NODE)
                .collect();

        assertThat(snapshot.error()).isFalse();
        assertThat(snapshot.node()).isEqualTo(NODE);
        assertThat(snapshot.pods()).singleElement().satisfies(pod -> {
            assertThat(pod.namespace()).isEqualTo("default");
            assertThat(pod.name()).isEqualTo("web");
            assertThat(pod.containers())
                    .extracting(ResourceSnapshot.Container::name)
                    .containsExactly("nginx", "side");
            assertThat(pod.containers().get(0).usage()).isEqualTo(usage(2_000, 200));
            assertThat(pod.containers().get(0).startTime()).isNotNull();
            assertThat(pod.usage()).isEqualTo(usage(3_000, 300));
        });
    }

    @Test
    void thePodsOwnUsageWhenTheRuntimeReportsSandboxes() {
        runtime.sandboxStatsImplemented(true);
        var web = pod("default", "web", "uid-web", "c");
        runtime.usage(web.get(1), usage(1_000, 100)).usage(web.get(0), usage(1_500, 400));

        var snapshot = new ResourceStatsCollector(runtime, (ns, name, uid) -> true, () -> NODE).collect();

        assertThat(snapshot.pods()).singleElement().satisfies(pod -> {
            assertThat(pod.usage()).isEqualTo(usage(1_500, 400));
            assertThat(pod.containers())
                    .singleElement()
                    .satisfies(c -> assertThat(c.usage()).isEqualTo(usage(1_000, 100)));
        });
    }

    @Test
    void anUnreachableRuntimeIsAScrapeError() {
        var unreachable = (ContainerRuntime) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {ContainerRuntime.class}, (proxy, method, args) -> {
                    throw new ContainerRuntimeException(
                            ContainerRuntimeException.Reason.UNAVAILABLE, method.getName() + ": no containerd");
                });
        var snapshot = new ResourceStatsCollector(unreachable, (ns, name, uid) -> true, () -> NODE).collect();
        assertThat(snapshot.error()).isTrue();
        assertThat(snapshot.pods()).isEmpty();
    }
}
