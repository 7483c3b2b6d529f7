package dev.capstan.api.registry.batch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.Json;

/**
 * Upstream's generateSelector for Jobs: a Job without {@code manualSelector} selects its pods by its own uid, so
 * the selector and the template labels are generated and two Jobs never adopt each other's pods.
 */
final class JobSelectors {
    private JobSelectors() {}

    /**
     * Labels the user already set are kept (validation then refuses a conflicting one), and so is a selector: only
     * its controller-uid entry is added when missing.
     */
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
        for (String key : new String[] {"job-name", "batch.kubernetes.io/job-name"}) {
            if (!labels.has(key)) {
                labels.put(key, name);
            }
        }
        for (String key : new String[] {"controller-uid", "batch.kubernetes.io/controller-uid"}) {
            if (!labels.has(key)) {
                labels.put(key, uid);
            }
        }
        ObjectNode matchLabels = spec.withObjectProperty("selector").withObjectProperty("matchLabels");
        if (!matchLabels.has("batch.kubernetes.io/controller-uid")) {
            matchLabels.put("batch.kubernetes.io/controller-uid", uid);
        }
    }
}
