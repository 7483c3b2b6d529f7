package dev.capstan.api.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.KubeJson;

/**
 * Upstream's DefaultTolerationSeconds: a pod created without a toleration of the not-ready and unreachable NoExecute
 * taints gets one for {@code seconds} (300 by default), so that the node lifecycle controller evicts it that long
 * after its node fails rather than at once.
 */
public final class DefaultTolerationSeconds implements AdmissionPlugin {
    public static final String NAME = "DefaultTolerationSeconds";
    static final String NOT_READY = "node.kubernetes.io/not-ready";
    static final String UNREACHABLE = "node.kubernetes.io/unreachable";

    private final long seconds;

    public DefaultTolerationSeconds(long seconds) {
        this.seconds = seconds;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean handles(Operation operation) {
        return operation == Operation.CREATE;
    }

    @Override
    public void admit(AdmissionRequest request) {
        if (!isPod(request) || request.object() == null) {
            return;
        }
        ObjectNode spec = KubeJson.child(request.object(), "spec");
        JsonNode existing = spec.path("tolerations");
        boolean notReady = toleratesNoExecute(existing, NOT_READY);
        boolean unreachable = toleratesNoExecute(existing, UNREACHABLE);
        if (notReady && unreachable) {
            return;
        }
        ArrayNode tolerations = existing.isArray() ? (ArrayNode) existing : spec.putArray("tolerations");
        if (!notReady) {
            add(tolerations, NOT_READY);
        }
        if (!unreachable) {
            add(tolerations, UNREACHABLE);
        }
    }

    private void add(ArrayNode tolerations, String key) {
        tolerations
                .addObject()
                .put("key", key)
                .put("operator", "Exists")
                .put("effect", "NoExecute")
                .put("tolerationSeconds", seconds);
    }

    static boolean isPod(AdmissionRequest request) {
        return request.type().group().isEmpty()
                && request.type().plural().equals("pods")
                && request.subresource().isEmpty();
    }

    /** Upstream checks for any toleration naming the key with effect NoExecute or no effect (all effects). */
    private static boolean toleratesNoExecute(JsonNode tolerations, String key) {
        for (JsonNode t : tolerations) {
            String effect = t.path("effect").asText("");
            boolean anyKey = t.path("key").asText("").isEmpty();
            if ((anyKey || t.path("key").asText("").equals(key)) && (effect.isEmpty() || effect.equals("NoExecute"))) {
                return true;
            }
        }
        return false;
    }
}
