package dev.capstan.node.pods;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.client.Kinds;
import dev.capstan.node.probes.ProbeManager;
import dev.capstan.node.runtime.Mount;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Volumes through the pod sync: set up before the sandbox, mounted into containers, refreshed, torn down. */
class KubeletVolumesTest extends SyncerTestBase {
    @Override
    KubeletSyncer syncer() {
        return syncer(ProbeManager.manual((t, p, d) -> null, events, clock, uid -> {}), Duration.ofSeconds(5), false);
    }

    private Pod create(List<Volume> volumes, ContainerBuilder container) {
        return api.resources(Kinds.PODS)
                .create(new PodBuilder()
                        .withNewMetadata()
                        .withName("web")
                        .withNamespace("default")
                        .addToLabels("app", "web")
                        .addToLabels("tier", "front \"end\"")
                        .endMetadata()
                        .withNewSpec()
                        .withNodeName("node-1")
                        .withVolumes(volumes)
                        .addToContainers(
                                container.withName("app").withImage(IMAGE).build())
                        .endSpec()
                        .build());
    }

    private Path volumeDir(Pod pod, String plugin, String name) {
        return state.resolve("kubelet/pods")
                .resolve(pod.getMetadata().getUid())
                .resolve("volumes/kubernetes.io~" + plugin)
                .resolve(name);
    }

