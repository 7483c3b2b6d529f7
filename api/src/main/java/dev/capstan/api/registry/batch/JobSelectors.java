package dev.capstan.api.registry.batch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.Json;

/**
 * Upstream's generateSelector for Jobs: a Job without {@code manualSelector} selects its pods by its own uid, so
 * the selector and the template labels are generated and two Jobs never adopt each other's pods.
 */
final class JobSelectors {
    private JobSelectors() {}

    static void generate(ObjectNode job) {
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
}
