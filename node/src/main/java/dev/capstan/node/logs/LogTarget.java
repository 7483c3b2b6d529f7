package dev.capstan.node.logs;

import dev.capstan.node.runtime.ContainerState;
import dev.capstan.node.runtime.ContainerStatus;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Which attempt of a container a log request reads, as upstream's kubelet decides it (server.go getContainerLogs and
 * kubelet_pods.go validateContainerLogStatus), with the same messages. The attempts come from the runtime (newest
 * first), which on this node is what the kubelet's status manager is upstream: fresher than the pod's status in the
 * API, which only supplies the reason a container still waits.
 */
public final class LogTarget {
    private LogTarget() {}

    /** What the agent knows of its pods. */
    public interface Pods {
        /** The pod bound to this node, if any. */
        Optional<Pod> pod(String namespace, String name);

        /** The container's attempts in the runtime, the newest first. */
        List<ContainerStatus> attempts(Pod pod, String container);

        /** Whether the container runs (upstream isContainerRunning: state RUNNING). */
        boolean running(String containerId);
    }

    /** A request that cannot be served: {@code status} is the HTTP status the kubelet answers with. */
    public static final class LogException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        LogException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** The attempt whose log to read. */
    public static ContainerStatus find(
            Pods pods, String namespace, String podName, String container, boolean previous) {
        Pod pod = pods.pod(namespace, podName)
                .orElseThrow(() -> new LogException(404, "pod \"" + podName + "\" does not exist"));
        var spec = pod.getSpec();
        boolean inSpec = Stream.of(
                        list(spec.getContainers()).stream().map(Container::getName),
                        list(spec.getInitContainers()).stream().map(Container::getName),
                        list(spec.getEphemeralContainers()).stream().map(EphemeralContainer::getName))
                .flatMap(s -> s)
                .anyMatch(container::equals);
        if (!inSpec) {
            throw new LogException(404, "container \"" + container + "\" not found in pod \"" + podName + "\"");
        }
        List<ContainerStatus> attempts = pods.attempts(pod, container);
        ContainerStatus latest = attempts.isEmpty() ? null : attempts.get(0);
        ContainerStatus earlier = attempts.size() < 2 ? null : attempts.get(1);
        if (previous) {
            if (earlier == null) {
                throw new LogException(
                        400,
                        "previous terminated container \"" + container + "\" in pod \"" + podName + "\" not found");
            }
            return earlier;
        }
        if (latest != null && (latest.state() == ContainerState.RUNNING || latest.state() == ContainerState.EXITED)) {
            return latest;
        }
        if (earlier != null) {
            return earlier; // the next attempt has not started: the last terminated one, as upstream's lastState
        }
        String reason = waitingReason(pod.getStatus(), container);
        throw new LogException(
                400,
                switch (reason) {
                    case "" ->
                        "container \"" + container + "\" in pod \"" + podName + "\" is waiting to start - no logs yet";
                    case "ErrImagePull" ->
                        "container \"" + container + "\" in pod \"" + podName
                                + "\" is waiting to start: image can't be pulled";
                    case "ImagePullBackOff" ->
                        "container \"" + container + "\" in pod \"" + podName
                                + "\" is waiting to start: trying and failing to pull image";
                    default ->
                        "container \"" + container + "\" in pod \"" + podName + "\" is waiting to start: " + reason;
                });
    }

    private static String waitingReason(PodStatus status, String container) {
        if (status == null) {
            return "";
        }
        return Stream.of(
                        status.getContainerStatuses(),
                        status.getInitContainerStatuses(),
                        status.getEphemeralContainerStatuses())
                .flatMap(l -> list(l).stream())
                .filter(s -> container.equals(s.getName()))
                .findFirst()
                .map(s -> s.getState() != null && s.getState().getWaiting() != null
                        ? Objects.requireNonNullElse(s.getState().getWaiting().getReason(), "")
                        : "")
                .orElse("");
    }

    private static <T> List<T> list(List<T> values) {
        return values == null ? List.of() : values;
    }
}
