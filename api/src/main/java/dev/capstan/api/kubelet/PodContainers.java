package dev.capstan.api.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.api.ApiException;
import java.util.ArrayList;
import java.util.List;

/**
 * The container a log, exec or attach of a pod is for, as upstream's pod strategy (LogLocation, streamLocation)
 * picks it: the one named, which must be one of the pod's containers, init containers or ephemeral containers; or,
 * when none is named, the pod's only container.
 */
public final class PodContainers {
    private PodContainers() {}

    /**
     * @param pod the pod as stored
     * @param requested the {@code container} parameter; empty when none was given
     * @throws ApiException 400 with upstream's message when no container is named and the pod has several, or the
     *     named one is not in the pod
     */
    public static String resolve(JsonNode pod, String requested) {
        String podName = pod.path("metadata").path("name").asText();
        JsonNode spec = pod.path("spec");
        if (requested == null || requested.isEmpty()) {
            List<String> containers = names(spec.path("containers"));
            if (containers.size() == 1) {
                return containers.getFirst();
            }
            if (containers.isEmpty()) {
                throw ApiException.badRequest("a container name must be specified for pod " + podName);
            }
            StringBuilder message = new StringBuilder("a container name must be specified for pod " + podName
                    + ", choose one of: [" + String.join(" ", containers) + "]");
            List<String> init = names(spec.path("initContainers"));
            if (!init.isEmpty()) {
                message.append(" or one of the init containers: [")
                        .append(String.join(" ", init))
                        .append("]");
            }
            List<String> ephemeral = names(spec.path("ephemeralContainers"));
            if (!ephemeral.isEmpty()) {
                message.append(" or one of the ephemeral containers: [")
                        .append(String.join(" ", ephemeral))
                        .append("]");
            }
            throw ApiException.badRequest(message.toString());
        }
        for (String list : List.of("containers", "initContainers", "ephemeralContainers")) {
            if (names(spec.path(list)).contains(requested)) {
                return requested;
            }
        }
        throw ApiException.badRequest("container " + requested + " is not valid for pod " + podName);
    }

    /** Whether the pod's status shows the container running (false when it has no status for it yet). */
    public static boolean running(JsonNode pod, String container) {
        JsonNode status = pod.path("status");
        for (String list : List.of("containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses")) {
            for (JsonNode s : status.path(list)) {
                if (s.path("name").asText().equals(container)) {
                    return s.path("state").has("running");
                }
            }
        }
        return false;
    }

    /** The node the pod is bound to; empty when it is not scheduled yet. */
    public static String nodeName(JsonNode pod) {
        return pod.path("spec").path("nodeName").asText("");
    }

    private static List<String> names(JsonNode containers) {
        List<String> names = new ArrayList<>();
        for (JsonNode c : containers) {
            names.add(c.path("name").asText());
        }
        return names;
    }
}
