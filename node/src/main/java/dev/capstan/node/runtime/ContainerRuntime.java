package dev.capstan.node.runtime;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The container runtime as the pod workers use it: CRI's RuntimeService and ImageService in Capstan's own
 * records. Every method blocks (call it from a virtual thread) and throws {@link ContainerRuntimeException}
 * saying what failed; stop and remove calls are idempotent, as CRI requires, so a worker may repeat them.
 */
public interface ContainerRuntime extends AutoCloseable {

    RuntimeVersion version();

    // Sandboxes

    /** Creates and starts a pod's sandbox (its network namespace, IP and pause process); returns its ID. */
    String runPodSandbox(PodSandboxConfig config);

    /** Stops the sandbox's containers and releases its network; idempotent. */
    void stopPodSandbox(String sandboxId);

    /** Removes a stopped sandbox and its containers; idempotent. */
    void removePodSandbox(String sandboxId);

    /** The sandbox's status; throws with {@link ContainerRuntimeException.Reason#NOT_FOUND} when it is gone. */
    PodSandboxStatus podSandboxStatus(String sandboxId);

    /** The sandboxes whose labels include all of {@code labelSelector} (empty: all). */
    List<PodSandbox> listPodSandboxes(Map<String, String> labelSelector);

    // Containers

    /** Creates a container in the sandbox (not started); {@code sandboxConfig} is the one it was made from. */
    String createContainer(String sandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig);

    void startContainer(String containerId);

    /** Signals the container to stop, and kills it after {@code gracePeriod}; idempotent. */
    void stopContainer(String containerId, Duration gracePeriod);

    void removeContainer(String containerId);

    ContainerStatus containerStatus(String containerId);

    /** The containers of {@code sandboxId} (null: of every sandbox) whose labels include {@code labelSelector}. */
    List<Container> listContainers(String sandboxId, Map<String, String> labelSelector);

    /** Runs {@code command} in the container and waits for it, at most {@code timeout}. */
    ExecResult execSync(String containerId, List<String> command, Duration timeout);

    // Streaming: single-use URLs on the runtime's stream server (see RUNTIME-NOTES, CRI streaming)

    URI exec(String containerId, List<String> command, boolean stdin, boolean tty);

    URI attach(String containerId, boolean stdin, boolean tty);

    URI portForward(String sandboxId, List<Integer> ports);

    // Stats

    /** CPU and memory of every running container (CRI ListContainerStats). */
    List<ContainerStats> listContainerStats();

    /**
     * CPU and memory of every ready sandbox (CRI ListPodSandboxStats); throws when the runtime does not implement
     * it, and callers then add up the containers' usage.
     */
    List<PodSandboxStats> listPodSandboxStats();

    // Images

    /** The image if the runtime's store has it; check this before {@link #pullImage}, which always goes out. */
    Optional<ImageInfo> imageStatus(String image);

    /** Pulls the image from its registry; returns its image ref (ID). */
    String pullImage(String image);

    List<ImageInfo> listImages();

    @Override
    void close();
}
