package dev.capstan.node.pods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.client.node.KubeletNode;
import dev.capstan.client.node.KubeletPodConditions;
import dev.capstan.model.json.KubeJson;
import dev.capstan.model.pod.QosClass;
import dev.capstan.model.pod.Sidecars;
import dev.capstan.node.runtime.ContainerState;
import dev.capstan.node.runtime.ContainerStatus;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The pod status a kubelet writes (upstream generateAPIPodStatus, getPhase, the status manager's conditions) as a pure
 * function of the pod, what the runtime has of it, why containers wait, and the time. Condition transition times and
 * the start time are kept from the pod's current status while they hold.
 */
final class PodStatusBuilder {
    private PodStatusBuilder() {}

    /** What the probes say of a running container (upstream prober_manager UpdatePodStatus). */
    interface Probes {
        /** Without probes a running container is started and ready. */
        Probes NONE = new Probes() {
            @Override
            public boolean started(String container, String containerId) {
                return true;
            }

            @Override
            public boolean ready(String container, String containerId) {
                return true;
            }
        };

        /** The startup probe succeeded, or there is none. */
        boolean started(String container, String containerId);

        /** The readiness probe succeeded, or there is none. */
        boolean ready(String container, String containerId);
    }

    /**
     * @param terminal the pod is stopping for good (deleted): phase Succeeded or Failed once nothing runs
     */
    static ObjectNode status(
            Pod pod,
            PodRuntimeState rt,
            Map<String, Waiting> waits,
            Probes probes,
            String hostIp,
            boolean terminal,
            Instant now) {
        String time = KubeletNode.time(now);
        ObjectNode status = KubeJson.object();
        var spec = pod.getSpec();
        String restartPolicy = Objects.requireNonNullElse(spec.getRestartPolicy(), "Always");
        List<Container> inits = list(spec.getInitContainers());
        List<Container> mains = list(spec.getContainers());

        List<String> incompleteInits = new ArrayList<>();
        boolean initFailed = false;
        // Once a container has been created the pod was initialized, whatever its sidecars do since.
        boolean mainsCreated = mains.stream().anyMatch(c -> rt.latest(c.getName()) != null);
        for (Container c : inits) {
            ContainerStatus s = rt.latest(c.getName());
            // A sidecar counts once it runs and has passed its startup probe; the others once they succeeded.
            boolean done = Sidecars.isSidecar(c)
                    ? mainsCreated
                            || s != null && s.state() == ContainerState.RUNNING && probes.started(c.getName(), s.id())
                    : s != null && s.state() == ContainerState.EXITED && s.exitCode() == 0;
            if (!done) {
                incompleteInits.add(c.getName());
                if (s != null
                        && s.state() == ContainerState.EXITED
                        && "Never".equals(restartPolicy)
                        && !Sidecars.isSidecar(c)) {
                    initFailed = true;
                }
            }
        }
        boolean initialized = incompleteInits.isEmpty();

        ArrayNode initStatuses = KubeJson.array();
        List<String> unready = new ArrayList<>();
        for (Container c : inits) {
            boolean sidecar = Sidecars.isSidecar(c);
            ObjectNode s = containerStatus(
                    c,
                    rt,
                    waits,
                    sidecar ? probes : Probes.NONE,
                    true,
                    sidecar ? "Always" : restartPolicy,
                    "PodInitializing");
            initStatuses.add(s);
            if (sidecar && !s.get("ready").asBoolean()) {
                unready.add(c.getName()); // a sidecar's readiness is part of the pod's, as upstream's
            }
        }
        ArrayNode statuses = KubeJson.array();
        int running = 0;
        int waiting = 0;
        int stopped = 0;
        int succeeded = 0;
        for (Container c : mains) {
            ObjectNode s = containerStatus(
                    c, rt, waits, probes, false, restartPolicy, initialized ? "ContainerCreating" : "PodInitializing");
            statuses.add(s);
            JsonNode state = s.get("state");
            if (state.has("running")) {
                running++;
            } else if (state.has("terminated")) {
                stopped++;
                if (state.get("terminated").get("exitCode").asInt() == 0) {
                    succeeded++;
                }
            } else if (s.get("lastState").has("terminated")) {
                stopped++; // waiting to restart: counts as stopped, as upstream's getPhase does
            } else {
                waiting++;
            }
            if (!s.get("ready").asBoolean()) {
                unready.add(c.getName());
            }
        }

        String phase;
        if (!initialized) {
            phase = initFailed ? "Failed" : "Pending";
        } else if (waiting > 0) {
            phase = "Pending";
        } else if (running > 0 && !terminal) {
            phase = "Running";
        } else if (stopped > 0 && running == 0) {
            if (terminal) {
                phase = stopped == succeeded ? "Succeeded" : "Failed";
            } else if ("Always".equals(restartPolicy)) {
                phase = "Running";
            } else if (stopped == succeeded) {
                phase = "Succeeded";
            } else if ("Never".equals(restartPolicy)) {
                phase = "Failed";
            } else {
                phase = "Running";
            }
        } else {
            phase = running > 0 ? "Running" : "Pending";
        }
        status.put("phase", phase);

        ArrayNode conditions = status.putArray("conditions");
        boolean sandboxReady = rt.sandbox() != null && !terminal;
        condition(pod, conditions, "PodReadyToStartContainers", sandboxReady, "", "", time);
        condition(
                pod,
                conditions,
                "Initialized",
                initialized,
                initialized ? "" : "ContainersNotInitialized",
                initialized ? "" : "containers with incomplete status: " + goList(incompleteInits),
                time);
        boolean completed = "Succeeded".equals(phase) || "Failed".equals(phase);
        boolean ready = unready.isEmpty() && !completed;
        String notReadyReason = completed ? "PodCompleted" : "ContainersNotReady";
        String notReadyMessage = completed ? "" : "containers with unready status: " + goList(unready);
        condition(pod, conditions, "Ready", ready, ready ? "" : notReadyReason, ready ? "" : notReadyMessage, time);
        condition(
                pod,
                conditions,
                "ContainersReady",
                ready,
                ready ? "" : notReadyReason,
                ready ? "" : notReadyMessage,
                time);
        condition(pod, conditions, "PodScheduled", true, "", "", time);

        status.put("hostIP", hostIp);
        status.putArray("hostIPs").addObject().put("ip", hostIp);
        String podIp = rt.podIp();
        if (podIp == null && pod.getStatus() != null && pod.getStatus().getPodIP() != null) {
            podIp = pod.getStatus().getPodIP(); // kept once the sandbox is gone, as upstream does
        }
        if (podIp != null) {
            status.put("podIP", podIp);
            status.putArray("podIPs").addObject().put("ip", podIp);
        }
        String start = pod.getStatus() != null && pod.getStatus().getStartTime() != null
                ? pod.getStatus().getStartTime()
                : time;
        status.put("startTime", start);
        status.put("qosClass", QosClass.of(pod).value());
        if (!initStatuses.isEmpty()) {
            status.set("initContainerStatuses", initStatuses);
        }
        status.set("containerStatuses", statuses);
        return status;
    }

    private static ObjectNode containerStatus(
            Container c,
            PodRuntimeState rt,
            Map<String, Waiting> waits,
            Probes probes,
            boolean init,
            String restartPolicy,
            String defaultReason) {
        ObjectNode s = KubeJson.object();
        s.put("name", c.getName());
        ContainerStatus latest = rt.latest(c.getName());
        ContainerStatus previous = rt.previous(c.getName());
        Waiting w = waits.get(c.getName());
        s.put("image", latest != null ? latest.image() : c.getImage());
        s.put("imageID", latest != null ? latest.imageRef() : "");
        if (latest != null) {
            s.put("containerID", containerId(latest));
        }
        ObjectNode state = s.putObject("state");
        ObjectNode lastState = KubeJson.object();
        boolean ready = false;
        boolean started = false;
        if (latest == null || latest.state() == ContainerState.CREATED) {
            waiting(state, w != null ? w : new Waiting(defaultReason, ""));
        } else if (latest.state() == ContainerState.RUNNING) {
            state.putObject("running").put("startedAt", time(latest.startedAt()));
            // Of init containers only sidecars run on: they have probes and a readiness, the others neither.
            boolean sidecar = init && Sidecars.isSidecar(c);
            started = probes.started(c.getName(), latest.id());
            ready = (!init || sidecar) && started && probes.ready(c.getName(), latest.id());
            if (previous != null) {
                terminated(lastState, previous);
            }
        } else if (w != null && willRestart(restartPolicy, latest, init && !Sidecars.isSidecar(c))) {
            waiting(state, w);
            terminated(lastState, latest);
        } else {
            terminated(state, latest);
            ready = init && latest.exitCode() == 0;
            if (previous != null) {
                terminated(lastState, previous);
            }
        }
        s.set("lastState", lastState);
        s.put("ready", ready);
        s.put("restartCount", latest == null ? 0 : latest.metadata().attempt());
        s.put("started", started);
        return s;
    }

    /** Whether an exited container is restarted under the pod's policy (init containers: until they succeed). */
    static boolean willRestart(String restartPolicy, ContainerStatus exited, boolean init) {
        return switch (restartPolicy) {
            case "Never" -> false;
            case "OnFailure" -> exited.exitCode() != 0;
            default -> !init || exited.exitCode() != 0;
        };
    }

    static String containerId(ContainerStatus s) {
        return "containerd://" + s.id();
    }

    private static void waiting(ObjectNode state, Waiting w) {
        ObjectNode node = state.putObject("waiting").put("reason", w.reason());
        if (!w.message().isEmpty()) {
            node.put("message", w.message());
        }
    }

    private static void terminated(ObjectNode state, ContainerStatus s) {
        ObjectNode t = state.putObject("terminated");
        t.put("exitCode", s.exitCode());
        String reason =
                s.reason() == null || s.reason().isEmpty() ? (s.exitCode() == 0 ? "Completed" : "Error") : s.reason();
        t.put("reason", reason);
        if (s.message() != null && !s.message().isEmpty()) {
            t.put("message", s.message());
        }
        if (s.startedAt() != null) {
            t.put("startedAt", time(s.startedAt()));
        }
        if (s.finishedAt() != null) {
            t.put("finishedAt", time(s.finishedAt()));
        }
        t.put("containerID", containerId(s));
    }

    private static void condition(
            Pod pod, ArrayNode conditions, String type, boolean value, String reason, String message, String now) {
        String status = value ? "True" : "False";
        String transition = now;
        if (pod.getStatus() != null && pod.getStatus().getConditions() != null) {
            for (PodCondition c : pod.getStatus().getConditions()) {
                if (type.equals(c.getType()) && status.equals(c.getStatus()) && c.getLastTransitionTime() != null) {
                    transition = c.getLastTransitionTime();
                }
            }
        }
        KubeletPodConditions.append(conditions, type, status, transition, reason, message);
    }

    /** Whether writing {@code next} would change the pod's status (each field of it compared as the API stores it). */
    static boolean differs(Pod pod, ObjectNode next) {
        if (pod.getStatus() == null) {
            return true;
        }
        JsonNode current = KubeJson.tree(pod.getStatus());
        JsonNode wanted = KubeJson.tree(KubeJson.convert(next, PodStatus.class));
        for (Iterator<String> it = wanted.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!Objects.equals(current.get(field), wanted.get(field))) {
                return true;
            }
        }
        return false;
    }

    static String time(Instant instant) {
        return instant == null ? null : KubeletNode.time(instant);
    }

    /** Go's %v of a string slice: {@code [a b]}. */
    static String goList(List<String> names) {
        return "[" + String.join(" ", names) + "]";
    }

    private static <T> List<T> list(List<T> values) {
        return values == null ? List.of() : values;
    }
}
