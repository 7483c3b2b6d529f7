package dev.capstan.node.pods;

import dev.capstan.client.ApiClient;
import dev.capstan.client.ApiError;
import dev.capstan.client.Kinds;
import dev.capstan.model.pod.EnvExpansion;
import dev.capstan.model.quantity.Quantity;
import dev.capstan.node.runtime.Mount;
import dev.capstan.node.volumes.AtomicWriter;
import dev.capstan.node.volumes.AtomicWriter.FileProjection;
import dev.capstan.node.volumes.HostPaths;
import dev.capstan.node.volumes.Mounter;
import dev.capstan.node.volumes.VolumeException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The pod's volumes on this node (upstream's volume manager and the emptyDir, configMap, secret, downwardAPI, projected
 * and hostPath plugins), each under {@code <root>/<pod uid>/volumes/kubernetes.io~<plugin>/<name>} as the kubelet lays
 * them out. Every pod sync sets them up again: files are rewritten (atomically, and only when they changed), so a
 * ConfigMap or Secret update reaches running containers within one resync. Memory-backed emptyDirs and secrets are
 * tmpfs mounts, never on disk; everything is unmounted and removed when the pod goes.
 */
public final class PodVolumes {
    private static final Logger LOG = Logger.getLogger(PodVolumes.class);
    private static final int DEFAULT_MODE = 0644;

    /** The volumes' host paths, and why some could not be (re)built: volume name → upstream's error. */
    record SetUp(Map<String, Path> paths, Map<String, String> failures, boolean ready) {}

    private final ApiClient api;
    private final Path root;
    private final ContainerSpecs.Allocatable allocatable;
    private final Mounter mounter;
    private final Clock clock;
    private final Duration resync;

    /**
     * @param resync how often a pod with configMap, secret or projected volumes is synced again to refresh them
     *     (upstream --sync-frequency)
     */
    public PodVolumes(
            ApiClient api,
            Path root,
            ContainerSpecs.Allocatable allocatable,
            Mounter mounter,
            Clock clock,
            Duration resync) {
        this.api = api;
        this.root = root;
        this.allocatable = allocatable;
        this.mounter = mounter;
        this.clock = clock;
        this.resync = resync;
    }

    /**
     * Sets up every volume of the pod. A volume that fails blocks the pod's containers only while it has never been set
     * up (upstream waits for attach and mount); a refresh that fails leaves the previous files in place.
     */
    SetUp setUp(Pod pod) {
        Map<String, Path> paths = new LinkedHashMap<>();
        Map<String, String> failures = new LinkedHashMap<>();
        boolean ready = true;
        for (Volume v : list(pod.getSpec().getVolumes())) {
            Path dir = null;
            boolean written = false;
            try {
                dir = dir(pod, v);
                // Files written once before: a failed refresh keeps them and does not hold the pod.
                written = Files.isSymbolicLink(dir.resolve(AtomicWriter.DATA));
                setUp(pod, v, dir);
                paths.put(v.getName(), dir);
            } catch (VolumeException e) {
                failures.put(v.getName(), e.getMessage());
                if (written) {
                    paths.put(v.getName(), dir);
                } else {
                    ready = false;
                }
            }
        }
        return new SetUp(paths, failures, ready);
    }

    /** Whether the pod has files from ConfigMaps or Secrets that a resync refreshes. */
    boolean refreshes(Pod pod) {
        return list(pod.getSpec().getVolumes()).stream()
                .anyMatch(v -> v.getConfigMap() != null || v.getSecret() != null || v.getProjected() != null);
    }

    Duration resync() {
        return resync;
    }

    /** The volume's path on the host: the hostPath itself, else its directory under the pod's. */
    private Path dir(Pod pod, Volume v) {
        if (v.getHostPath() != null) {
            return Path.of(v.getHostPath().getPath());
        }
        if (v.getPersistentVolumeClaim() != null) {
            return claimedPath(pod, v.getPersistentVolumeClaim().getClaimName());
        }
        String plugin = v.getEmptyDir() != null
                ? "empty-dir"
                : v.getConfigMap() != null
                        ? "configmap"
                        : v.getSecret() != null
                                ? "secret"
                                : v.getDownwardAPI() != null
                                        ? "downward-api"
                                        : v.getProjected() != null ? "projected" : "";
        if (plugin.isEmpty()) {
            throw new VolumeException("volume " + v.getName() + " has a type this node does not support");
        }
        return podDir(pod.getMetadata().getUid())
                .resolve("volumes/kubernetes.io~" + plugin)
                .resolve(v.getName());
    }

