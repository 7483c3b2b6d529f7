package dev.capstan.node.runtime;

import dev.capstan.node.runtime.ContainerRuntimeException.Reason;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Function;

/**
 * An in-memory {@link ContainerRuntime} for unit tests of the logic above it. It keeps CRI's state machine
 * (sandbox READY → NOT_READY; container CREATED → RUNNING → EXITED), its idempotent stop/remove calls and its
 * NOT_FOUND errors; tests drive exits with {@link #exit} and {@link #oomKill}, and answer execs with
 * {@link #onExec}. Images: {@link #addImage}; a pull succeeds only for images named with {@link #allowPull}. Stats:
 * {@link #usage} per container and sandbox; ListPodSandboxStats fails as unimplemented until
 * {@link #sandboxStatsImplemented}.
 */
public final class FakeContainerRuntime implements ContainerRuntime {

    private final Clock clock;
    private final Map<String, SandboxEntry> sandboxes = new LinkedHashMap<>();
    private final Map<String, ContainerEntry> containers = new LinkedHashMap<>();
    private final Map<String, ImageInfo> images = new LinkedHashMap<>();
    private final List<String> pullable = new ArrayList<>();
    private final List<String> calls = new ArrayList<>();
    private final Map<String, ResourceUsage> usages = new LinkedHashMap<>();
    private boolean sandboxStats;
    private Function<List<String>, ExecResult> execHandler = command -> new ExecResult(0, new byte[0], new byte[0]);
    private int nextIp = 2;

    private record SandboxEntry(PodSandboxConfig config, SandboxState state, Instant createdAt, String ip) {}

    private record ContainerEntry(String sandboxId, ContainerConfig config, ContainerStatus status) {}

    public FakeContainerRuntime(Clock clock) {
        this.clock = clock;
    }

    public FakeContainerRuntime() {
        this(Clock.systemUTC());
    }

    // Test controls

    public synchronized FakeContainerRuntime addImage(String name) {
        images.put(name, new ImageInfo("sha256:" + Integer.toHexString(name.hashCode()), List.of(name), List.of(), 1));
        return this;
    }

    public synchronized FakeContainerRuntime allowPull(String name) {
        pullable.add(name);
        return this;
    }

    public synchronized FakeContainerRuntime onExec(Function<List<String>, ExecResult> handler) {
        execHandler = handler;
        return this;
    }

    /** The container's process ended with {@code exitCode}; the reason is CRI's: Completed for 0, else Error. */
    public synchronized void exit(String containerId, int exitCode) {
        finish(containerId, exitCode, exitCode == 0 ? "Completed" : "Error");
    }

    /** The kernel killed the container for exceeding its memory limit (exit 137, reason OOMKilled). */
    public synchronized void oomKill(String containerId) {
        finish(containerId, 137, "OOMKilled");
    }

    /** What stats calls report for the container or sandbox from now on (default: zero at the clock's instant). */
    public synchronized FakeContainerRuntime usage(String id, ResourceUsage usage) {
        usages.put(id, usage);
        return this;
    }

    public synchronized FakeContainerRuntime sandboxStatsImplemented(boolean implemented) {
        sandboxStats = implemented;
        return this;
    }

    /** The configuration a container was created from. */
    public synchronized ContainerConfig config(String containerId) {
        return container(containerId).config();
    }

    /** The calls made so far, as "Method id" strings, for tests that check what the logic asked for. */
    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    // ContainerRuntime

    @Override
    public RuntimeVersion version() {
        return new RuntimeVersion("fake", "0.1.0", "v1");
    }

    @Override
    public synchronized String runPodSandbox(PodSandboxConfig config) {
        String id = newId();
        calls.add("RunPodSandbox " + id);
        sandboxes.put(id, new SandboxEntry(config, SandboxState.READY, clock.instant(), "10.244.0." + nextIp++));
        return id;
    }

    @Override
    public synchronized void stopPodSandbox(String sandboxId) {
        calls.add("StopPodSandbox " + sandboxId);
        SandboxEntry sandbox = sandboxes.get(sandboxId);
        if (sandbox == null) {
            return;
        }
        containers.forEach((id, container) -> {
            if (container.sandboxId().equals(sandboxId) && container.status().state() == ContainerState.RUNNING) {
                finish(id, 137, "Error");
            }
        });
        sandboxes.put(sandboxId, new SandboxEntry(sandbox.config(), SandboxState.NOT_READY, sandbox.createdAt(), ""));
    }

