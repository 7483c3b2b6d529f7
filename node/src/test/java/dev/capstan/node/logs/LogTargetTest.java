package dev.capstan.node.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capstan.node.runtime.ContainerState;
import dev.capstan.node.runtime.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogTargetTest {
    private static LogTarget.Pods pods(Pod pod, List<ContainerStatus> attempts) {
        return LogFixtures.pods(
                pod,
                attempts,
                id -> attempts.stream().anyMatch(a -> a.id().equals(id) && a.state() == ContainerState.RUNNING));
    }

    private static Pod pod(String waitingReason) {
        return LogFixtures.pod(waitingReason);
    }

    private static ContainerStatus attempt(String id, int attempt, ContainerState state, String logPath) {
        return LogFixtures.attempt(id, attempt, state, logPath);
    }

    @Test
    void unknownPodsAndContainersAre404() {
        var pods = pods(pod(null), List.of());
        assertThatThrownBy(() -> LogTarget.find(pods, "default", "db", "app", false))
                .hasMessage("pod \"db\" does not exist")
                .extracting(e -> ((LogTarget.LogException) e).status())
                .isEqualTo(404);
        assertThatThrownBy(() -> LogTarget.find(pods, "other", "web", "app", false))
                .hasMessage("pod \"web\" does not exist");
        assertThatThrownBy(() -> LogTarget.find(pods, "default", "web", "sidecar", false))
                .hasMessage("container \"sidecar\" not found in pod \"web\"")
                .extracting(e -> ((LogTarget.LogException) e).status())
                .isEqualTo(404);
    }

    @Test
    void theNewestAttemptAndThePreviousOne() {
        var current = attempt("c2", 2, ContainerState.RUNNING, "/logs/app/2.log");
        var before = attempt("c1", 1, ContainerState.EXITED, "/logs/app/1.log");
        var pods = pods(pod(null), List.of(current, before));
        assertThat(LogTarget.find(pods, "default", "web", "app", false)).isEqualTo(current);
        assertThat(LogTarget.find(pods, "default", "web", "app", true)).isEqualTo(before);
    }

    @Test
    void withoutAPreviousAttempt() {
        var pods = pods(pod(null), List.of(attempt("c0", 0, ContainerState.RUNNING, "/logs/app/0.log")));
        assertThatThrownBy(() -> LogTarget.find(pods, "default", "web", "app", true))
                .hasMessage("previous terminated container \"app\" in pod \"web\" not found")
                .extracting(e -> ((LogTarget.LogException) e).status())
                .isEqualTo(400);
    }

    @Test
    void anAttemptNotYetStartedShowsTheOneBefore() {
        var before = attempt("c0", 0, ContainerState.EXITED, "/logs/app/0.log");
        var pods = pods(pod(null), List.of(attempt("c1", 1, ContainerState.CREATED, "/logs/app/1.log"), before));
        assertThat(LogTarget.find(pods, "default", "web", "app", false)).isEqualTo(before);
    }

    @Test
    void aWaitingContainerSaysWhy() {
        assertThatThrownBy(() -> LogTarget.find(pods(pod(null), List.of()), "default", "web", "app", false))
                .hasMessage("container \"app\" in pod \"web\" is waiting to start - no logs yet");
        assertThatThrownBy(
                        () -> LogTarget.find(pods(pod("ContainerCreating"), List.of()), "default", "web", "app", false))
                .hasMessage("container \"app\" in pod \"web\" is waiting to start: ContainerCreating");
        assertThatThrownBy(() -> LogTarget.find(pods(pod("ErrImagePull"), List.of()), "default", "web", "app", false))
                .hasMessage("container \"app\" in pod \"web\" is waiting to start: image can't be pulled");
        assertThatThrownBy(
                        () -> LogTarget.find(pods(pod("ImagePullBackOff"), List.of()), "default", "web", "app", false))
                .hasMessage("container \"app\" in pod \"web\" is waiting to start: trying and failing to pull image");
    }
}
