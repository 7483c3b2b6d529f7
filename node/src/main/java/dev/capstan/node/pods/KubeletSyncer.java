package dev.capstan.node.pods;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.client.ApiClient;
import dev.capstan.client.ApiError;
import dev.capstan.client.DeleteOptions;
import dev.capstan.client.Kinds;
import dev.capstan.client.PatchType;
import dev.capstan.client.events.EventRecorder;
import dev.capstan.model.files.FileTrees;
import dev.capstan.model.json.KubeJson;
import dev.capstan.model.pod.Sidecars;
import dev.capstan.node.probes.ActionProber;
import dev.capstan.node.probes.ProbeManager;
import dev.capstan.node.runtime.ContainerRuntime;
import dev.capstan.node.runtime.ContainerRuntimeException;
import dev.capstan.node.runtime.ContainerState;
import dev.capstan.node.runtime.ContainerStatus;
import dev.capstan.node.runtime.PodSandbox;
import dev.capstan.node.runtime.PodSandboxConfig;
import dev.capstan.node.runtime.PodSandboxStatus;
import dev.capstan.node.runtime.SandboxState;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The kubelet's pod sync on a {@link ContainerRuntime} (upstream kuberuntime_manager.go SyncPod and KillPod): a
 * sandbox, then the init containers one by one in order, then the containers; exited containers restart under the pod's
 * restartPolicy with the CrashLoopBackOff back-off; a container that failed its liveness or startup probe is killed and
 * started again at once; images are looked up before any pull. The pod's status is written after each pass, only when
 * it changed.
 */
final class KubeletSyncer implements PodSyncer {
    private static final Logger LOG = Logger.getLogger(KubeletSyncer.class);
    private static final Duration NETWORK_WAIT = Duration.ofSeconds(1);
    private static final Duration RETRY_WAITING = Duration.ofSeconds(10);
    /** Upstream's minimumGracePeriodInSeconds for a container the kubelet kills. */
    private static final long MIN_KILL_GRACE_SECONDS = 2;

    private final ContainerRuntime runtime;
    private final ApiClient api;
    private final ContainerSpecs specs;
    private final SandboxSpecs sandboxes;
    private final NodeContext node;
    private final Clock clock;
    private final ProbeManager probes;
    private final PodVolumes volumes;
    private final EventRecorder events;
    private final BackOff restarts;
    private final ImagePuller images;
    private final LifecycleHooks hooks;
    /** Why each pod's containers wait, from the last pass: the status shows it until the container runs. */
    private final Map<String, Map<String, Waiting>> waits = new ConcurrentHashMap<>();
    /** The host path of each pod's volumes, from its last set-up: what new containers mount. */
    private final Map<String, Map<String, Path>> mounted = new ConcurrentHashMap<>();

    KubeletSyncer(
            ContainerRuntime runtime,
            ApiClient api,
            NodeContext node,
            ProbeManager probes,
            PodVolumes volumes,
            EventRecorder events,
            Clock clock) {
        this.runtime = runtime;
        this.api = api;
        this.specs = new ContainerSpecs(api);
        this.sandboxes = new SandboxSpecs(node);
        this.node = node;
        this.probes = probes;
        this.volumes = volumes;
        this.events = events;
        this.clock = clock;
        this.restarts = new BackOff(clock);
        this.images = new ImagePuller(runtime, events, clock);
        this.hooks = new LifecycleHooks(new ActionProber(runtime), events, clock);
    }

