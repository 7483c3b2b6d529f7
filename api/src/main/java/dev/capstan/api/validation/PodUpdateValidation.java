package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.JsonReads;
import dev.capstan.model.quantity.Quantity;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/** ValidatePodUpdate: a pod's spec is immutable except images, activeDeadlineSeconds and added tolerations. */
final class PodUpdateValidation {
    private PodUpdateValidation() {}

    /** InPlacePodVerticalScaling is alpha and off in 1.32, so resources are not in the list. */
    static final String NOT_UPDATABLE = "pod updates may not change fields other than "
            + "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
            + "`spec.tolerations` (only additions to existing tolerations),"
            + "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

    /** Empty maps and absent maps are the same to Go's semantic equality for these fields. */
    private static final Set<String> MAP_FIELDS =
            Set.of("nodeSelector", "limits", "requests", "labels", "annotations", "overhead");

    /** ValidatePodUpdate, with the options upstream derives from both pods. */
    static void validate(JsonNode pod, JsonNode old, Errors errs) {
        JsonNode spec = JsonReads.obj(pod, "spec");
        JsonNode oldSpec = JsonReads.obj(old, "spec");
        JsonNode meta = JsonReads.obj(pod, "metadata");
        JsonNode oldMeta = JsonReads.obj(old, "metadata");
        PodOptions opts = PodOptions.of(spec, oldSpec, oldMeta, true);
        MetadataValidation.validateUpdate(meta, oldMeta, "metadata", errs);
        PodValidation.metadataAndSpec(pod, opts, errs);
        // ValidatePodSpecificAnnotationUpdates, which checks the pod-specific annotations a second time
        PodAnnotations.updates(
                JsonReads.obj(meta, "annotations"),
                JsonReads.obj(oldMeta, "annotations"),
                "metadata.annotations",
                errs);
        PodAnnotations.validate(JsonReads.obj(meta, "annotations"), spec, "metadata.annotations", opts, errs);
        for (String list : List.of("containers", "initContainers")) {
            if (!containerUpdates(JsonReads.items(spec, list), JsonReads.items(oldSpec, list), "spec." + list, errs)) {
                return;
            }
        }
        Long deadline = JsonReads.num(spec, "activeDeadlineSeconds");
        Long oldDeadline = JsonReads.num(oldSpec, "activeDeadlineSeconds");
        if (deadline != null) {
            if (deadline < 0 || deadline > Integer.MAX_VALUE) {
                errs.invalid("spec.activeDeadlineSeconds", deadline, NameRules.rangeError(0, Integer.MAX_VALUE));
                return;
            }
            if (oldDeadline != null && oldDeadline < deadline) {
                errs.invalid("spec.activeDeadlineSeconds", deadline, "must be less than or equal to previous value");
                return;
            }
        } else if (oldDeadline != null) {
            errs.invalid("spec.activeDeadlineSeconds", null, "must not update from a positive integer to nil value");
        }
        onlyAddedTolerations(JsonReads.items(spec, "tolerations"), JsonReads.items(oldSpec, "tolerations"), errs);
        onlyDeletedSchedulingGates(
                JsonReads.items(spec, "schedulingGates"), JsonReads.items(oldSpec, "schedulingGates"), errs);
        if (semanticEqual(spec, oldSpec)) {
            return;
        }
        ObjectNode munged = spec instanceof ObjectNode s ? s.deepCopy() : JsonNodeFactory.instance.objectNode();
        for (String list : List.of("containers", "initContainers")) {
            List<JsonNode> oldCtrs = JsonReads.items(oldSpec, list);
            List<JsonNode> ctrs = JsonReads.items(munged, list);
            for (int i = 0; i < ctrs.size(); i++) {
                ((ObjectNode) ctrs.get(i)).set("image", oldCtrs.get(i).get("image"));
            }
        }
        for (String f : List.of("activeDeadlineSeconds", "schedulingGates", "tolerations")) {
            copyFrom(munged, oldSpec, f);
        }
        Long oldGrace = JsonReads.num(oldSpec, "terminationGracePeriodSeconds");
        Long grace = JsonReads.num(munged, "terminationGracePeriodSeconds");
        if (oldGrace != null && oldGrace < 0 && grace != null && grace == 1) {
            copyFrom(munged, oldSpec, "terminationGracePeriodSeconds");
        }
        if (!JsonReads.items(oldSpec, "schedulingGates").isEmpty()) {
            GatedPodUpdates.apply(munged, oldSpec, errs);
        }
        if (!semanticEqual(munged, oldSpec)) {
            List<String> diff = new ArrayList<>();
            diff(oldSpec, munged, "", diff);
            errs.forbidden("spec", NOT_UPDATABLE + "\n" + String.join("\n", diff));
        }
    }

    private static void copyFrom(ObjectNode target, JsonNode source, String field) {
        if (JsonReads.has(source, field)) {
            target.set(field, source.get(field).deepCopy());
        } else {
            target.remove(field);
        }
    }