    @Override
    public synchronized void removePodSandbox(String sandboxId) {
        calls.add("RemovePodSandbox " + sandboxId);
        SandboxEntry sandbox = sandboxes.get(sandboxId);
        if (sandbox == null) {
            return;
        }
        if (sandbox.state() == SandboxState.READY) {
            throw new ContainerRuntimeException(Reason.FAILED, "sandbox " + sandboxId + " is still running; stop it");
        }
        containers.values().removeIf(container -> container.sandboxId().equals(sandboxId));
        sandboxes.remove(sandboxId);
    }

    @Override
    public synchronized PodSandboxStatus podSandboxStatus(String sandboxId) {
        SandboxEntry sandbox = sandbox(sandboxId);
        var config = sandbox.config();
        return new PodSandboxStatus(
                sandboxId,
                config.metadata(),
                sandbox.state(),
                sandbox.createdAt(),
                sandbox.ip(),
                List.of(),
                config.labels(),
                config.annotations());
    }

    @Override
    public synchronized List<PodSandbox> listPodSandboxes(Map<String, String> labelSelector) {
        return sandboxes.entrySet().stream()
                .filter(entry -> matches(entry.getValue().config().labels(), labelSelector))
                .map(entry -> {
                    var config = entry.getValue().config();
                    return new PodSandbox(
                            entry.getKey(),
                            config.metadata(),
                            entry.getValue().state(),
                            entry.getValue().createdAt(),
                            config.labels(),
                            config.annotations());
                })
                .toList();
    }

    @Override
    public synchronized String createContainer(
            String sandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig) {
        if (sandbox(sandboxId).state() != SandboxState.READY) {
            throw new ContainerRuntimeException(Reason.FAILED, "sandbox " + sandboxId + " is not ready");
        }
        ImageInfo image = Optional.ofNullable(images.get(config.image()))
                .orElseThrow(() ->
                        new ContainerRuntimeException(Reason.NOT_FOUND, "image " + config.image() + " not found"));
        String id = newId();
        calls.add("CreateContainer " + id);
        var status = new ContainerStatus(
                id,
                config.metadata(),
                ContainerState.CREATED,
                new ContainerStatus.Times(clock.instant(), null, null),
                0,
                "",
                "",
                config.image(),
                image.id(),
                config.logPath(),
                config.labels(),
                config.annotations());
        containers.put(id, new ContainerEntry(sandboxId, config, status));
        return id;
    }

    @Override
    public synchronized void startContainer(String containerId) {
        calls.add("StartContainer " + containerId);
        ContainerEntry container = container(containerId);
        if (container.status().state() != ContainerState.CREATED) {
            throw new ContainerRuntimeException(
                    Reason.FAILED,
                    "container " + containerId + " is " + container.status().state() + ", not CREATED");
        }
        var old = container.status();
        update(
                containerId,
                ContainerState.RUNNING,
                new ContainerStatus.Times(old.times().createdAt(), clock.instant(), null),
                0,
                "");
    }

    @Override
    public synchronized void stopContainer(String containerId, Duration gracePeriod) {
        calls.add("StopContainer " + containerId);
        if (container(containerId).status().state() == ContainerState.RUNNING) {
            // As if the process ignored SIGTERM for the whole grace period: killed by SIGKILL.
            finish(containerId, 137, "Error");
        }
    }

    @Override
    public synchronized void removeContainer(String containerId) {
        calls.add("RemoveContainer " + containerId);
        ContainerEntry container = containers.get(containerId);
        if (container != null && container.status().state() == ContainerState.RUNNING) {
            throw new ContainerRuntimeException(Reason.FAILED, "container " + containerId + " is running; stop it");
        }
        containers.remove(containerId);
    }

    @Override
    public synchronized ContainerStatus containerStatus(String containerId) {
        return container(containerId).status();
    }

    @Override
    public synchronized List<Container> listContainers(String sandboxId, Map<String, String> labelSelector) {
        return containers.values().stream()
                .filter(container -> sandboxId == null || container.sandboxId().equals(sandboxId))
                .filter(container -> matches(container.status().labels(), labelSelector))
                .map(container -> {
                    var status = container.status();
                    return new Container(
                            status.id(),
                            container.sandboxId(),
                            status.metadata(),
                            status.state(),
                            status.image(),
                            status.imageRef(),
                            status.times().createdAt(),
                            status.labels(),
                            status.annotations());
                })
                .toList();
    }

    @Override
    public synchronized ExecResult execSync(String containerId, List<String> command, Duration timeout) {
        calls.add("ExecSync " + containerId);
        requireRunning(containerId);
        return execHandler.apply(command);
    }

