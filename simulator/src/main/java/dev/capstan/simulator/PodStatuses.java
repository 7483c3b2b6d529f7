package dev.capstan.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.client.node.KubeletPodConditions;
import dev.capstan.model.json.KubeJson;
import dev.capstan.model.pod.QosClass;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The pod statuses a kubelet writes while it starts a pod, as pure functions of the pod, its addresses and the time:
 * first Pending with containers being created, then Running with every container started and ready (no probes run
 * here, so readiness comes with the start, as for a container without a readiness probe). Each is a JSON merge patch
 * of the status subresource; it names the pod's uid, so that it cannot land on a namesake created since.
 */
public final class PodStatuses {
    private PodStatuses() {}

    /** Pending: the sandbox is being set up, containers are being created, nothing is ready yet. */
    public static ObjectNode pending(Pod pod, String hostIp, Instant now) {
        String time = NodeTemplate.time(now);
        ObjectNode patch = patchOf(pod);
        ObjectNode status = patch.putObject("status");
        status.put("phase", "Pending");
        List<String> inits = names(pod.getSpec().getInitContainers());
        List<String> mains = names(pod.getSpec().getContainers());
        ArrayNode conditions = status.putArray("conditions");
        KubeletPodConditions.append(conditions, "PodReadyToStartContainers", "False", time, "", "");
        if (inits.isEmpty()) {
            KubeletPodConditions.append(conditions, "Initialized", "True", time, "", "");
        } else {
            KubeletPodConditions.append(
                    conditions,
                    "Initialized",
                    "False",
                    time,
                    "ContainersNotInitialized",
                    "containers with incomplete status: " + goList(inits));
        }
        String unready = "containers with unready status: " + goList(mains);
        KubeletPodConditions.append(conditions, "Ready", "False", time, "ContainersNotReady", unready);
        KubeletPodConditions.append(conditions, "ContainersReady", "False", time, "ContainersNotReady", unready);
        KubeletPodConditions.append(conditions, "PodScheduled", "True", scheduledTime(pod, time), "", "");
        addresses(status, hostIp, null);
        status.put("startTime", startTime(pod, time));
        status.put("qosClass", QosClass.of(pod).value());
        ArrayNode initStatuses = status.putArray("initContainerStatuses");
        for (Container c : list(pod.getSpec().getInitContainers())) {
            ObjectNode s = containerStatus(initStatuses, c, false);
            s.putObject("state").putObject("waiting").put("reason", "PodInitializing");
        }
        if (initStatuses.isEmpty()) {
            status.remove("initContainerStatuses");
        }
        ArrayNode statuses = status.putArray("containerStatuses");
        for (Container c : list(pod.getSpec().getContainers())) {
            ObjectNode s = containerStatus(statuses, c, false);
            s.putObject("state")
                    .putObject("waiting")
                    .put("reason", inits.isEmpty() ? "ContainerCreating" : "PodInitializing");
        }
        return patch;
    }

    /** Running: init containers completed, every container running, started and ready. */
    public static ObjectNode running(Pod pod, String hostIp, String podIp, Instant now) {
        String time = NodeTemplate.time(now);
        ObjectNode patch = patchOf(pod);
        ObjectNode status = patch.putObject("status");
        status.put("phase", "Running");
        ArrayNode conditions = status.putArray("conditions");
        KubeletPodConditions.append(conditions, "PodReadyToStartContainers", "True", time, "", "");
        KubeletPodConditions.append(conditions, "Initialized", "True", time, "", "");
        KubeletPodConditions.append(conditions, "Ready", "True", time, "", "");
        KubeletPodConditions.append(conditions, "ContainersReady", "True", time, "", "");
        KubeletPodConditions.append(conditions, "PodScheduled", "True", scheduledTime(pod, time), "", "");
        addresses(status, hostIp, podIp);
        String started = startTime(pod, time);
        status.put("startTime", started);
        status.put("qosClass", QosClass.of(pod).value());
        ArrayNode initStatuses = status.putArray("initContainerStatuses");
        for (Container c : list(pod.getSpec().getInitContainers())) {
            boolean sidecar = "Always".equals(c.getRestartPolicy());
            ObjectNode s = containerStatus(initStatuses, c, true);
            s.put("containerID", containerId(pod, c));
            if (sidecar) {
                s.put("started", true);
                s.putObject("state").putObject("running").put("startedAt", started);
            } else {
                s.putObject("state")
                        .putObject("terminated")
                        .put("exitCode", 0)
                        .put("reason", "Completed")
                        .put("startedAt", started)
                        .put("finishedAt", time)
                        .put("containerID", containerId(pod, c));
            }
        }
        if (initStatuses.isEmpty()) {
            status.remove("initContainerStatuses");
        }
        ArrayNode statuses = status.putArray("containerStatuses");
        for (Container c : list(pod.getSpec().getContainers())) {
            ObjectNode s = containerStatus(statuses, c, true);
            s.put("started", true);
            s.put("containerID", containerId(pod, c));
            s.putObject("state").putObject("running").put("startedAt", time);
        }
        return patch;
    }