    private void setUp(Pod pod, Volume v, Path dir) {
        if (v.getHostPath() != null) {
            HostPaths.check(dir, v.getHostPath().getType());
            return;
        }
        if (v.getPersistentVolumeClaim() != null) {
            if (!Files.isDirectory(dir)) {
                throw new VolumeException("MountVolume.NewMounter initialization failed: path \"" + dir
                        + "\" does not exist or is not a directory");
            }
            return;
        }
        boolean memory = v.getSecret() != null
                || v.getEmptyDir() != null && "Memory".equals(v.getEmptyDir().getMedium());
        makeDir(dir);
        if (memory && mounter.mountsUnder(dir).stream().noneMatch(dir::equals)) {
            var sizeLimit = v.getEmptyDir() == null ? null : v.getEmptyDir().getSizeLimit();
            mounter.mountTmpfs(
                    dir,
                    memorySize(
                            pod,
                            sizeLimit == null
                                    ? 0
                                    : Quantity.parse(sizeLimit.toString()).value()));
        }
        if (v.getEmptyDir() != null) {
            return;
        }
        Map<String, FileProjection> payload = new TreeMap<>();
        String ns = pod.getMetadata().getNamespace();
        if (v.getConfigMap() != null) {
            var s = v.getConfigMap();
            configMap(ns, s.getName(), s.getItems(), mode(s.getDefaultMode()), s.getOptional(), payload);
        } else if (v.getSecret() != null) {
            var s = v.getSecret();
            secret(ns, s.getSecretName(), s.getItems(), mode(s.getDefaultMode()), s.getOptional(), payload);
        } else if (v.getDownwardAPI() != null) {
            downwardApi(
                    pod, v.getDownwardAPI().getItems(), mode(v.getDownwardAPI().getDefaultMode()), payload);
        } else {
            int mode = mode(v.getProjected().getDefaultMode());
            for (VolumeProjection p : list(v.getProjected().getSources())) {
                if (p.getConfigMap() != null) {
                    var s = p.getConfigMap();
                    configMap(ns, s.getName(), s.getItems(), mode, s.getOptional(), payload);
                } else if (p.getSecret() != null) {
                    var s = p.getSecret();
                    secret(ns, s.getName(), s.getItems(), mode, s.getOptional(), payload);
                } else if (p.getDownwardAPI() != null) {
                    downwardApi(pod, p.getDownwardAPI().getItems(), mode, payload);
                } else {
                    LOG.debugf("volume %s: a projected %s source is not supported, skipped", v.getName(), p);
                }
            }
        }
        if (new AtomicWriter(dir, clock).write(payload)) {
            LOG.debugf("volume %s of pod %s updated", v.getName(), KubeletSyncer.formatPod(pod));
        }
    }

    /**
     * The directory of the local (or hostPath) PersistentVolume bound to the claim, with upstream's errors
     * (desired_state_of_world_populator getPVCExtractPV) while the claim is not bound.
     */
    private Path claimedPath(Pod pod, String claimName) {
        String ns = pod.getMetadata().getNamespace();
        PersistentVolumeClaim claim;
        try {
            claim = api.resources(Kinds.PERSISTENT_VOLUME_CLAIMS)
                    .get(ns, claimName)
                    .orElseThrow(() -> new VolumeException("error processing PVC " + ns + "/" + claimName
                            + ": persistentvolumeclaim \"" + claimName + "\" not found"));
        } catch (ApiError e) {
            throw new VolumeException("error processing PVC " + ns + "/" + claimName + ": " + e.getMessage());
        }
        if (claim.getMetadata().getDeletionTimestamp() != null) {
            throw new VolumeException("can't start pod because PVC " + ns + "/" + claimName + " is being deleted");
        }
        String phase = claim.getStatus() == null
                ? ""
                : Objects.requireNonNullElse(claim.getStatus().getPhase(), "");
        String volumeName = Objects.requireNonNullElse(claim.getSpec().getVolumeName(), "");
        if (!phase.equals("Bound") || volumeName.isEmpty()) {
            throw new VolumeException("PVC " + ns + "/" + claimName + " has non-bound phase (\"" + phase
                    + "\") or empty pvc.Spec.VolumeName (\"" + volumeName + "\")");
        }
        PersistentVolume pv = api.resources(Kinds.PERSISTENT_VOLUMES)
                .get("", volumeName)
                .orElseThrow(() -> new VolumeException("failed to fetch PV " + volumeName
                        + " from API server: persistentvolumes \"" + volumeName + "\" not found"));
        if (pv.getSpec().getLocal() != null) {
            return Path.of(pv.getSpec().getLocal().getPath());
        }
        if (pv.getSpec().getHostPath() != null) {
            return Path.of(pv.getSpec().getHostPath().getPath());
        }
        throw new VolumeException(
                "PV " + volumeName + " is neither a local nor a hostPath volume: this node mounts" + " only those");
    }