    /** Returns false when the container count changed, after which upstream stops validating. */
    private static boolean containerUpdates(List<JsonNode> ctrs, List<JsonNode> old, String path, Errors errs) {
        if (ctrs.size() != old.size()) {
            errs.forbidden(path, "pod updates may not add or remove containers");
            return false;
        }
        for (int i = 0; i < ctrs.size(); i++) {
            String image = JsonReads.str(ctrs.get(i), "image");
            if (image.isEmpty()) {
                errs.required(Errors.index(path, i) + ".image", "");
            }
            if (!image.strip().equals(image)) {
                errs.invalid(Errors.index(path, i) + ".image", image, "must not have leading or trailing whitespace");
            }
        }
        return true;
    }

    private static void onlyAddedTolerations(List<JsonNode> tolerations, List<JsonNode> old, Errors errs) {
        for (JsonNode o : old) {
            boolean found = tolerations.stream().anyMatch(t -> sameExceptSeconds(o, t));
            if (!found) {
                errs.forbidden(
                        "spec.tolerations",
                        "existing toleration can not be modified except its " + "tolerationSeconds");
                return;
            }
        }
        TolerationValidation.validate(tolerations, "spec.tolerations", errs);
    }

    private static boolean sameExceptSeconds(JsonNode a, JsonNode b) {
        for (String f : List.of("key", "operator", "value", "effect")) {
            if (!JsonReads.str(a, f).equals(JsonReads.str(b, f))) {
                return false;
            }
        }
        return true;
    }

    private static void onlyDeletedSchedulingGates(List<JsonNode> gates, List<JsonNode> old, Errors errs) {
        Set<String> oldNames = new HashSet<>();
        old.forEach(g -> oldNames.add(JsonReads.str(g, "name")));
        for (int i = 0; i < gates.size(); i++) {
            String name = JsonReads.str(gates.get(i), "name");
            if (!oldNames.contains(name)) {
                errs.forbidden(
                        Errors.index("spec.schedulingGates", i) + ".name",
                        "only deletion is allowed, but found new scheduling gate '" + name + "'");
            }
        }
    }

    /**
     * JSON equality approximating Go's semantic DeepEqual after decoding: null, "" and [] equal an absent field,
     * empty maps equal absent maps, and quantities compare by value.
     */
    static boolean semanticEqual(JsonNode a, JsonNode b) {
        return Objects.equals(normalise(a, ""), normalise(b, ""));
    }

    private static JsonNode normalise(JsonNode node, String name) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if ((name.equals("limits") || name.equals("requests")) && node.isObject()) {
            ObjectNode out = node.deepCopy();
            out.properties().forEach(e -> {
                try {
                    e.setValue(
                            out.textNode(Quantity.parse(e.getValue().asText()).canonical()));
                } catch (IllegalArgumentException ignored) {
                    // an unparseable quantity compares as written
                }
            });
            return out.isEmpty() ? null : out;
        }
        if (node.isObject()) {
            ObjectNode out = node.deepCopy();
            for (Iterator<Map.Entry<String, JsonNode>> it = out.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode n = normalise(e.getValue(), e.getKey());
                if (n == null) {
                    it.remove();
                } else {
                    e.setValue(n);
                }
            }
            return out.isEmpty() && MAP_FIELDS.contains(name) ? null : out;
        }
        if (node.isArray()) {
            ArrayNode out = ((ArrayNode) node).arrayNode();
            node.forEach(n -> {
                JsonNode v = normalise(n, "");
                out.add(v == null ? out.nullNode() : v);
            });
            return out.isEmpty() ? null : out;
        }
        if (node.isIntegralNumber()) {
            // int and long nodes of the same value are the same Go integer
            return LongNode.valueOf(node.asLong());
        }
        return node.isTextual() && node.textValue().isEmpty() ? null : node;
    }

    /** A short field-by-field account of what changed, standing in for upstream's cmp.Diff text. */
    private static void diff(JsonNode old, JsonNode now, String path, List<String> out) {
        JsonNode a = normalise(old, "");
        JsonNode b = normalise(now, "");
        if (a != null && b != null && a.isObject() && b.isObject()) {
            Set<String> keys = new TreeSet<>();
            a.properties().forEach(e -> keys.add(e.getKey()));
            b.properties().forEach(e -> keys.add(e.getKey()));
            keys.forEach(k -> diff(a.get(k), b.get(k), path.isEmpty() ? k : path + "." + k, out));
        } else if (a != null && b != null && a.isArray() && b.isArray() && a.size() == b.size()) {
            for (int i = 0; i < a.size(); i++) {
                diff(a.get(i), b.get(i), path + "[" + i + "]", out);
            }
        } else if (a == null ? b != null : !a.equals(b)) {
            out.add("- " + path + ": " + (a == null ? "null" : a));
            out.add("+ " + path + ": " + (b == null ? "null" : b));
        }
    }
}
