package dev.capstan.node.logs;

import dev.capstan.node.runtime.ContainerMetadata;
import dev.capstan.node.runtime.ContainerState;
import dev.capstan.node.runtime.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** A pod "web" in "default" and its container "app" as the log endpoint sees them. */
public final class LogFixtures {
    private LogFixtures() {}

    /** The pod "web" in "default" with the container "app" and the init container "init". */
    public static Pod pod(String waitingReason) {
        var builder = new PodBuilder()
                .withNewMetadata()
                .withNamespace("default")
                .withName("web")
                .withUid("uid-1")
                .endMetadata()
                .withNewSpec()
                .addNewInitContainer()
                .withName("init")
                .endInitContainer()
                .addNewContainer()
                .withName("app")
                .endContainer()
                .endSpec();
        if (waitingReason != null) {
            builder.withNewStatus()
                    .addNewContainerStatus()
                    .withName("app")
                    .withNewState()
                    .withNewWaiting()
                    .withReason(waitingReason)
                    .endWaiting()
                    .endState()
                    .endContainerStatus()
                    .endStatus();
        }
        return builder.build();
    }

    public static ContainerStatus attempt(String id, int attempt, ContainerState state, String logPath) {
        return new ContainerStatus(
                id,
                new ContainerMetadata("app", attempt),
                state,
                new ContainerStatus.Times(null, null, null),
                0,
                "",
                "",
                "localhost/capstan/busybox:1",
                "sha256:1",
                logPath,
                Map.of(),
                Map.of());
    }

    /**
     * Pods of a node holding {@code pod} whose "app" container has {@code attempts} (newest first) and whose running
     * containers {@code running} tells.
     */
    public static LogTarget.Pods pods(Pod pod, List<ContainerStatus> attempts, Predicate<String> running) {
        return new LogTarget.Pods() {
            @Override
            public Optional<Pod> pod(String namespace, String name) {
                return namespace.equals("default") && name.equals("web") ? Optional.of(pod) : Optional.empty();
            }

            @Override
            public List<ContainerStatus> attempts(Pod p, String container) {
                return container.equals("app") ? attempts : List.of();
            }

            @Override
            public boolean running(String containerId) {
                return running.test(containerId);
            }
        };
    }
}