    /** A memory volume's size: its sizeLimit, at most the pod's memory limit, else the node's allocatable memory. */
    private long memorySize(Pod pod, long sizeLimit) {
        long podLimit = 0;
        for (Container c : list(pod.getSpec().getContainers())) {
            long limit = ContainerSpecs.resources(c).memoryLimitBytes();
            if (limit == 0) {
                podLimit = 0;
                break;
            }
            podLimit += limit;
        }
        long cap = podLimit > 0 ? podLimit : allocatable.memoryBytes();
        return sizeLimit > 0 && (cap <= 0 || sizeLimit < cap) ? sizeLimit : Math.max(cap, 0);
    }

    private void configMap(
            String ns,
            String name,
            List<KeyToPath> items,
            int mode,
            Boolean optional,
            Map<String, FileProjection> out) {
        ConfigMap cm = api.resources(Kinds.CONFIG_MAPS).get(ns, name).orElse(null);
        if (cm == null) {
            if (Boolean.TRUE.equals(optional)) {
                return;
            }
            throw new VolumeException("configmap \"" + name + "\" not found");
        }
        Map<String, byte[]> data = new TreeMap<>();
        Objects.requireNonNullElse(cm.getData(), Map.<String, String>of())
                .forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
        Objects.requireNonNullElse(cm.getBinaryData(), Map.<String, String>of())
                .forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
        project(data, items, mode, optional, "configmap references non-existent config key: ", out);
    }

    private void secret(
            String ns,
            String name,
            List<KeyToPath> items,
            int mode,
            Boolean optional,
            Map<String, FileProjection> out) {
        Secret secret = api.resources(Kinds.SECRETS).get(ns, name).orElse(null);
        if (secret == null) {
            if (Boolean.TRUE.equals(optional)) {
                return;
            }
            throw new VolumeException("secret \"" + name + "\" not found");
        }
        Map<String, byte[]> data = new TreeMap<>();
        Objects.requireNonNullElse(secret.getData(), Map.<String, String>of())
                .forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
        project(data, items, mode, optional, "references non-existent secret key: ", out);
    }

    /** Every key as a file of its name, or only the items, each at its path with its mode (upstream MakePayload). */
    private static void project(
            Map<String, byte[]> data,
            List<KeyToPath> items,
            int mode,
            Boolean optional,
            String missing,
            Map<String, FileProjection> out) {
        if (items == null || items.isEmpty()) {
            data.forEach((k, v) -> out.put(k, new FileProjection(v, mode)));
            return;
        }
        for (KeyToPath item : items) {
            byte[] value = data.get(item.getKey());
            if (value == null) {
                if (Boolean.TRUE.equals(optional)) {
                    continue;
                }
                throw new VolumeException(missing + item.getKey());
            }
            out.put(item.getPath(), new FileProjection(value, item.getMode() != null ? item.getMode() : mode));
        }
    }

    private void downwardApi(Pod pod, List<DownwardAPIVolumeFile> items, int mode, Map<String, FileProjection> out) {
        for (DownwardAPIVolumeFile item : list(items)) {
            String value;
            if (item.getFieldRef() != null) {
                value = ContainerSpecs.volumeFieldRef(pod, item.getFieldRef().getFieldPath());
            } else if (item.getResourceFieldRef() != null) {
                var ref = item.getResourceFieldRef();
                Container c = Stream.concat(
                                list(pod.getSpec().getContainers()).stream(),
                                list(pod.getSpec().getInitContainers()).stream())
                        .filter(x -> x.getName().equals(ref.getContainerName()))
                        .findFirst()
                        .orElseThrow(() -> new VolumeException("cannot find container " + ref.getContainerName()
                                + " in pod " + pod.getMetadata().getName()));
                value = ContainerSpecs.resourceFieldRef(c, ref, allocatable);
            } else {
                continue;
            }
            out.put(
                    item.getPath(),
                    new FileProjection(
                            value.getBytes(StandardCharsets.UTF_8), item.getMode() != null ? item.getMode() : mode));
        }
    }