    private ConfigMap configMap(String color) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName("settings")
                .withNamespace("default")
                .endMetadata()
                .withData(Map.of("color", color, "size", "L"))
                .build();
    }

    private static List<Volume> allKinds() {
        return List.of(
                new VolumeBuilder()
                        .withName("config")
                        .withNewConfigMap()
                        .withName("settings")
                        .addNewItem("color", 0600, "colors/current")
                        .endConfigMap()
                        .build(),
                new VolumeBuilder()
                        .withName("token")
                        .withNewSecret()
                        .withSecretName("creds")
                        .endSecret()
                        .build(),
                new VolumeBuilder()
                        .withName("info")
                        .withNewDownwardAPI()
                        .addNewItem()
                        .withPath("labels")
                        .withNewFieldRef()
                        .withFieldPath("metadata.labels")
                        .endFieldRef()
                        .endItem()
                        .addNewItem()
                        .withPath("mem")
                        .withNewResourceFieldRef()
                        .withContainerName("app")
                        .withResource("limits.memory")
                        .withDivisor(new Quantity("1Mi"))
                        .endResourceFieldRef()
                        .endItem()
                        .endDownwardAPI()
                        .build(),
                new VolumeBuilder()
                        .withName("scratch")
                        .withNewEmptyDir()
                        .withMedium("Memory")
                        .withSizeLimit(new Quantity("16Mi"))
                        .endEmptyDir()
                        .build());
    }

    @Test
    void volumesAreSetUpAndMountedIntoTheContainer() throws IOException {
        api.resources(Kinds.CONFIG_MAPS).create(configMap("blue"));
        api.resources(Kinds.SECRETS)
                .create(new SecretBuilder()
                        .withNewMetadata()
                        .withName("creds")
                        .withNamespace("default")
                        .endMetadata()
                        .withData(Map.of("token", "czNjcmV0"))
                        .build());
        Pod pod = create(
                allKinds(),
                new ContainerBuilder()
                        .withNewResources()
                        .addToLimits("memory", new Quantity("64Mi"))
                        .endResources()
                        .addNewVolumeMount()
                        .withName("config")
                        .withMountPath("/etc/config")
                        .endVolumeMount()
                        .addNewVolumeMount()
                        .withName("scratch")
                        .withMountPath("/data")
                        .withSubPath("cache")
                        .endVolumeMount()
                        .addNewVolumeMount()
                        .withName("token")
                        .withMountPath("/var/run/token")
                        .endVolumeMount());
        KubeletSyncer syncer = syncer();
        syncer.syncPod(pod);

        Path config = volumeDir(pod, "configmap", "config");
        assertThat(Files.readString(config.resolve("colors/current"))).isEqualTo("blue");
        assertThat(config.resolve("size")).as("only the items").doesNotExist();
        Path secret = volumeDir(pod, "secret", "token");
        assertThat(Files.readString(secret.resolve("token"))).isEqualTo("s3cret");
        Path info = volumeDir(pod, "downward-api", "info");
        assertThat(Files.readString(info.resolve("labels"))).isEqualTo("app=\"web\"\ntier=\"front \\\"end\\\"\"");
        assertThat(Files.readString(info.resolve("mem"))).isEqualTo("64");
        Path scratch = volumeDir(pod, "empty-dir", "scratch");
        assertThat(mounter.mounts())
                .as("secrets and memory emptyDirs are tmpfs; the pod's memory limit caps them")
                .containsEntry(scratch, 16L << 20)
                .containsEntry(secret, 64L << 20);
        assertThat(scratch.resolve("cache")).as("the subPath is made").isDirectory();

        String id = syncer.inspect(pod.getMetadata().getUid()).latest("app").id();
        assertThat(runtime.config(id).mounts())
                .containsExactly(
                        new Mount("/etc/config", config.toString(), true),
                        new Mount("/data", scratch.resolve("cache").toRealPath().toString(), false),
                        new Mount("/var/run/token", secret.toString(), true));
    }

    @Test
    void aConfigMapUpdateIsWrittenOnTheNextSyncWhichComesWithinTheResync() throws IOException {
        api.resources(Kinds.CONFIG_MAPS).create(configMap("blue"));
        Pod pod = create(
                List.of(new VolumeBuilder()
                        .withName("config")
                        .withNewConfigMap()
                        .withName("settings")
                        .endConfigMap()
                        .build()),
                new ContainerBuilder());
        KubeletSyncer syncer = syncer();
        assertThat(syncer.syncPod(pod)).isEqualTo(Duration.ofSeconds(5));
        Path config = volumeDir(pod, "configmap", "config");
        assertThat(Files.readString(config.resolve("color"))).isEqualTo("blue");

        api.resources(Kinds.CONFIG_MAPS)
                .update(new ConfigMapBuilder(api.resources(Kinds.CONFIG_MAPS)
                                .get("default", "settings")
                                .orElseThrow())
                        .withData(Map.of("color", "red"))
                        .build());
        syncer.syncPod(current(pod));
        assertThat(Files.readString(config.resolve("color"))).isEqualTo("red");
        assertThat(config.resolve("size")).doesNotExist();
    }

    @Test
    void aMissingConfigMapHoldsThePodInContainerCreatingWithFailedMount() {
        Pod pod = create(
                List.of(new VolumeBuilder()
                        .withName("config")
                        .withNewConfigMap()
                        .withName("settings")
                        .endConfigMap()
                        .build()),
                new ContainerBuilder());
        KubeletSyncer syncer = syncer();
        assertThat(syncer.syncPod(pod)).isEqualTo(Duration.ofSeconds(10));
        assertThat(runtime.listPodSandboxes(Map.of()))
                .as("no sandbox before the volumes")
                .isEmpty();
        assertThat(events.strings())
                .containsExactly(
                        "Warning FailedMount MountVolume.SetUp failed for volume \"config\" : configmap \"settings\" not found");
        var waiting = current(pod)
                .getStatus()
                .getContainerStatuses()
                .get(0)
                .getState()
                .getWaiting();
        assertThat(waiting.getReason()).isEqualTo("ContainerCreating");

        api.resources(Kinds.CONFIG_MAPS).create(configMap("blue"));
        syncer.syncPod(current(pod));
        assertThat(runtime.listPodSandboxes(Map.of())).hasSize(1);
    }

    @Test
    void aClaimMountsTheDirectoryOfItsBoundLocalVolumeOnceBound() throws IOException {
        Path disk = Files.createDirectories(state.resolve("disks/vol1"));
        api.resources(Kinds.PERSISTENT_VOLUMES)
                .create(new io.fabric8.kubernetes.api.model.PersistentVolumeBuilder()
                        .withNewMetadata()
                        .withName("vol1")
                        .endMetadata()
                        .withNewSpec()
                        .withNewLocal()
                        .withPath(disk.toString())
                        .endLocal()
                        .endSpec()
                        .build());
        var claim = api.resources(Kinds.PERSISTENT_VOLUME_CLAIMS)
                .create(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
                        .withNewMetadata()
                        .withName("data")
                        .withNamespace("default")
                        .endMetadata()
                        .withNewSpec()
                        .endSpec()
                        .build());
        Pod pod = create(
                List.of(new VolumeBuilder()
                        .withName("data")
                        .withNewPersistentVolumeClaim()
                        .withClaimName("data")
                        .endPersistentVolumeClaim()
                        .build()),
                new ContainerBuilder()
                        .addNewVolumeMount()
                        .withName("data")
                        .withMountPath("/data")
                        .endVolumeMount());
        KubeletSyncer syncer = syncer();
        syncer.syncPod(pod);
        assertThat(runtime.listPodSandboxes(Map.of()))
                .as("an unbound claim holds the pod")
                .isEmpty();
        assertThat(events.strings())
                .containsExactly("Warning FailedMount MountVolume.SetUp failed for volume \"data\" : PVC default/data"
                        + " has non-bound phase (\"\") or empty pvc.Spec.VolumeName (\"\")");

        claim.getSpec().setVolumeName("vol1");
        claim = api.resources(Kinds.PERSISTENT_VOLUME_CLAIMS).update(claim);
        claim.setStatus(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatusBuilder()
                .withPhase("Bound")
                .build());
        api.resources(Kinds.PERSISTENT_VOLUME_CLAIMS).updateStatus(claim);
        syncer.syncPod(current(pod));
        String id = syncer.inspect(pod.getMetadata().getUid()).latest("app").id();
        assertThat(runtime.config(id).mounts()).containsExactly(new Mount("/data", disk.toString(), false));
        syncer.syncTerminatingPod(current(pod), 1);
        syncer.syncTerminatedPod(current(pod));
        assertThat(disk).as("the volume's data is not the pod's to remove").isDirectory();
    }

    @Test
    void anOptionalMissingConfigMapIsAnEmptyVolume() throws IOException {
        Pod pod = create(
                List.of(new VolumeBuilder()
                        .withName("config")
                        .withNewConfigMap()
                        .withName("settings")
                        .withOptional(true)
                        .endConfigMap()
                        .build()),
                new ContainerBuilder());
        syncer().syncPod(pod);
        assertThat(Files.isSymbolicLink(volumeDir(pod, "configmap", "config").resolve("..data")))
                .isTrue();
        assertThat(runtime.listPodSandboxes(Map.of())).hasSize(1);
    }

    @Test
    void aSubPathMayNotLeaveItsVolume() {
        Pod pod = create(
                List.of(new VolumeBuilder()
                        .withName("scratch")
                        .withNewEmptyDir()
                        .endEmptyDir()
                        .build()),
                new ContainerBuilder()
                        .addNewVolumeMount()
                        .withName("scratch")
                        .withMountPath("/data")
                        .withSubPath("../../etc")
                        .endVolumeMount());
        syncer().syncPod(pod);
        var waiting = current(pod)
                .getStatus()
                .getContainerStatuses()
                .get(0)
                .getState()
                .getWaiting();
        assertThat(waiting.getReason()).isEqualTo("CreateContainerConfigError");
        assertThat(waiting.getMessage())
                .startsWith("failed to prepare subPath for volumeMount \"scratch\" of container \"app\"");
    }

    @Test
    void theVolumesGoWithThePod() {
        Pod pod = create(
                List.of(new VolumeBuilder()
                        .withName("scratch")
                        .withNewEmptyDir()
                        .withMedium("Memory")
                        .endEmptyDir()
                        .build()),
                new ContainerBuilder());
        KubeletSyncer syncer = syncer();
        syncer.syncPod(pod);
        Path scratch = volumeDir(pod, "empty-dir", "scratch");
        assertThat(mounter.mounts()).containsEntry(scratch, 4L << 30);
        syncer.syncTerminatingPod(current(pod), 0);
        syncer.syncTerminatedPod(current(pod));
        assertThat(mounter.mounts()).isEmpty();
        assertThat(mounter.unmounted()).containsExactly(scratch);
        assertThat(state.resolve("kubelet/pods").resolve(pod.getMetadata().getUid()))
                .doesNotExist();
    }
}