    @Override
    public synchronized URI exec(String containerId, List<String> command, boolean stdin, boolean tty) {
        requireRunning(containerId);
        return URI.create("http://127.0.0.1:1/exec/" + newId());
    }

    @Override
    public synchronized URI attach(String containerId, boolean stdin, boolean tty) {
        requireRunning(containerId);
        return URI.create("http://127.0.0.1:1/attach/" + newId());
    }

    @Override
    public synchronized URI portForward(String sandboxId, List<Integer> ports) {
        sandbox(sandboxId);
        return URI.create("http://127.0.0.1:1/portforward/" + newId());
    }

    @Override
    public synchronized List<ContainerStats> listContainerStats() {
        return containers.values().stream()
                .filter(container -> container.status().state() == ContainerState.RUNNING)
                .map(container -> {
                    var status = container.status();
                    return new ContainerStats(status.id(), status.metadata(), status.labels(), usageOf(status.id()));
                })
                .toList();
    }

    @Override
    public synchronized List<PodSandboxStats> listPodSandboxStats() {
        if (!sandboxStats) {
            throw new ContainerRuntimeException(Reason.FAILED, "CRI ListPodSandboxStats failed: UNIMPLEMENTED");
        }
        return sandboxes.entrySet().stream()
                .filter(e -> e.getValue().state() == SandboxState.READY)
                .map(e -> {
                    var config = e.getValue().config();
                    return new PodSandboxStats(e.getKey(), config.metadata(), config.labels(), usageOf(e.getKey()));
                })
                .toList();
    }

    private ResourceUsage usageOf(String id) {
        return usages.getOrDefault(
                id, new ResourceUsage(clock.instant(), OptionalLong.of(0), OptionalLong.empty(), OptionalLong.of(0)));
    }

    @Override
    public synchronized Optional<ImageInfo> imageStatus(String image) {
        return Optional.ofNullable(images.get(image));
    }

    @Override
    public synchronized String pullImage(String image) {
        calls.add("PullImage " + image);
        if (!pullable.contains(image)) {
            // as containerd answers when no registry is reachable
            throw new ContainerRuntimeException(
                    Reason.FAILED,
                    "CRI PullImage of " + image + " on /fake.sock failed: UNKNOWN: no registry reachable",
                    "Unknown",
                    "failed to pull and unpack image \"" + image + "\": no registry reachable",
                    null);
        }
        addImage(image);
        return images.get(image).id();
    }

    @Override
    public synchronized List<ImageInfo> listImages() {
        return List.copyOf(images.values());
    }

    @Override
    public void close() {}

    private void finish(String containerId, int exitCode, String reason) {
        var old = container(containerId).status();
        if (old.state() != ContainerState.RUNNING) {
            throw new IllegalStateException("container " + containerId + " is " + old.state() + ", not RUNNING");
        }
        update(
                containerId,
                ContainerState.EXITED,
                new ContainerStatus.Times(old.times().createdAt(), old.times().startedAt(), clock.instant()),
                exitCode,
                reason);
    }

    private void update(
            String containerId, ContainerState state, ContainerStatus.Times times, int exitCode, String reason) {
        ContainerEntry entry = container(containerId);
        var old = entry.status();
        var status = new ContainerStatus(
                old.id(),
                old.metadata(),
                state,
                times,
                exitCode,
                reason,
                "",
                old.image(),
                old.imageRef(),
                old.logPath(),
                old.labels(),
                old.annotations());
        containers.put(containerId, new ContainerEntry(entry.sandboxId(), entry.config(), status));
    }

    private void requireRunning(String containerId) {
        if (container(containerId).status().state() != ContainerState.RUNNING) {
            throw new ContainerRuntimeException(Reason.FAILED, "container " + containerId + " is not running");
        }
    }

    private SandboxEntry sandbox(String sandboxId) {
        SandboxEntry sandbox = sandboxes.get(sandboxId);
        if (sandbox == null) {
            throw new ContainerRuntimeException(Reason.NOT_FOUND, "sandbox " + sandboxId + " not found");
        }
        return sandbox;
    }

    private ContainerEntry container(String containerId) {
        ContainerEntry container = containers.get(containerId);
        if (container == null) {
            throw new ContainerRuntimeException(Reason.NOT_FOUND, "container " + containerId + " not found");
        }
        return container;
    }

    private static boolean matches(Map<String, String> labels, Map<String, String> selector) {
        return selector == null || labels.entrySet().containsAll(selector.entrySet());
    }

    private static String newId() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
