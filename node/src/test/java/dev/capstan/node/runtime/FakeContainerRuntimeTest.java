package dev.capstan.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FakeContainerRuntimeTest {

    private final FakeContainerRuntime runtime = new FakeContainerRuntime().addImage("busybox");
    private final PodSandboxConfig sandboxConfig = PodSandboxConfig.of(
                    new PodMetadata("web", "default", "u1", 0), "/logs")
            .withLabels(Map.of("app", "web"));

    @Test
    void containerGoesThroughCriStatesAndKeepsItsExitCode() {
        String sandbox = runtime.runPodSandbox(sandboxConfig);
        String container = runtime.createContainer(
                sandbox, ContainerConfig.builder("main", "busybox").build(), sandboxConfig);
        assertThat(runtime.containerStatus(container).state()).isEqualTo(ContainerState.CREATED);

        runtime.startContainer(container);
        assertThat(runtime.containerStatus(container).state()).isEqualTo(ContainerState.RUNNING);
        assertThat(runtime.containerStatus(container).startedAt()).isNotNull();

        runtime.exit(container, 3);
        ContainerStatus status = runtime.containerStatus(container);
        assertThat(status.state()).isEqualTo(ContainerState.EXITED);
        assertThat(status.exitCode()).isEqualTo(3);
        assertThat(status.reason()).isEqualTo("Error");
        assertThat(status.finishedAt()).isNotNull();
        assertThat(status.logPath()).isEqualTo("main/0.log");
    }

    @Test
    void oomKillShowsOomKilled() {
        String sandbox = runtime.runPodSandbox(sandboxConfig);
        String container = runtime.createContainer(
                sandbox, ContainerConfig.builder("hog", "busybox").build(), sandboxConfig);
        runtime.startContainer(container);
        runtime.oomKill(container);
        assertThat(runtime.containerStatus(container).reason()).isEqualTo("OOMKilled");
        assertThat(runtime.containerStatus(container).exitCode()).isEqualTo(137);
    }

    @Test
    void stopAndRemoveAreIdempotentAndLeaveNothing() {
        String sandbox = runtime.runPodSandbox(sandboxConfig);
        String container = runtime.createContainer(
                sandbox, ContainerConfig.builder("main", "busybox").build(), sandboxConfig);
        runtime.startContainer(container);

        runtime.stopPodSandbox(sandbox);
        runtime.stopPodSandbox(sandbox);
        assertThat(runtime.containerStatus(container).state()).isEqualTo(ContainerState.EXITED);
        assertThat(runtime.podSandboxStatus(sandbox).state()).isEqualTo(SandboxState.NOT_READY);
        runtime.removePodSandbox(sandbox);
        runtime.removePodSandbox(sandbox);

        assertThat(runtime.listPodSandboxes(Map.of())).isEmpty();
        assertThat(runtime.listContainers(null, Map.of())).isEmpty();
        assertThatThrownBy(() -> runtime.containerStatus(container))
                .isInstanceOfSatisfying(
                        ContainerRuntimeException.class,
                        e -> assertThat(e.isNotFound()).isTrue());
    }

    @Test
    void listsFilterBySandboxAndLabels() {
        String web = runtime.runPodSandbox(sandboxConfig);
        String db = runtime.runPodSandbox(PodSandboxConfig.of(new PodMetadata("db", "default", "u2", 0), "/logs")
                .withLabels(Map.of("app", "db")));
        runtime.createContainer(
                web,
                ContainerConfig.builder("a", "busybox").label("tier", "front").build(),
                sandboxConfig);
        runtime.createContainer(db, ContainerConfig.builder("b", "busybox").build(), sandboxConfig);

        assertThat(runtime.listPodSandboxes(Map.of("app", "web")))
                .extracting(PodSandbox::id)
                .containsExactly(web);
        assertThat(runtime.listContainers(db, Map.of()))
                .extracting(c -> c.metadata().name())
                .containsExactly("b");
        assertThat(runtime.listContainers(null, Map.of("tier", "front")))
                .extracting(c -> c.metadata().name())
                .containsExactly("a");
    }

    @Test
    void execAnswersThroughTheHandlerOnlyInRunningContainers() {
        runtime.onExec(command -> new ExecResult(command.size(), "out".getBytes(), new byte[0]));
        String sandbox = runtime.runPodSandbox(sandboxConfig);
        String container = runtime.createContainer(
                sandbox, ContainerConfig.builder("main", "busybox").build(), sandboxConfig);
        assertThatThrownBy(() -> runtime.execSync(container, List.of("true"), Duration.ofSeconds(1)))
                .isInstanceOf(ContainerRuntimeException.class);

        runtime.startContainer(container);
        ExecResult result = runtime.execSync(container, List.of("sh", "-c", "exit 3"), Duration.ofSeconds(1));
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdoutText()).isEqualTo("out");
    }

    @Test
    void imagesArePulledOnlyWhenAllowedAndCreateNeedsThem() {
        String sandbox = runtime.runPodSandbox(sandboxConfig);
        assertThat(runtime.imageStatus("nginx")).isEmpty();
        assertThatThrownBy(() -> runtime.pullImage("nginx")).hasMessageContaining("no registry");
        assertThatThrownBy(() -> runtime.createContainer(
                        sandbox, ContainerConfig.builder("x", "nginx").build(), sandboxConfig))
                .isInstanceOfSatisfying(
                        ContainerRuntimeException.class,
                        e -> assertThat(e.isNotFound()).isTrue());

        runtime.allowPull("nginx");
        String ref = runtime.pullImage("nginx");
        assertThat(runtime.imageStatus("nginx")).get().extracting(ImageInfo::id).isEqualTo(ref);
        assertThat(runtime.calls()).contains("PullImage nginx");
    }
}
