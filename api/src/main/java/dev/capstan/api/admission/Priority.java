package dev.capstan.api.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.ApiException;
import dev.capstan.model.json.KubeJson;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Upstream's Priority admission plugin: a pod's spec.priority (and preemptionPolicy) come from its
 * priorityClassName, or from the globalDefault PriorityClass when it names none (priority 0 and
 * PreemptLowerPriority when there is no such class), so that the scheduler can order and preempt by them. A pod that
 * names a missing class, or states a priority that differs from its class's, is refused (403). Updates keep the
 * priority the pod was created with.
 */
public final class Priority implements AdmissionPlugin {
    public static final String NAME = "Priority";
    private static final String PREEMPT_LOWER = "PreemptLowerPriority";

    private final Supplier<List<ObjectNode>> priorityClasses;

    /** @param priorityClasses the stored PriorityClasses (from the watch cache when it is synced) */
    public Priority(Supplier<List<ObjectNode>> priorityClasses) {
        this.priorityClasses = priorityClasses;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean handles(Operation operation) {
        return operation == Operation.CREATE || operation == Operation.UPDATE;
    }

    @Override
    public void admit(AdmissionRequest request) {
        if (!DefaultTolerationSeconds.isPod(request) || request.object() == null) {
            return;
        }
        ObjectNode spec = KubeJson.child(request.object(), "spec");
        if (request.operation() == Operation.UPDATE) {
            JsonNode old =
                    request.oldObject() == null ? null : request.oldObject().path("spec");
            if (old != null) {
                copy(old, spec, "priority");
                copy(old, spec, "preemptionPolicy");
            }
            return;
        }
        String className = spec.path("priorityClassName").asText("");
        int priority;
        String preemptionPolicy;
        if (className.isEmpty()) {
            Optional<ObjectNode> global = priorityClasses.get().stream()
                    .filter(pc -> pc.path("globalDefault").asBoolean(false))
                    .min((a, b) -> Integer.compare(
                            a.path("value").asInt(), b.path("value").asInt()));
            priority = global.map(pc -> pc.path("value").asInt()).orElse(0);
            preemptionPolicy = global.map(pc -> pc.path("preemptionPolicy").asText(PREEMPT_LOWER))
                    .orElse(PREEMPT_LOWER);
            global.ifPresent(pc -> spec.put(
                    "priorityClassName", pc.path("metadata").path("name").asText()));
        } else {
            ObjectNode pc = priorityClasses.get().stream()
                    .filter(c -> c.path("metadata").path("name").asText().equals(className))
                    .findFirst()
                    .orElseThrow(() -> ApiException.forbidden(
                            request.type(), request.name(), "no PriorityClass with name " + className + " was found"));
            priority = pc.path("value").asInt();
            preemptionPolicy = pc.path("preemptionPolicy").asText(PREEMPT_LOWER);
        }
        if (spec.hasNonNull("priority") && spec.path("priority").asInt() != priority) {
            throw ApiException.forbidden(
                    request.type(),
                    request.name(),
                    "the integer value of priority (" + spec.path("priority").asInt()
                            + ") must not be provided in pod spec; priority admission controller computed "
                            + priority + " from the given PriorityClass name");
        }
        if (spec.hasNonNull("preemptionPolicy")
                && !spec.path("preemptionPolicy").asText().equals(preemptionPolicy)) {
            throw ApiException.forbidden(
                    request.type(),
                    request.name(),
                    "the string value of PreemptionPolicy ("
                            + spec.path("preemptionPolicy").asText()
                            + ") must not be provided in pod spec; priority admission controller computed "
                            + preemptionPolicy + " from the given PriorityClass name");
        }
        spec.put("priority", priority);
        spec.put("preemptionPolicy", preemptionPolicy);
    }

    private static void copy(JsonNode from, ObjectNode to, String field) {
        if (from.has(field)) {
            to.set(field, from.get(field).deepCopy());
        } else {
            to.remove(field);
        }
    }
}
