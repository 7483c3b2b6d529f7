package dev.capstan.node.runtime.cri;

import com.google.protobuf.ByteString;
import dev.capstan.node.runtime.Container;
import dev.capstan.node.runtime.ContainerConfig;
import dev.capstan.node.runtime.ContainerMetadata;
import dev.capstan.node.runtime.ContainerSecurity;
import dev.capstan.node.runtime.ContainerState;
import dev.capstan.node.runtime.ContainerStats;
import dev.capstan.node.runtime.ContainerStatus;
import dev.capstan.node.runtime.ImageInfo;
import dev.capstan.node.runtime.PodMetadata;
import dev.capstan.node.runtime.PodSandbox;
import dev.capstan.node.runtime.PodSandboxConfig;
import dev.capstan.node.runtime.PodSandboxStats;
import dev.capstan.node.runtime.PodSandboxStatus;
import dev.capstan.node.runtime.ResourceUsage;
import dev.capstan.node.runtime.SandboxState;
import dev.capstan.node.runtime.cri.v1.Capability;
import dev.capstan.node.runtime.cri.v1.CpuUsage;
import dev.capstan.node.runtime.cri.v1.DNSConfig;
import dev.capstan.node.runtime.cri.v1.ImageSpec;
import dev.capstan.node.runtime.cri.v1.Int64Value;
import dev.capstan.node.runtime.cri.v1.KeyValue;
import dev.capstan.node.runtime.cri.v1.LinuxContainerConfig;
import dev.capstan.node.runtime.cri.v1.LinuxContainerResources;
import dev.capstan.node.runtime.cri.v1.LinuxContainerSecurityContext;
import dev.capstan.node.runtime.cri.v1.LinuxPodSandboxConfig;
import dev.capstan.node.runtime.cri.v1.LinuxSandboxSecurityContext;
import dev.capstan.node.runtime.cri.v1.MemoryUsage;
import dev.capstan.node.runtime.cri.v1.Mount;
import dev.capstan.node.runtime.cri.v1.NamespaceMode;
import dev.capstan.node.runtime.cri.v1.NamespaceOption;
import dev.capstan.node.runtime.cri.v1.PodIP;
import dev.capstan.node.runtime.cri.v1.PodSandboxMetadata;
import dev.capstan.node.runtime.cri.v1.PortMapping;
import dev.capstan.node.runtime.cri.v1.Protocol;
import dev.capstan.node.runtime.cri.v1.UInt64Value;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;

/** Conversions between Capstan's runtime records and CRI v1 messages. */
final class CriMapping {

    private CriMapping() {}