    /**
     * The container's volumeMounts as CRI mounts (upstream makeMounts): subPath (or subPathExpr expanded with the
     * container's env) must stay inside its volume and is made when missing; configMap, secret, downwardAPI and
     * projected volumes are always read-only.
     */
    static List<Mount> mounts(Pod pod, Container c, Map<String, Path> volumes, Map<String, String> env) {
        List<Mount> mounts = new ArrayList<>();
        for (VolumeMount vm : list(c.getVolumeMounts())) {
            Path path = volumes.get(vm.getName());
            Volume volume = list(pod.getSpec().getVolumes()).stream()
                    .filter(v -> v.getName().equals(vm.getName()))
                    .findFirst()
                    .orElse(null);
            if (path == null || volume == null) {
                throw new ContainerSpecs.ConfigError(
                        "cannot find volume \"" + vm.getName() + "\" to mount into container \"" + c.getName() + "\"");
            }
            String sub = vm.getSubPathExpr() != null && !vm.getSubPathExpr().isEmpty()
                    ? EnvExpansion.expand(vm.getSubPathExpr(), env)
                    : Objects.requireNonNullElse(vm.getSubPath(), "");
            if (!sub.isEmpty()) {
                path = subPath(path, sub, vm, c);
            }
            boolean projected = volume.getConfigMap() != null
                    || volume.getSecret() != null
                    || volume.getDownwardAPI() != null
                    || volume.getProjected() != null
                    || volume.getPersistentVolumeClaim() != null
                            && Boolean.TRUE.equals(
                                    volume.getPersistentVolumeClaim().getReadOnly());
            mounts.add(
                    new Mount(vm.getMountPath(), path.toString(), Boolean.TRUE.equals(vm.getReadOnly()) || projected));
        }
        return mounts;
    }

    /** The subPath inside the volume, made (with the volume's mode) when missing, never escaping it through links. */
    private static Path subPath(Path volume, String sub, VolumeMount vm, Container c) {
        String why = "failed to prepare subPath for volumeMount \"" + vm.getName() + "\" of container \"" + c.getName()
                + "\"";
        if (sub.startsWith("/") || Stream.of(sub.split("/")).anyMatch(".."::equals)) {
            throw new ContainerSpecs.ConfigError(why + ": " + sub + " must be a relative path without '..'");
        }
        try {
            Path host = volume.resolve(sub);
            if (!Files.exists(host, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(host);
                Files.setPosixFilePermissions(host, Files.getPosixFilePermissions(volume));
            }
            Path real = host.toRealPath();
            if (!real.startsWith(volume.toRealPath())) {
                throw new ContainerSpecs.ConfigError(why + ": " + sub + " leads outside the volume");
            }
            return real;
        } catch (IOException e) {
            throw new ContainerSpecs.ConfigError(why + ": " + e.getMessage());
        }
    }

    /** Unmounts and removes what the pod had on this node. */
    void tearDown(String uid) {
        Path dir = podDir(uid);
        List<Path> mounts = new ArrayList<>(mounter.mountsUnder(dir));
        mounts.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        for (Path m : mounts) {
            mounter.unmount(m);
        }
        try {
            if (Files.exists(dir)) {
                try (Stream<Path> walk = Files.walk(dir)) {
                    for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        } catch (IOException e) {
            throw new VolumeException("cannot remove " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Tears down the directories of pods not in {@code keep} (all, when empty): pods that went while the agent was away. */
    void tearDownAllBut(Set<String> keep) {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> pods = Files.list(root)) {
            for (Path pod : pods.toList()) {
                String uid = pod.getFileName().toString();
                if (!keep.contains(uid)) {
                    LOG.infof("removing the volumes of pod %s, which is no longer bound here", uid);
                    tearDown(uid);
                }
            }
        } catch (IOException e) {
            throw new VolumeException("cannot list " + root + ": " + e.getMessage(), e);
        }
    }

    Path podDir(String uid) {
        return root.resolve(uid);
    }

    private static void makeDir(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                // upstream's emptyDir (and the wrappers of configMap, secret …) are world-writable: 0777
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
            }
        } catch (IOException e) {
            throw new VolumeException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    private static int mode(Integer mode) {
        return mode == null ? DEFAULT_MODE : mode;
    }

    private static <T> List<T> list(List<T> values) {
        return values == null ? List.of() : values;
    }
}
