package dev.capstan.node.runtime.cri;

import dev.capstan.node.runtime.Container;
import dev.capstan.node.runtime.ContainerConfig;
import dev.capstan.node.runtime.ContainerRuntime;
import dev.capstan.node.runtime.ContainerRuntimeException;
import dev.capstan.node.runtime.ContainerRuntimeException.Reason;
import dev.capstan.node.runtime.ContainerStats;
import dev.capstan.node.runtime.ContainerStatus;
import dev.capstan.node.runtime.ExecResult;
import dev.capstan.node.runtime.ImageInfo;
import dev.capstan.node.runtime.PodSandbox;
import dev.capstan.node.runtime.PodSandboxConfig;
import dev.capstan.node.runtime.PodSandboxStats;
import dev.capstan.node.runtime.PodSandboxStatus;
import dev.capstan.node.runtime.RuntimeVersion;
import dev.capstan.node.runtime.cri.v1.AttachRequest;
import dev.capstan.node.runtime.cri.v1.ContainerFilter;
import dev.capstan.node.runtime.cri.v1.ContainerStatusRequest;
import dev.capstan.node.runtime.cri.v1.CreateContainerRequest;
import dev.capstan.node.runtime.cri.v1.ExecRequest;
import dev.capstan.node.runtime.cri.v1.ExecSyncRequest;
import dev.capstan.node.runtime.cri.v1.ImageServiceGrpc;
import dev.capstan.node.runtime.cri.v1.ImageSpec;
import dev.capstan.node.runtime.cri.v1.ImageStatusRequest;
import dev.capstan.node.runtime.cri.v1.ListContainerStatsRequest;
import dev.capstan.node.runtime.cri.v1.ListContainersRequest;
import dev.capstan.node.runtime.cri.v1.ListImagesRequest;
import dev.capstan.node.runtime.cri.v1.ListPodSandboxRequest;
import dev.capstan.node.runtime.cri.v1.ListPodSandboxStatsRequest;
import dev.capstan.node.runtime.cri.v1.PodSandboxFilter;
import dev.capstan.node.runtime.cri.v1.PodSandboxStatusRequest;
import dev.capstan.node.runtime.cri.v1.PortForwardRequest;
import dev.capstan.node.runtime.cri.v1.PullImageRequest;
import dev.capstan.node.runtime.cri.v1.RemoveContainerRequest;
import dev.capstan.node.runtime.cri.v1.RemovePodSandboxRequest;
import dev.capstan.node.runtime.cri.v1.RunPodSandboxRequest;
import dev.capstan.node.runtime.cri.v1.RuntimeServiceGrpc;
import dev.capstan.node.runtime.cri.v1.StartContainerRequest;
import dev.capstan.node.runtime.cri.v1.StopContainerRequest;
import dev.capstan.node.runtime.cri.v1.StopPodSandboxRequest;
import dev.capstan.node.runtime.cri.v1.VersionRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@link ContainerRuntime} over CRI v1 on a unix socket (containerd's). Every call carries a deadline:
 * {@code callTimeout} for ordinary calls, plus the grace period or exec timeout for the calls that wait on a
 * process, and {@link #PULL_TIMEOUT} for pulls. gRPC failures become {@link ContainerRuntimeException}s naming
 * the call and its subject.
 */
public final class CriRuntime implements ContainerRuntime {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(CriRuntime.class);

    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);
    /** Pulls fetch whole images; kubelet gives them minutes, not seconds. */
    public static final Duration PULL_TIMEOUT = Duration.ofMinutes(5);
    /** Kubelet's limit: a node with many containers sends large lists. */
    private static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    private final Path socket;
    private final Duration callTimeout;
    private final EventLoopGroup eventLoop;
    private final ManagedChannel channel;
    private final RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime;
    private final ImageServiceGrpc.ImageServiceBlockingStub images;

    private CriRuntime(Path socket, Duration callTimeout) {
        this.socket = socket;
        this.callTimeout = callTimeout;
        this.eventLoop = new EpollEventLoopGroup(1, new DefaultThreadFactory("cri-" + socket.getFileName(), true));
        this.channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .eventLoopGroup(eventLoop)
                .channelType(EpollDomainSocketChannel.class)
                // gRPC sets SO_KEEPALIVE on every channel; a unix socket has no such option and Netty warns of it
                .withOption(ChannelOption.SO_KEEPALIVE, null)
                .usePlaintext()
                .overrideAuthority("localhost")
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .build();
        this.runtime = RuntimeServiceGrpc.newBlockingStub(channel);
        this.images = ImageServiceGrpc.newBlockingStub(channel);
    }

    /**
     * Connects to the CRI socket; fails at once, saying what to do, when the socket does not exist. The
     * connection itself is made on the first call.
     */
    public static CriRuntime connect(Path socket, Duration callTimeout) {
        if (!Files.exists(socket)) {
            throw new ContainerRuntimeException(Reason.UNAVAILABLE, missingSocket(socket));
        }
        return new CriRuntime(socket, callTimeout);
    }

    public Path socket() {
        return socket;
    }

    @Override
    public RuntimeVersion version() {
        var response = call(
                "Version",
                "",
                Duration.ZERO,
                stub -> stub.version(
                        VersionRequest.newBuilder().setVersion("v1").build()));
        return new RuntimeVersion(
                response.getRuntimeName(), response.getRuntimeVersion(), response.getRuntimeApiVersion());
    }

    @Override
    public String runPodSandbox(PodSandboxConfig config) {
        var pod = config.metadata();
        return call(
                        "RunPodSandbox",
                        "pod " + pod.namespace() + "/" + pod.name(),
                        Duration.ZERO,
                        stub -> stub.runPodSandbox(RunPodSandboxRequest.newBuilder()
                                .setConfig(CriMapping.toCri(config))
                                .build()))
                .getPodSandboxId();
    }

    @Override
    public void stopPodSandbox(String sandboxId) {
        call(
                "StopPodSandbox",
                "sandbox " + sandboxId,
                Duration.ZERO,
                stub -> stub.stopPodSandbox(StopPodSandboxRequest.newBuilder()
                        .setPodSandboxId(sandboxId)
                        .build()));
    }

    @Override
    public void removePodSandbox(String sandboxId) {
        call(
                "RemovePodSandbox",
                "sandbox " + sandboxId,
                Duration.ZERO,
                stub -> stub.removePodSandbox(RemovePodSandboxRequest.newBuilder()
                        .setPodSandboxId(sandboxId)
                        .build()));
    }

    @Override
    public PodSandboxStatus podSandboxStatus(String sandboxId) {
        var response = call(
                "PodSandboxStatus",
                "sandbox " + sandboxId,
                Duration.ZERO,
                stub -> stub.podSandboxStatus(PodSandboxStatusRequest.newBuilder()
                        .setPodSandboxId(sandboxId)
                        .build()));
        return CriMapping.fromCri(response.getStatus());
    }

    @Override
    public List<PodSandbox> listPodSandboxes(Map<String, String> labelSelector) {
        var filter = PodSandboxFilter.newBuilder().putAllLabelSelector(CriMapping.labels(labelSelector));
        var response = call(
                "ListPodSandbox",
                "",
                Duration.ZERO,
                stub -> stub.listPodSandbox(
                        ListPodSandboxRequest.newBuilder().setFilter(filter).build()));
        return response.getItemsList().stream().map(CriMapping::fromCri).toList();
    }

    @Override
    public String createContainer(String sandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig) {
        return call(
                        "CreateContainer",
                        "container " + config.metadata().name() + " in sandbox " + sandboxId,
                        Duration.ZERO,
                        stub -> stub.createContainer(CreateContainerRequest.newBuilder()
                                .setPodSandboxId(sandboxId)
                                .setConfig(CriMapping.toCri(config))
                                .setSandboxConfig(CriMapping.toCri(sandboxConfig))
                                .build()))
                .getContainerId();
    }

    @Override
    public void startContainer(String containerId) {
        call(
                "StartContainer",
                "container " + containerId,
                Duration.ZERO,
                stub -> stub.startContainer(StartContainerRequest.newBuilder()
                        .setContainerId(containerId)
                        .build()));
    }

    @Override
    public void stopContainer(String containerId, Duration gracePeriod) {
        call(
                "StopContainer",
                "container " + containerId,
                gracePeriod,
                stub -> stub.stopContainer(StopContainerRequest.newBuilder()
                        .setContainerId(containerId)
                        .setTimeout(gracePeriod.toSeconds())
                        .build()));
    }

    @Override
    public void removeContainer(String containerId) {
        call(
                "RemoveContainer",
                "container " + containerId,
                Duration.ZERO,
                stub -> stub.removeContainer(RemoveContainerRequest.newBuilder()
                        .setContainerId(containerId)
                        .build()));
    }

    @Override
    public ContainerStatus containerStatus(String containerId) {
        var response = call(
                "ContainerStatus",
                "container " + containerId,
                Duration.ZERO,
                stub -> stub.containerStatus(ContainerStatusRequest.newBuilder()
                        .setContainerId(containerId)
                        .build()));
        return CriMapping.fromCri(response.getStatus());
    }

    @Override
    public List<Container> listContainers(String sandboxId, Map<String, String> labelSelector) {
        var filter = ContainerFilter.newBuilder().putAllLabelSelector(CriMapping.labels(labelSelector));
        if (sandboxId != null) {
            filter.setPodSandboxId(sandboxId);
        }
        var response = call(
                "ListContainers",
                sandboxId == null ? "" : "sandbox " + sandboxId,
                Duration.ZERO,
                stub -> stub.listContainers(
                        ListContainersRequest.newBuilder().setFilter(filter).build()));
        return response.getContainersList().stream().map(CriMapping::fromCri).toList();
    }

    @Override
    public ExecResult execSync(String containerId, List<String> command, Duration timeout) {
        var response = call(
                "ExecSync",
                "container " + containerId + " " + command,
                timeout,
                stub -> stub.execSync(ExecSyncRequest.newBuilder()
                        .setContainerId(containerId)
                        .addAllCmd(command)
                        .setTimeout(Math.max(1, timeout.toSeconds()))
                        .build()));
        return new ExecResult(
                response.getExitCode(),
                response.getStdout().toByteArray(),
                response.getStderr().toByteArray());
    }

    @Override
    public URI exec(String containerId, List<String> command, boolean stdin, boolean tty) {
        var response = call(
                "Exec",
                "container " + containerId,
                Duration.ZERO,
                stub -> stub.exec(ExecRequest.newBuilder()
                        .setContainerId(containerId)
                        .addAllCmd(command)
                        .setStdin(stdin)
                        .setStdout(true)
                        // A TTY merges stderr into stdout; CRI refuses both at once.
                        .setStderr(!tty)
                        .setTty(tty)
                        .build()));
        return URI.create(response.getUrl());
    }

    @Override
    public URI attach(String containerId, boolean stdin, boolean tty) {
        var response = call(
                "Attach",
                "container " + containerId,
                Duration.ZERO,
                stub -> stub.attach(AttachRequest.newBuilder()
                        .setContainerId(containerId)
                        .setStdin(stdin)
                        .setStdout(true)
                        .setStderr(!tty)
                        .setTty(tty)
                        .build()));
        return URI.create(response.getUrl());
    }

    @Override
    public URI portForward(String sandboxId, List<Integer> ports) {
        var response = call(
                "PortForward",
                "sandbox " + sandboxId,
                Duration.ZERO,
                stub -> stub.portForward(PortForwardRequest.newBuilder()
                        .setPodSandboxId(sandboxId)
                        .addAllPort(ports)
                        .build()));
        return URI.create(response.getUrl());
    }

    @Override
    public List<ContainerStats> listContainerStats() {
        return call(
                        "ListContainerStats",
                        "",
                        Duration.ZERO,
                        stub -> stub.listContainerStats(ListContainerStatsRequest.getDefaultInstance()))
                .getStatsList()
                .stream()
                .map(CriMapping::fromCri)
                .toList();
    }

    @Override
    public List<PodSandboxStats> listPodSandboxStats() {
        return call(
                        "ListPodSandboxStats",
                        "",
                        Duration.ZERO,
                        stub -> stub.listPodSandboxStats(ListPodSandboxStatsRequest.getDefaultInstance()))
                .getStatsList()
                .stream()
                .map(CriMapping::fromCri)
                .toList();
    }

    @Override
    public Optional<ImageInfo> imageStatus(String image) {
        var response = imageCall(
                "ImageStatus",
                image,
                callTimeout,
                stub -> stub.imageStatus(ImageStatusRequest.newBuilder()
                        .setImage(ImageSpec.newBuilder().setImage(image))
                        .build()));
        return response.hasImage() ? Optional.of(CriMapping.fromCri(response.getImage())) : Optional.empty();
    }

    @Override
    public String pullImage(String image) {
        return imageCall(
                        "PullImage",
                        image,
                        PULL_TIMEOUT,
                        stub -> stub.pullImage(PullImageRequest.newBuilder()
                                .setImage(ImageSpec.newBuilder().setImage(image))
                                .build()))
                .getImageRef();
    }

    @Override
    public List<ImageInfo> listImages() {
        var response = imageCall(
                "ListImages", "", callTimeout, stub -> stub.listImages(ListImagesRequest.getDefaultInstance()));
        return response.getImagesList().stream().map(CriMapping::fromCri).toList();
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        eventLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        return "CriRuntime[" + socket + "]";
    }

    private <T> T call(
            String method,
            String subject,
            Duration extra,
            Function<RuntimeServiceGrpc.RuntimeServiceBlockingStub, T> rpc) {
        Duration deadline = callTimeout.plus(extra);
        return translate(
                method,
                subject,
                deadline,
                () -> rpc.apply(runtime.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)));
    }

    private <T> T imageCall(
            String method,
            String subject,
            Duration deadline,
            Function<ImageServiceGrpc.ImageServiceBlockingStub, T> rpc) {
        return translate(
                method,
                subject,
                deadline,
                () -> rpc.apply(images.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)));
    }

    private <T> T translate(String method, String subject, Duration deadline, Supplier<T> rpc) {
        long started = System.nanoTime();
        try {
            return rpc.get();
        } catch (StatusRuntimeException e) {
            Status status = e.getStatus();
            String what = "CRI " + method + (subject.isEmpty() ? "" : " of " + subject) + " on " + socket;
            throw switch (status.getCode()) {
                case UNAVAILABLE ->
                    new ContainerRuntimeException(
                            Reason.UNAVAILABLE,
                            Files.exists(socket)
                                    ? what + " failed: the runtime is unavailable (" + status.getDescription()
                                            + "); is containerd running and its CRI plugin enabled?"
                                    : what + " failed: " + missingSocket(socket),
                            e);
                case NOT_FOUND -> answered(Reason.NOT_FOUND, what, status, e);
                case DEADLINE_EXCEEDED ->
                    new ContainerRuntimeException(
                            Reason.DEADLINE_EXCEEDED,
                            what + " failed: no answer within " + deadline.toMillis() + " ms",
                            e);
                default -> answered(Reason.FAILED, what, status, e);
            };
        } finally {
            // where a pod's start goes: containerd's own calls, by the node agent's debug log
            LOG.debugf("CRI %s %s took %d ms", method, subject, (System.nanoTime() - started) / 1_000_000);
        }
    }

    /** An error the runtime answered with: the call and socket for the log, its code and words for users. */
    static ContainerRuntimeException answered(Reason reason, String what, Status status, Throwable cause) {
        String detail = Objects.requireNonNullElse(status.getDescription(), "");
        return new ContainerRuntimeException(
                reason,
                what + " failed: " + status.getCode() + ": " + detail,
                goCodeName(status.getCode()),
                detail,
                cause);
    }

    /** A gRPC code as Go's codes.Code.String() spells it: NOT_FOUND is NotFound, and CANCELLED is Canceled. */
    static String goCodeName(Status.Code code) {
        if (code == Status.Code.CANCELLED) {
            return "Canceled";
        }
        StringBuilder name = new StringBuilder();
        for (String word : code.name().split("_")) {
            name.append(word.charAt(0)).append(word.substring(1).toLowerCase(java.util.Locale.ROOT));
        }
        return name.toString();
    }

    private static String missingSocket(Path socket) {
        return "containerd's socket " + socket + " does not exist: start containerd or let the node agent start its"
                + " own (ContainerdProcess; apt-get install containerd runc containernetworking-plugins if it is not"
                + " installed)";
    }
}
