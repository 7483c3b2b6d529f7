package dev.capstan.node.pods;

import dev.capstan.node.runtime.ContainerStatus;
import dev.capstan.node.runtime.PodSandboxStatus;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the runtime has of one pod (upstream's kubecontainer.PodStatus): its ready sandbox if any, and every container,
 * grouped by name with the newest attempt first.
 */
record PodRuntimeState(PodSandboxStatus sandbox, Map<String, List<ContainerStatus>> containers) {

    static final PodRuntimeState NONE = new PodRuntimeState(null, Map.of());

    static PodRuntimeState of(PodSandboxStatus sandbox, List<ContainerStatus> all) {
        Map<String, List<ContainerStatus>> byName = all.stream()
                .collect(Collectors.groupingBy(
                        s -> s.metadata().name(),
                        Collectors.collectingAndThen(
                                Collectors.toList(),
                                list -> list.stream()
                                        .sorted(Comparator.comparingInt((ContainerStatus s) ->
                                                        s.metadata().attempt())
                                                .reversed())
                                        .toList())));
        return new PodRuntimeState(sandbox, byName);
    }

    /** The newest attempt of the container, or null. */
    ContainerStatus latest(String name) {
        List<ContainerStatus> attempts = containers.get(name);
        return attempts == null || attempts.isEmpty() ? null : attempts.get(0);
    }

    /** The attempt before the newest, or null. */
    ContainerStatus previous(String name) {
        List<ContainerStatus> attempts = containers.get(name);
        return attempts == null || attempts.size() < 2 ? null : attempts.get(1);
    }

    String podIp() {
        return sandbox == null || sandbox.ip().isEmpty() ? null : sandbox.ip();
    }
}