    @Override
    public Duration syncPod(Pod pod) {
        String uid = pod.getMetadata().getUid();
        if (!node.networkReady().getAsBoolean()) {
            writeStatus(pod, PodRuntimeState.NONE, Map.of(), false);
            return NETWORK_WAIT;
        }
        // Volumes first, as upstream waits for them before it makes the sandbox.
        PodVolumes.SetUp setUp = volumes.setUp(pod);
        setUp.failures()
                .forEach((volume, error) -> events.event(
                        pod,
                        EventRecorder.WARNING,
                        "FailedMount",
                        "MountVolume.SetUp failed for volume \"" + volume + "\" : " + error));
        if (!setUp.ready()) {
            writeStatus(pod, inspect(uid), Map.of(), false);
            return RETRY_WAITING;
        }
        mounted.put(uid, setUp.paths());
        PodRuntimeState rt = inspect(uid);
        PodSandboxConfig sandboxConfig;
        if (rt.sandbox() == null) {
            int attempt = removeDeadSandboxes(uid);
            sandboxConfig = sandboxes.config(pod, attempt);
            runtime.runPodSandbox(sandboxConfig);
            rt = inspect(uid);
        } else {
            sandboxConfig = sandboxes.config(pod, rt.sandbox().metadata().attempt());
        }
        String sandboxId = rt.sandbox().id();
        Map<String, Waiting> podWaits = new HashMap<>();
        Duration next = null;
        String restartPolicy = Objects.requireNonNullElse(pod.getSpec().getRestartPolicy(), "Always");

        boolean initialized = true;
        for (Container c : list(pod.getSpec().getInitContainers())) {
            ContainerStatus s = rt.latest(c.getName());
            if (Sidecars.isSidecar(c)) {
                // A sidecar lets the next init container start once it runs and its startup probe passed.
                if (s != null
                        && s.state() == ContainerState.RUNNING
                        && probes.started(uid, c.getName(), s.id())
                        && !probes.livenessFailed(s.id())) {
                    continue;
                }
                initialized = false;
                next = earliest(next, keepRunning(pod, c, s, sandboxId, sandboxConfig, rt, podWaits));
                break;
            }
            if (s != null && s.state() == ContainerState.EXITED && s.exitCode() == 0) {
                continue;
            }
            initialized = false;
            if (s == null) {
                start(pod, c, 0, sandboxId, sandboxConfig, rt, podWaits);
            } else if (s.state() == ContainerState.CREATED) {
                runtime.startContainer(s.id());
            } else if (s.state() == ContainerState.EXITED && PodStatusBuilder.willRestart(restartPolicy, s, true)) {
                next = earliest(next, restart(pod, c, s, sandboxId, sandboxConfig, rt, podWaits));
            }
            break;
        }
        if (initialized) {
            boolean mainsDone = true;
            for (Container c : list(pod.getSpec().getContainers())) {
                ContainerStatus s = rt.latest(c.getName());
                mainsDone &= s != null
                        && s.state() == ContainerState.EXITED
                        && !PodStatusBuilder.willRestart(restartPolicy, s, false);
            }
            List<Container> sidecars = list(pod.getSpec().getInitContainers()).stream()
                    .filter(Sidecars::isSidecar)
                    .toList();
            if (mainsDone && !list(pod.getSpec().getContainers()).isEmpty()) {
                // The pod's work is over: its sidecars go too, last started first (upstream 1.29+).
                stopSidecars(pod, sidecars, rt, PodWorkers.gracePeriodSeconds(pod));
            } else {
                for (Container c : sidecars) {
                    next = earliest(
                            next, keepRunning(pod, c, rt.latest(c.getName()), sandboxId, sandboxConfig, rt, podWaits));
                }
            }
            for (Container c : list(pod.getSpec().getContainers())) {
                ContainerStatus s = rt.latest(c.getName());
                if (s == null) {
                    start(pod, c, 0, sandboxId, sandboxConfig, rt, podWaits);
                } else if (s.state() == ContainerState.CREATED) {
                    runtime.startContainer(s.id());
                } else if (s.state() == ContainerState.EXITED
                        && PodStatusBuilder.willRestart(restartPolicy, s, false)) {
                    next = earliest(next, restart(pod, c, s, sandboxId, sandboxConfig, rt, podWaits));
                } else if (s.state() == ContainerState.RUNNING
                        && (probes.livenessFailed(s.id()) || probes.startupFailed(s.id()))) {
                    killForProbe(pod, c, s, restartPolicy, sandboxId, sandboxConfig, rt, podWaits);
                }
            }
        }
        waits.put(uid, podWaits);
        if (next == null && !podWaits.isEmpty()) {
            next = RETRY_WAITING; // a missing image, ConfigMap or Secret may appear: look again
        }
        if (volumes.refreshes(pod)) {
            next = earliest(next, volumes.resync()); // files from ConfigMaps and Secrets follow their sources
        }
        PodRuntimeState after = inspect(uid);
        probes.update(pod, after.podIp(), latest(after));
        writeStatus(pod, after, podWaits, false);
        return next;
    }