    static dev.capstan.node.runtime.cri.v1.PodSandboxConfig toCri(PodSandboxConfig config) {
        PodMetadata metadata = config.metadata();
        var builder = dev.capstan.node.runtime.cri.v1.PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder()
                        .setName(metadata.name())
                        .setNamespace(metadata.namespace())
                        .setUid(metadata.uid())
                        .setAttempt(metadata.attempt()))
                .setHostname(config.hostname())
                .setLogDirectory(config.logDirectory())
                .putAllLabels(config.labels())
                .putAllAnnotations(config.annotations())
                .setLinux(LinuxPodSandboxConfig.newBuilder()
                        .setCgroupParent(config.cgroupParent())
                        .setSecurityContext(LinuxSandboxSecurityContext.newBuilder()
                                .setNamespaceOptions(NamespaceOption.newBuilder()
                                        .setNetwork(NamespaceMode.POD)
                                        .setPid(NamespaceMode.CONTAINER)
                                        .setIpc(NamespaceMode.POD))));
        if (config.dns() != null) {
            builder.setDnsConfig(DNSConfig.newBuilder()
                    .addAllServers(config.dns().servers())
                    .addAllSearches(config.dns().searches())
                    .addAllOptions(config.dns().options()));
        }
        for (var port : config.portMappings()) {
            builder.addPortMappings(PortMapping.newBuilder()
                    .setProtocol(Protocol.valueOf(port.protocol().name()))
                    .setContainerPort(port.containerPort())
                    .setHostPort(port.hostPort())
                    .setHostIp(port.hostIp() == null ? "" : port.hostIp()));
        }
        return builder.build();
    }

    static dev.capstan.node.runtime.cri.v1.ContainerConfig toCri(ContainerConfig config) {
        var builder = dev.capstan.node.runtime.cri.v1.ContainerConfig.newBuilder()
                .setMetadata(dev.capstan.node.runtime.cri.v1.ContainerMetadata.newBuilder()
                        .setName(config.metadata().name())
                        .setAttempt(config.metadata().attempt()))
                .setImage(ImageSpec.newBuilder().setImage(config.image()))
                .addAllCommand(config.command())
                .addAllArgs(config.args())
                .setWorkingDir(config.workingDir())
                .setLogPath(config.logPath())
                .setStdin(config.stdin())
                .setStdinOnce(config.stdinOnce())
                .setTty(config.tty())
                .putAllLabels(config.labels())
                .putAllAnnotations(config.annotations());
        for (var env : config.env()) {
            builder.addEnvs(KeyValue.newBuilder()
                    .setKey(env.name())
                    .setValue(ByteString.copyFrom(env.value(), StandardCharsets.UTF_8)));
        }
        for (var mount : config.mounts()) {
            builder.addMounts(Mount.newBuilder()
                    .setContainerPath(mount.containerPath())
                    .setHostPath(mount.hostPath())
                    .setReadonly(mount.readOnly()));
        }
        var resources = config.resources();
        builder.setLinux(LinuxContainerConfig.newBuilder()
                .setResources(LinuxContainerResources.newBuilder()
                        .setCpuPeriod(resources.cpuPeriodMicros())
                        .setCpuQuota(resources.cpuQuotaMicros())
                        .setCpuShares(resources.cpuShares())
                        .setMemoryLimitInBytes(resources.memoryLimitBytes()))
                .setSecurityContext(toCri(config.security())));
        return builder.build();
    }

    private static LinuxContainerSecurityContext toCri(ContainerSecurity security) {
        var builder = LinuxContainerSecurityContext.newBuilder()
                .setPrivileged(security.privileged())
                .setReadonlyRootfs(security.readOnlyRootFilesystem())
                // Each container its own PID namespace: CRI's zero value (POD) would share one across the pod.
                .setNamespaceOptions(NamespaceOption.newBuilder()
                        .setNetwork(NamespaceMode.POD)
                        .setPid(NamespaceMode.CONTAINER)
                        .setIpc(NamespaceMode.POD))
                .setCapabilities(Capability.newBuilder()
                        .addAllAddCapabilities(security.addCapabilities())
                        .addAllDropCapabilities(security.dropCapabilities()));
        if (security.runAsUser() != null) {
            builder.setRunAsUser(Int64Value.newBuilder().setValue(security.runAsUser()));
        }
        if (security.runAsGroup() != null) {
            builder.setRunAsGroup(Int64Value.newBuilder().setValue(security.runAsGroup()));
        }
        return builder.build();
    }

    static PodMetadata fromCri(PodSandboxMetadata metadata) {
        return new PodMetadata(metadata.getName(), metadata.getNamespace(), metadata.getUid(), metadata.getAttempt());
    }

    static SandboxState fromCri(dev.capstan.node.runtime.cri.v1.PodSandboxState state) {
        return state == dev.capstan.node.runtime.cri.v1.PodSandboxState.SANDBOX_READY
                ? SandboxState.READY
                : SandboxState.NOT_READY;
    }

    static ContainerState fromCri(dev.capstan.node.runtime.cri.v1.ContainerState state) {
        return switch (state) {
            case CONTAINER_CREATED -> ContainerState.CREATED;
            case CONTAINER_RUNNING -> ContainerState.RUNNING;
            case CONTAINER_EXITED -> ContainerState.EXITED;
            case CONTAINER_UNKNOWN, UNRECOGNIZED -> ContainerState.UNKNOWN;
        };
    }

    static PodSandbox fromCri(dev.capstan.node.runtime.cri.v1.PodSandbox sandbox) {
        return new PodSandbox(
                sandbox.getId(),
                fromCri(sandbox.getMetadata()),
                fromCri(sandbox.getState()),
                instant(sandbox.getCreatedAt()),
                sandbox.getLabelsMap(),
                sandbox.getAnnotationsMap());
    }

    static PodSandboxStatus fromCri(dev.capstan.node.runtime.cri.v1.PodSandboxStatus status) {
        return new PodSandboxStatus(
                status.getId(),
                fromCri(status.getMetadata()),
                fromCri(status.getState()),
                instant(status.getCreatedAt()),
                status.getNetwork().getIp(),
                status.getNetwork().getAdditionalIpsList().stream()
                        .map(PodIP::getIp)
                        .toList(),
                status.getLabelsMap(),
                status.getAnnotationsMap());
    }

    static Container fromCri(dev.capstan.node.runtime.cri.v1.Container container) {
        return new Container(
                container.getId(),
                container.getPodSandboxId(),
                new ContainerMetadata(
                        container.getMetadata().getName(),
                        container.getMetadata().getAttempt()),
                fromCri(container.getState()),
                container.getImage().getImage(),
                container.getImageRef(),
                instant(container.getCreatedAt()),
                container.getLabelsMap(),
                container.getAnnotationsMap());
    }

    static ContainerStatus fromCri(dev.capstan.node.runtime.cri.v1.ContainerStatus status) {
        return new ContainerStatus(
                status.getId(),
                new ContainerMetadata(
                        status.getMetadata().getName(), status.getMetadata().getAttempt()),
                fromCri(status.getState()),
                new ContainerStatus.Times(
                        instant(status.getCreatedAt()),
                        instant(status.getStartedAt()),
                        instant(status.getFinishedAt())),
                status.getExitCode(),
                status.getReason(),
                status.getMessage(),
                status.getImage().getImage(),
                status.getImageRef(),
                status.getLogPath(),
                status.getLabelsMap(),
                status.getAnnotationsMap());
    }

    static ImageInfo fromCri(dev.capstan.node.runtime.cri.v1.Image image) {
        return new ImageInfo(
                image.getId(),
                image.getRepoTagsList(),
                image.getRepoDigestsList(),
                image.getSize(),
                image.hasUid() ? java.util.OptionalLong.of(image.getUid().getValue()) : java.util.OptionalLong.empty(),
                image.getUsername());
    }

    static Map<String, String> labels(Map<String, String> selector) {
        return selector == null ? Map.of() : selector;
    }

    /** CRI times are nanoseconds since the epoch, 0 for "not yet". */
    static Instant instant(long epochNanos) {
        return epochNanos == 0 ? null : Instant.ofEpochSecond(0, epochNanos);
    }

    static ContainerStats fromCri(dev.capstan.node.runtime.cri.v1.ContainerStats stats) {
        var attributes = stats.getAttributes();
        return new ContainerStats(
                attributes.getId(),
                new ContainerMetadata(
                        attributes.getMetadata().getName(),
                        attributes.getMetadata().getAttempt()),
                attributes.getLabelsMap(),
                usage(stats.hasCpu() ? stats.getCpu() : null, stats.hasMemory() ? stats.getMemory() : null));
    }

    static PodSandboxStats fromCri(dev.capstan.node.runtime.cri.v1.PodSandboxStats stats) {
        var attributes = stats.getAttributes();
        var metadata = attributes.getMetadata();
        var linux = stats.getLinux();
        return new PodSandboxStats(
                attributes.getId(),
                new PodMetadata(metadata.getName(), metadata.getNamespace(), metadata.getUid(), metadata.getAttempt()),
                attributes.getLabelsMap(),
                usage(linux.hasCpu() ? linux.getCpu() : null, linux.hasMemory() ? linux.getMemory() : null));
    }

    /** CRI's optional values are wrapper messages: an unset one means "not measured", not zero. */
    private static ResourceUsage usage(CpuUsage cpu, MemoryUsage memory) {
        long nanos =
                cpu != null && cpu.getTimestamp() > 0 ? cpu.getTimestamp() : memory != null ? memory.getTimestamp() : 0;
        return new ResourceUsage(
                Instant.ofEpochSecond(0, nanos),
                cpu != null && cpu.hasUsageCoreNanoSeconds()
                        ? value(cpu.getUsageCoreNanoSeconds())
                        : OptionalLong.empty(),
                cpu != null && cpu.hasUsageNanoCores() ? value(cpu.getUsageNanoCores()) : OptionalLong.empty(),
                memory != null && memory.hasWorkingSetBytes()
                        ? value(memory.getWorkingSetBytes())
                        : OptionalLong.empty());
    }

    private static OptionalLong value(UInt64Value value) {
        return OptionalLong.of(value.getValue());
    }
}
