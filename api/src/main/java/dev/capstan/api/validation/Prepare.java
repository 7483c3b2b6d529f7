package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.JsonReads;
import dev.capstan.model.json.KubeJson;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * What the strategies of pods and of kinds with a pod template do to an object before validating it, beyond status
 * and generation: upstream's PrepareForCreate/PrepareForUpdate of pkg/registry/core/pod and the
 * DropDisabledTemplateFields calls of the workload strategies, for 1.32's default feature gates.
 */
public final class Prepare {
    private Prepare() {}

    private static final String APPARMOR_PREFIX = PodAnnotations.APPARMOR_PREFIX;

    /**
     * A new Pod, after its status was reset: drops gated-off fields, records that scheduling gates hold it, merges
     * matchLabelKeys/mismatchLabelKeys into its pod (anti-)affinity selectors (MatchLabelKeysInPodAffinity, beta on)
     * and keeps the deprecated AppArmor annotations and the fields in step.
     */
    public static void podCreate(ObjectNode pod, Instant now) {
        ObjectNode spec = KubeJson.child(pod, "spec");
        PodFieldGates.dropDisabled(spec, null);
        schedulingGated(pod, now);
        mutatePodAffinity(spec, JsonReads.obj(pod, "metadata", "labels"));
        appArmorVersionSkew(pod);
    }

    /** A Pod update: drops gated-off fields the stored pod does not use. */
    public static void podUpdate(ObjectNode pod, ObjectNode old) {
        PodFieldGates.dropDisabled(KubeJson.child(pod, "spec"), JsonReads.obj(old, "spec"));
    }

    /** DropDisabledTemplateFields for the pod template at path (e.g. "spec", "template"), old null on create. */
    public static void template(ObjectNode obj, ObjectNode old, String... path) {
        JsonNode template = JsonReads.at(obj, path);
        if (template instanceof ObjectNode t) {
            PodFieldGates.dropDisabledTemplate(t, old == null ? null : JsonReads.obj(old, path));
        }
    }

    /**
     * A StatefulSet create or update: the template's gated-off fields, and updateStrategy.rollingUpdate.maxUnavailable
     * (MaxUnavailableStatefulSet is alpha in 1.32) unless the stored set uses it.
     */
    public static void statefulSet(ObjectNode sts, ObjectNode old) {
        if (!JsonReads.has(old, "spec", "updateStrategy", "rollingUpdate", "maxUnavailable")
                && JsonReads.obj(sts, "spec", "updateStrategy", "rollingUpdate") instanceof ObjectNode rolling) {
            rolling.remove("maxUnavailable");
        }
        template(sts, old, "spec", "template");
    }

