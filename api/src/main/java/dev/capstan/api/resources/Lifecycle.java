package dev.capstan.api.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.Json;
import dev.capstan.api.registry.ResourceType;
import java.time.Instant;

/** Per-kind rules for creation and deletion: initial status, namespace phases, pod grace periods. */
final class Lifecycle {
    private Lifecycle() {}

    static boolean isNamespace(ResourceType type) {
        return type.group().isEmpty() && type.kind().equals("Namespace");
    }

    static boolean isPod(ResourceType type) {
        return type.group().isEmpty() && type.kind().equals("Pod");
    }

    /** Status is the controllers' to write: a create starts from the kind's initial status. */
    static void prepareForCreate(ResourceType type, ObjectNode object) {
        if (isNamespace(type)) {
            object.putObject("status").put("phase", "Active");
            ObjectNode spec = object.has("spec") ? (ObjectNode) object.get("spec") : object.putObject("spec");
            if (!spec.has("finalizers")) {
                spec.putArray("finalizers").add("kubernetes");
            }
        } else if (isPod(type)) {
            object.putObject("status").put("phase", "Pending").put("qosClass", qosClass(object));
        } else if (type.group().equals("batch") && type.kind().equals("Job")) {
            generateJobSelector(object);
            object.putObject("status");
        } else if (type.hasStatus()) {
            object.putObject("status");
        }
    }

    /**
     * A Job without {@code manualSelector} selects its pods by its own uid, as upstream's job strategy does: the
     * selector and the template labels are generated, so two Jobs never adopt each other's pods.
     */
    private static void generateJobSelector(ObjectNode job) {
        ObjectNode spec = job.withObjectProperty("spec");
        if (spec.path("manualSelector").asBoolean(false)) {
            return;
        }
        ObjectNode meta = Json.metadata(job);
        String uid = meta.path("uid").asText();
        String name = meta.path("name").asText();
        ObjectNode labels = spec.withObjectProperty("template")
                .withObjectProperty("metadata")
                .withObjectProperty("labels");
        labels.put("batch.kubernetes.io/controller-uid", uid).put("controller-uid", uid);
        labels.put("batch.kubernetes.io/job-name", name).put("job-name", name);
        spec.putObject("selector").putObject("matchLabels").put("batch.kubernetes.io/controller-uid", uid);
    }

    /**
     * The grace period of a deletion: a pod bound to a node gets its grace period (the node agent then finishes
     * it), everything else is deleted at once.
     */
    static long gracePeriodSeconds(ResourceType type, ObjectNode object, ObjectNode options) {
        if (!isPod(type) || object.path("spec").path("nodeName").asText("").isEmpty()) {
            return 0;
        }
        if (options != null && options.hasNonNull("gracePeriodSeconds")) {
            return Math.max(0, options.get("gracePeriodSeconds").asLong());
        }
        return object.path("spec").path("terminationGracePeriodSeconds").asLong(30);
    }

    static void markDeleted(ResourceType type, ObjectNode object, Instant now, long grace) {
        ObjectNode meta = Json.metadata(object);
        meta.put("deletionTimestamp", ObjectMeta.timestamp(now.plusSeconds(grace)));
        meta.put("deletionGracePeriodSeconds", grace);
        if (isNamespace(type)) {
            object.withObjectProperty("status").put("phase", "Terminating");
        }
    }

    /**
     * Whether an object marked for deletion may go now: no finalizer holds it, a namespace's own finalizers
     * (spec.finalizers) are done, and a pod deleted gracefully from a node is not waiting for its node agent.
     */
    static boolean deletionCanComplete(ResourceType type, ObjectNode object) {
        if (ObjectMeta.hasFinalizers(object) || waitsForNode(type, object)) {
            return false;
        }
        return !isNamespace(type) || object.path("spec").path("finalizers").isEmpty();
    }

    /** A pod deleted gracefully from a node stays until the node agent confirms its containers stopped. */
    static boolean waitsForNode(ResourceType type, ObjectNode object) {
        return isPod(type)
                && !object.path("spec").path("nodeName").asText("").isEmpty()
                && Json.metadata(object).path("deletionGracePeriodSeconds").asLong(0) > 0;
    }

    /** Upstream's QoS class: Guaranteed when every container's requests equal limits, BestEffort with none. */
    static String qosClass(ObjectNode pod) {
        boolean any = false;
        boolean guaranteed = true;
        for (JsonNode c : pod.path("spec").path("containers")) {
            JsonNode requests = c.path("resources").path("requests");
            JsonNode limits = c.path("resources").path("limits");
            any |= !requests.isEmpty() || !limits.isEmpty();
            for (String resource : new String[] {"cpu", "memory"}) {
                JsonNode limit = limits.get(resource);
                JsonNode request = requests.has(resource) ? requests.get(resource) : limit;
                if (limit == null || !limit.equals(request)) {
                    guaranteed = false;
                }
            }
        }
        return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
    }
}