    /** {@code docker.io/library/nginx:1.27} for {@code nginx:1.27}, as a runtime reports a short name. */
    public static String fullImage(String image) {
        String name = Objects.requireNonNullElse(image, "");
        int slash = name.indexOf('/');
        boolean hasRegistry = slash > 0
                && (name.substring(0, slash).contains(".")
                        || name.substring(0, slash).contains(":")
                        || name.startsWith("localhost/"));
        if (!hasRegistry) {
            name = "docker.io/" + (slash < 0 ? "library/" : "") + name;
        }
        int lastSlash = name.lastIndexOf('/');
        if (!name.contains("@") && name.indexOf(':', lastSlash) < 0) {
            name = name + ":latest";
        }
        return name;
    }

    /** A fake, stable digest reference: the repository, then {@code @sha256:} and a hash of the image name. */
    public static String imageId(String image) {
        String full = fullImage(image);
        int at = full.indexOf('@');
        if (at >= 0) {
            return full;
        }
        int lastSlash = full.lastIndexOf('/');
        int colon = full.indexOf(':', lastSlash);
        String repository = colon < 0 ? full : full.substring(0, colon);
        return repository + "@sha256:" + NodeTemplate.hex(full);
    }

    /** {@code sim://} and a hash of the pod's uid and the container's name. */
    public static String containerId(Pod pod, Container container) {
        return "sim://" + NodeTemplate.hex(pod.getMetadata().getUid(), container.getName());
    }

    private static ObjectNode patchOf(Pod pod) {
        ObjectNode patch = KubeJson.object();
        patch.putObject("metadata").put("uid", pod.getMetadata().getUid());
        return patch;
    }

    private static ObjectNode containerStatus(ArrayNode statuses, Container c, boolean ready) {
        ObjectNode s = statuses.addObject();
        s.put("name", c.getName());
        s.put("image", fullImage(c.getImage()));
        s.put("imageID", ready ? imageId(c.getImage()) : "");
        s.put("ready", ready);
        s.put("restartCount", 0);
        s.put("started", false);
        return s;
    }

    private static void addresses(ObjectNode status, String hostIp, String podIp) {
        status.put("hostIP", hostIp);
        status.putArray("hostIPs").addObject().put("ip", hostIp);
        if (podIp != null) {
            status.put("podIP", podIp);
            status.putArray("podIPs").addObject().put("ip", podIp);
        }
    }

    /** The binding's PodScheduled transition time when there is one; the scheduler set it, the kubelet keeps it. */
    private static String scheduledTime(Pod pod, String fallback) {
        if (pod.getStatus() != null && pod.getStatus().getConditions() != null) {
            for (PodCondition c : pod.getStatus().getConditions()) {
                if ("PodScheduled".equals(c.getType()) && c.getLastTransitionTime() != null) {
                    return c.getLastTransitionTime();
                }
            }
        }
        return fallback;
    }

    private static String startTime(Pod pod, String fallback) {
        if (pod.getStatus() != null && pod.getStatus().getStartTime() != null) {
            return pod.getStatus().getStartTime();
        }
        return fallback;
    }

    private static List<Container> list(List<Container> containers) {
        return containers == null ? List.of() : containers;
    }

    private static List<String> names(List<Container> containers) {
        return list(containers).stream().map(Container::getName).toList();
    }

    /** Go's %v of a string slice: {@code [a b]}. */
    private static String goList(List<String> names) {
        return "[" + String.join(" ", names) + "]";
    }
}