    /** applySchedulingGatedCondition: a gated pod is PodScheduled=False for reason SchedulingGated. */
    private static void schedulingGated(ObjectNode pod, Instant now) {
        if (JsonReads.items(pod, "spec", "schedulingGates").isEmpty()) {
            return;
        }
        ObjectNode status = KubeJson.child(pod, "status");
        for (JsonNode c : JsonReads.items(status, "conditions")) {
            if (JsonReads.str(c, "type").equals("PodScheduled")) {
                return;
            }
        }
        ArrayNode conditions = status.get("conditions") instanceof ArrayNode a ? a : status.putArray("conditions");
        conditions
                .addObject()
                .put("type", "PodScheduled")
                .put("status", "False")
                .put("lastProbeTime", (String) null)
                .put("lastTransitionTime", DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS)))
                .put("reason", "SchedulingGated")
                .put("message", "Scheduling is blocked due to non-empty scheduling gates");
    }

    /** mutatePodAffinity: each matchLabelKeys key the pod carries becomes an In requirement, mismatch keys NotIn. */
    private static void mutatePodAffinity(ObjectNode spec, JsonNode labels) {
        for (String kind : List.of("podAffinity", "podAntiAffinity")) {
            JsonNode affinity = JsonReads.obj(spec, "affinity", kind);
            for (JsonNode weighted : JsonReads.items(affinity, "preferredDuringSchedulingIgnoredDuringExecution")) {
                applyLabelKeys(JsonReads.obj(weighted, "podAffinityTerm"), labels);
            }
            for (JsonNode term : JsonReads.items(affinity, "requiredDuringSchedulingIgnoredDuringExecution")) {
                applyLabelKeys((ObjectNode) term, labels);
            }
        }
    }

    private static void applyLabelKeys(ObjectNode term, JsonNode labels) {
        List<String> match = JsonReads.strings(term, "matchLabelKeys");
        List<String> mismatch = JsonReads.strings(term, "mismatchLabelKeys");
        if ((match.isEmpty() && mismatch.isEmpty())
                || !(JsonReads.obj(term, "labelSelector") instanceof ObjectNode sel)) {
            return;
        }
        addRequirements(sel, match, "In", labels);
        addRequirements(sel, mismatch, "NotIn", labels);
    }

    private static void addRequirements(ObjectNode selector, List<String> keys, String operator, JsonNode labels) {
        for (String key : keys) {
            if (JsonReads.has(labels, key)) {
                ArrayNode exprs = selector.get("matchExpressions") instanceof ArrayNode a
                        ? a
                        : selector.putArray("matchExpressions");
                ObjectNode req = exprs.addObject().put("key", key).put("operator", operator);
                req.putArray("values").add(JsonReads.str(labels, key));
            }
        }
    }

    /**
     * applyAppArmorVersionSkew: a container with an AppArmor profile (its own or the pod's) but no annotation gets
     * the annotation; one with a valid annotation but no profile of its own gets the field, unless the pod's profile
     * already says the same. Windows pods are left alone.
     */
    private static void appArmorVersionSkew(ObjectNode pod) {
        JsonNode spec = JsonReads.obj(pod, "spec");
        if (JsonReads.str(spec, "os", "name").equals("windows")) {
            return;
        }
        JsonNode podProfile = JsonReads.obj(spec, "securityContext", "appArmorProfile");
        for (JsonNode c : PodValidation.allContainers(spec)) {
            ObjectNode ctr = (ObjectNode) c;
            String key = APPARMOR_PREFIX + JsonReads.str(ctr, "name");
            JsonNode annotations = JsonReads.obj(pod, "metadata", "annotations");
            JsonNode own = JsonReads.obj(ctr, "securityContext", "appArmorProfile");
            if (!JsonReads.has(annotations, key)) {
                String annotation = annotationFor(own != null ? own : podProfile);
                if (!annotation.isEmpty()) {
                    KubeJson.child(KubeJson.child(pod, "metadata"), "annotations")
                            .put(key, annotation);
                }
            } else if (own == null) {
                ObjectNode field = fieldFor(JsonReads.str(annotations, key));
                if (field != null && !PodUpdateValidation.semanticEqual(field, podProfile)) {
                    KubeJson.child(ctr, "securityContext").set("appArmorProfile", field);
                }
            }
        }
    }

    private static String annotationFor(JsonNode profile) {
        return switch (JsonReads.str(profile, "type")) {
            case "Unconfined" -> "unconfined";
            case "RuntimeDefault" -> "runtime/default";
            case "Localhost" ->
                JsonReads.has(profile, "localhostProfile")
                        ? "localhost/" + JsonReads.str(profile, "localhostProfile")
                        : "";
            default -> "";
        };
    }

    /** The profile an annotation names; null when it names none validly (an empty localhost profile, say). */
    private static ObjectNode fieldFor(String annotation) {
        ObjectNode field = KubeJson.object();
        if (annotation.equals("unconfined")) {
            return field.put("type", "Unconfined");
        }
        if (annotation.equals("runtime/default")) {
            return field.put("type", "RuntimeDefault");
        }
        String profile = annotation.startsWith("localhost/") ? annotation.substring("localhost/".length()) : "";
        if (profile.isEmpty() || !profile.strip().equals(profile) || NameRules.len(profile) > 4095) {
            return null;
        }
        return field.put("type", "Localhost").put("localhostProfile", profile);
    }
}