    @Override
    public void syncTerminatingPod(Pod pod, long gracePeriodSeconds) {
        String uid = pod.getMetadata().getUid();
        probes.stopLivenessAndStartup(uid); // no probe kills a container that is being stopped
        Duration grace = Duration.ofSeconds(Math.max(gracePeriodSeconds, 0));
        PodRuntimeState rt = inspect(uid);
        Instant deadline = clock.instant().plus(grace);
        List<Container> sidecars = list(pod.getSpec().getInitContainers()).stream()
                .filter(Sidecars::isSidecar)
                .toList();
        var sidecarNames = sidecars.stream().map(Container::getName).collect(java.util.stream.Collectors.toSet());
        // The other containers stop at once, each with the whole grace period (upstream's
        // killContainersWithSyncResult); sidecars after them, in reverse order, with what is left of it.
        List<Thread> stops = new ArrayList<>();
        for (List<ContainerStatus> attempts : rt.containers().values()) {
            for (ContainerStatus s : attempts) {
                if ((s.state() == ContainerState.RUNNING || s.state() == ContainerState.CREATED)
                        && !sidecarNames.contains(s.metadata().name())) {
                    stops.add(Thread.ofVirtual().start(() -> stop(pod, s, rt.podIp(), grace)));
                }
            }
        }
        for (Thread t : stops) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while stopping the containers of " + uid, e);
            }
        }
        long left = Math.max(0, Duration.between(clock.instant(), deadline).toSeconds());
        stopSidecars(pod, sidecars, rt, left);
        for (PodSandbox sandbox : runtime.listPodSandboxes(Map.of(ContainerSpecs.POD_UID, uid))) {
            runtime.stopPodSandbox(sandbox.id());
        }
        PodRuntimeState stopped = inspect(uid);
        writeStatus(pod, stopped, Map.of(), true);
    }

    @Override
    public void syncTerminatedPod(Pod pod) {
        String uid = pod.getMetadata().getUid();
        for (var c : runtime.listContainers(null, Map.of(ContainerSpecs.POD_UID, uid))) {
            runtime.removeContainer(c.id());
        }
        for (PodSandbox sandbox : runtime.listPodSandboxes(Map.of(ContainerSpecs.POD_UID, uid))) {
            runtime.stopPodSandbox(sandbox.id());
            runtime.removePodSandbox(sandbox.id());
        }
        deleteTree(sandboxes.logDirectory(pod));
        volumes.tearDown(uid);
        mounted.remove(uid);
        probes.removePod(uid);
        waits.remove(uid);
        restarts.forgetPrefix(uid + "/");
        images.forgetPod(uid);
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            // The status manager's final word: the pod's containers are gone, the API may forget it now.
            try {
                api.resources(Kinds.PODS)
                        .delete(
                                pod.getMetadata().getNamespace(),
                                pod.getMetadata().getName(),
                                DeleteOptions.preconditionUid(uid).withGracePeriod(0));
            } catch (ApiError e) {
                if (!e.isNotFound() && !e.isConflict()) {
                    throw e;
                }
            }
        }
    }

    /** The runtime's view of the pod: its newest ready sandbox and all of its containers with their statuses. */
    PodRuntimeState inspect(String uid) {
        PodSandbox ready = runtime.listPodSandboxes(Map.of(ContainerSpecs.POD_UID, uid)).stream()
                .filter(s -> s.state() == SandboxState.READY)
                .max(Comparator.comparing(PodSandbox::createdAt))
                .orElse(null);
        PodSandboxStatus sandbox = null;
        if (ready != null) {
            try {
                sandbox = runtime.podSandboxStatus(ready.id());
            } catch (ContainerRuntimeException e) {
                if (!e.isNotFound()) {
                    throw e;
                }
            }
        }
        List<ContainerStatus> statuses = new ArrayList<>();
        for (var c : runtime.listContainers(null, Map.of(ContainerSpecs.POD_UID, uid))) {
            if (sandbox != null && !c.podSandboxId().equals(sandbox.id())) {
                continue;
            }
            try {
                statuses.add(runtime.containerStatus(c.id()));
            } catch (ContainerRuntimeException e) {
                if (!e.isNotFound()) {
                    throw e;
                }
            }
        }
        return PodRuntimeState.of(sandbox, statuses);
    }

    /** Stops and removes the pod's dead sandboxes (and their containers); answers the next sandbox attempt. */
    private int removeDeadSandboxes(String uid) {
        int attempt = 0;
        for (PodSandbox old : runtime.listPodSandboxes(Map.of(ContainerSpecs.POD_UID, uid))) {
            attempt = Math.max(attempt, old.metadata().attempt() + 1);
            for (var c : runtime.listContainers(old.id(), Map.of())) {
                runtime.stopContainer(c.id(), Duration.ZERO);
            }
            runtime.stopPodSandbox(old.id());
            runtime.removePodSandbox(old.id());
        }
        return attempt;
    }

    /**
     * Keeps a sidecar running whatever the pod's restartPolicy: starts it, restarts it after its back-off when it
     * exited, kills and restarts it when its liveness or startup probe failed. Answers when to look again.
     */
    private Duration keepRunning(
            Pod pod,
            Container c,
            ContainerStatus s,
            String sandboxId,
            PodSandboxConfig sandboxConfig,
            PodRuntimeState rt,
            Map<String, Waiting> podWaits) {
        if (s == null) {
            start(pod, c, 0, sandboxId, sandboxConfig, rt, podWaits);
        } else if (s.state() == ContainerState.CREATED) {
            runtime.startContainer(s.id());
        } else if (s.state() == ContainerState.EXITED) {
            return restart(pod, c, s, sandboxId, sandboxConfig, rt, podWaits);
        } else if (probes.livenessFailed(s.id()) || probes.startupFailed(s.id())) {
            killForProbe(pod, c, s, "Always", sandboxId, sandboxConfig, rt, podWaits);
        }
        return null;
    }

    /** Stops the running sidecars, in reverse order, each with the grace period and its preStop hook. */
    private void stopSidecars(Pod pod, List<Container> sidecars, PodRuntimeState rt, long graceSeconds) {
        for (Container c : sidecars.reversed()) {
            ContainerStatus s = rt.latest(c.getName());
            if (s != null && (s.state() == ContainerState.RUNNING || s.state() == ContainerState.CREATED)) {
                stop(pod, s, rt.podIp(), Duration.ofSeconds(Math.max(graceSeconds, 0)));
            }
        }
    }

    /** Stops one container as upstream's killContainer: the Killing event, its preStop hook, then the signal. */
    private void stop(Pod pod, ContainerStatus s, String podIp, Duration grace) {
        String name = s.metadata().name();
        events.event(pod, EventRecorder.NORMAL, "Killing", "Stopping container " + name);
        Container spec = specOf(pod, name);
        Duration left = grace;
        if (spec != null) {
            Duration used = hooks.preStop(pod, spec, s.id(), Objects.requireNonNullElse(podIp, ""), grace);
            if (!used.isZero()) {
                // always a short window after a hook, as upstream's minimumGracePeriodInSeconds
                left = grace.minus(used);
                if (left.toSeconds() < MIN_KILL_GRACE_SECONDS) {
                    left = Duration.ofSeconds(MIN_KILL_GRACE_SECONDS);
                }
            }
        }
        runtime.stopContainer(s.id(), left);
    }

    private static Container specOf(Pod pod, String name) {
        for (Container c : list(pod.getSpec().getContainers())) {
            if (c.getName().equals(name)) {
                return c;
            }
        }
        for (Container c : list(pod.getSpec().getInitContainers())) {
            if (c.getName().equals(name)) {
                return c;
            }
        }
        return null;
    }

    /** Creates and starts one container; records why it waits when the image or its configuration is missing. */
    private void start(
            Pod pod,
            Container c,
            int attempt,
            String sandboxId,
            PodSandboxConfig sandboxConfig,
            PodRuntimeState rt,
            Map<String, Waiting> podWaits) {
        if (!images.ensureImage(pod, c, podWaits)) {
            return;
        }
        dev.capstan.node.runtime.ContainerConfig config;
        try {
            config = specs.config(
                    pod,
                    c,
                    attempt,
                    Objects.requireNonNullElse(rt.podIp(), ""),
                    node.hostIp(),
                    node.allocatable(),
                    mounted.getOrDefault(pod.getMetadata().getUid(), Map.of()),
                    SecurityContexts.of(pod, c, node.allowPrivileged(), () -> runtime.imageStatus(c.getImage())));
        } catch (ContainerSpecs.ConfigError e) {
            podWaits.put(c.getName(), new Waiting("CreateContainerConfigError", e.getMessage()));
            events.event(pod, EventRecorder.WARNING, "Failed", "Error: " + e.getMessage());
            return;
        }
        String id;
        try {
            id = runtime.createContainer(sandboxId, config, sandboxConfig);
        } catch (ContainerRuntimeException e) {
            podWaits.put(c.getName(), new Waiting("CreateContainerError", e.runtimeMessage()));
            events.event(pod, EventRecorder.WARNING, "Failed", "Error: " + e.runtimeMessage());
            throw e;
        }
        events.event(pod, EventRecorder.NORMAL, "Created", "Created container " + c.getName());
        try {
            runtime.startContainer(id);
        } catch (ContainerRuntimeException e) {
            events.event(pod, EventRecorder.WARNING, "Failed", "Error: " + e.runtimeMessage());
            throw e;
        }
        events.event(pod, EventRecorder.NORMAL, "Started", "Started container " + c.getName());
    }

    /** Restarts an exited container unless its back-off holds it; answers when to look again (null: now done). */
    private Duration restart(
            Pod pod,
            Container c,
            ContainerStatus exited,
            String sandboxId,
            PodSandboxConfig sandboxConfig,
            PodRuntimeState rt,
            Map<String, Waiting> podWaits) {
        String key = pod.getMetadata().getUid() + "/" + c.getName();
        Instant finished = Objects.requireNonNullElse(exited.finishedAt(), clock.instant());
        if (restarts.inBackOffSince(key, finished)) {
            events.event(
                    pod,
                    EventRecorder.WARNING,
                    "BackOff",
                    "Back-off restarting failed container " + c.getName() + " in pod " + formatPod(pod));
            podWaits.put(
                    c.getName(),
                    new Waiting(
                            "CrashLoopBackOff",
                            "back-off " + goDuration(restarts.get(key)) + " restarting failed container=" + c.getName()
                                    + " pod=" + formatPod(pod)));
            return restarts.remaining(key, finished);
        }
        restarts.next(key);
        replace(pod, c, exited, sandboxId, sandboxConfig, rt, podWaits);
        return null;
    }

    /** Starts the next attempt of a container; the one it replaces stays as the previous (lastState, logs --previous). */
    private void replace(
            Pod pod,
            Container c,
            ContainerStatus replaced,
            String sandboxId,
            PodSandboxConfig sandboxConfig,
            PodRuntimeState rt,
            Map<String, Waiting> podWaits) {
        List<ContainerStatus> attempts = rt.containers().getOrDefault(c.getName(), List.of());
        for (ContainerStatus older : attempts.subList(Math.min(1, attempts.size()), attempts.size())) {
            runtime.removeContainer(older.id());
        }
        start(pod, c, replaced.metadata().attempt() + 1, sandboxId, sandboxConfig, rt, podWaits);
    }

    /**
     * Kills a container that failed its liveness or startup probe, and, unless the policy is Never, starts it again in
     * the same pass without a back-off, as upstream's SyncPod does with ContainersToKill and ContainersToStart.
     */
    private void killForProbe(
            Pod pod,
            Container c,
            ContainerStatus running,
            String restartPolicy,
            String sandboxId,
            PodSandboxConfig sandboxConfig,
            PodRuntimeState rt,
            Map<String, Waiting> podWaits) {
        boolean liveness = probes.livenessFailed(running.id());
        boolean restart = !"Never".equals(restartPolicy);
        String message = "Container " + c.getName() + " failed " + (liveness ? "liveness" : "startup") + " probe"
                + (restart ? ", will be restarted" : "");
        events.event(pod, EventRecorder.NORMAL, "Killing", message);
        LOG.infof("%s in pod %s", message, formatPod(pod));
        var probe = liveness ? c.getLivenessProbe() : c.getStartupProbe();
        long grace = probe.getTerminationGracePeriodSeconds() != null
                ? probe.getTerminationGracePeriodSeconds()
                : PodWorkers.gracePeriodSeconds(pod);
        runtime.stopContainer(running.id(), Duration.ofSeconds(Math.max(grace, MIN_KILL_GRACE_SECONDS)));
        if (restart) {
            replace(pod, c, running, sandboxId, sandboxConfig, rt, podWaits);
        }
    }

    private void writeStatus(Pod pod, PodRuntimeState rt, Map<String, Waiting> podWaits, boolean terminal) {
        String uid = pod.getMetadata().getUid();
        var readiness = new PodStatusBuilder.Probes() {
            @Override
            public boolean started(String container, String containerId) {
                return probes.started(uid, container, containerId);
            }

            @Override
            public boolean ready(String container, String containerId) {
                return probes.ready(uid, container, containerId);
            }
        };
        ObjectNode status =
                PodStatusBuilder.status(pod, rt, podWaits, readiness, node.hostIp(), terminal, clock.instant());
        if (!PodStatusBuilder.differs(pod, status)) {
            return;
        }
        ObjectNode patch = KubeJson.object();
        patch.putObject("metadata").put("uid", pod.getMetadata().getUid());
        patch.set("status", status);
        try {
            api.resources(Kinds.PODS)
                    .patchStatus(
                            pod.getMetadata().getNamespace(),
                            pod.getMetadata().getName(),
                            PatchType.MERGE,
                            patch.toString());
        } catch (ApiError e) {
            if (!e.isNotFound() && !e.isConflict()) {
                throw e;
            }
        }
    }

    /** upstream format.Pod: name_namespace(uid). */
    static String formatPod(Pod pod) {
        var m = pod.getMetadata();
        return m.getName() + "_" + m.getNamespace() + "(" + m.getUid() + ")";
    }

    /** Go's time.Duration String for whole seconds: 10s, 1m20s, 5m0s. */
    static String goDuration(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + "s";
        }
        long h = s / 3600;
        long m = (s % 3600) / 60;
        return (h > 0 ? h + "h" + m + "m" : m + "m") + (s % 60) + "s";
    }

    /** The newest container of each name. */
    private static Map<String, ContainerStatus> latest(PodRuntimeState rt) {
        Map<String, ContainerStatus> latest = new HashMap<>();
        rt.containers().forEach((name, attempts) -> latest.put(name, attempts.get(0)));
        return latest;
    }

    private static Duration earliest(Duration a, Duration b) {
        if (a == null) {
            return b;
        }
        return b == null || a.compareTo(b) <= 0 ? a : b;
    }

    private static void deleteTree(Path dir) {
        try {
            FileTrees.delete(dir);
        } catch (IOException e) {
            LOG.warnf("could not remove %s: %s", dir, e.getMessage());
        }
    }

    private static <T> List<T> list(List<T> values) {
        return values == null ? List.of() : values;
    }
}
