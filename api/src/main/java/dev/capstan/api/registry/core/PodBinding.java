package dev.capstan.api.registry.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.ApiException;
import dev.capstan.api.Json;
import dev.capstan.api.registry.GenericStore;
import dev.capstan.api.registry.ObjectMetaRules;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.UpdateStrategy;
import dev.capstan.api.request.RequestContext;
import dev.capstan.api.validation.Cause;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** The {@code pods/binding} subresource (upstream pkg/registry/core/pod/storage BindingREST). */
public final class PodBinding {
    private PodBinding() {}

    /**
     * Binds a pod to a node, once (upstream's BindingREST): a bound pod or one being deleted cannot be bound, and
     * binding sets the PodScheduled condition to True. Answers 201 with a Success Status.
     */
    public static ObjectNode bind(
            GenericStore store,
            RequestContext ctx,
            ResourceType pods,
            String namespace,
            String name,
            ObjectNode binding,
            Clock clock) {
        String bindingName = Json.metadata(binding).path("name").asText("");
        if (!bindingName.isEmpty() && !bindingName.equals(name)) {
            throw ApiException.badRequest("name in URL does not match name in Binding object");
        }
        validateBinding(name, binding);
        String node = binding.path("target").path("name").asText();
        ObjectNode bindingMeta = Json.metadata(binding);
        store.update(
                ctx,
                pods,
                BIND,
                "binding",
                namespace,
                name,
                current -> {
                    if (current == null) {
                        throw ApiException.notFound(pods, name);
                    }
                    if (ObjectMetaRules.isBeingDeleted(current)) {
                        throw ApiException.conflict(
                                pods, name, "pod " + name + " is being deleted, cannot be assigned to a host");
                    }
                    String bound = current.path("spec").path("nodeName").asText("");
                    if (!bound.isEmpty()) {
                        throw ApiException.conflict(
                                pods, name, "pod " + name + " is already assigned to node \"" + bound + "\"");
                    }
                    ObjectNode meta = Json.metadata(current);
                    String uid = bindingMeta.path("uid").asText("");
                    if (!uid.isEmpty() && !uid.equals(meta.path("uid").asText())) {
                        throw ApiException.uidPreconditionFailed(
                                pods, name, uid, meta.path("uid").asText());
                    }
                    String rv = bindingMeta.path("resourceVersion").asText("");
                    if (!rv.isEmpty()) {
                        meta.put("resourceVersion", rv);
                    }
                    bindingMeta
                            .path("annotations")
                            .properties()
                            .forEach(e -> meta.withObjectProperty("annotations")
                                    .set(e.getKey(), e.getValue().deepCopy()));
                    current.withObjectProperty("spec").put("nodeName", node);
                    PodConditions.setTrue(current, "PodScheduled", null, null, clock);
                    return current;
                },
                false);
        return created();
    }

    /** The Success Status a subresource's create answers (upstream's create handler sets its code to 201). */
    static ObjectNode created() {
        return Json.object()
                .put("kind", "Status")
                .put("apiVersion", "v1")
                .<ObjectNode>set("metadata", Json.object())
                .put("status", "Success")
                .put("code", 201);
    }

    /** Upstream's ValidatePodBinding. */
    private static void validateBinding(String name, ObjectNode binding) {
        List<Cause> causes = new ArrayList<>();
        String kind = binding.path("target").path("kind").asText("");
        if (!kind.isEmpty() && !kind.equals("Node")) {
            causes.add(new Cause(
                    "FieldValueNotSupported",
                    "Unsupported value: \"" + kind + "\": supported values: \"Node\", \"<empty>\"",
                    "target.kind"));
        }
        if (binding.path("target").path("name").asText("").isEmpty()) {
            causes.add(new Cause("FieldValueRequired", "Required value", "target.name"));
        }
        if (!causes.isEmpty()) {
            throw ApiException.invalidKind("", "Binding", name, causes);
        }
    }

    /** A binding bypasses the pod's strategy (which forbids changing spec.nodeName), as upstream's assignPod does. */
    private static final UpdateStrategy BIND = new UpdateStrategy() {
        @Override
        public void prepareForUpdate(ObjectNode object, ObjectNode old) {}

        @Override
        public List<Cause> validateUpdate(ObjectNode object, ObjectNode old) {
            return List.of();
        }
    };
}
