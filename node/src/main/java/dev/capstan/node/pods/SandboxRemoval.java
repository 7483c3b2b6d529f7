package dev.capstan.node.pods;

import dev.capstan.node.runtime.ContainerRuntime;
import dev.capstan.node.runtime.PodSandbox;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Stops and removes pod sandboxes with their containers. Several at once: a container that ignores SIGTERM holds its
 * stop for the whole grace period, and one sandbox after another, a node with 50 such pods took minutes to go down.
 */
final class SandboxRemoval {
    private static final Logger LOG = Logger.getLogger(SandboxRemoval.class);

    private SandboxRemoval() {}

    /** Removes each of {@code sandboxes}, stopping its containers with {@code grace} first; waits for all. */
    static void removeAll(ContainerRuntime runtime, List<PodSandbox> sandboxes, Duration grace) {
        try (ExecutorService removals = Executors.newVirtualThreadPerTaskExecutor()) {
            for (PodSandbox sandbox : sandboxes) {
                removals.submit(() -> {
                    try {
                        remove(runtime, sandbox, grace);
                    } catch (RuntimeException e) {
                        LOG.warnf(
                                "could not remove the sandbox %s of pod %s/%s: %s",
                                sandbox.id(),
                                sandbox.metadata().namespace(),
                                sandbox.metadata().name(),
                                e.getMessage());
                    }
                });
            }
        }
    }

    /** Stops the sandbox's containers (with {@code grace}), removes them, then the sandbox. */
    static void remove(ContainerRuntime runtime, PodSandbox sandbox, Duration grace) {
        for (var c : runtime.listContainers(sandbox.id(), Map.of())) {
            runtime.stopContainer(c.id(), grace);
            runtime.removeContainer(c.id());
        }
        runtime.stopPodSandbox(sandbox.id());
        runtime.removePodSandbox(sandbox.id());
    }
}
