package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.json.JsonReads;
import dev.capstan.model.json.KubeJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The annotations core validation gives meaning on pods and pod templates (ValidatePodSpecificAnnotations and
 * ValidatePodSpecificAnnotationUpdates) and the create-time checks that deprecated seccomp and AppArmor annotations
 * agree with the fields.
 */
final class PodAnnotations {
    private PodAnnotations() {}

    static final String MIRROR = "kubernetes.io/config.mirror";
    static final String TOLERATIONS = "scheduler.alpha.kubernetes.io/tolerations";
    static final String DELETION_COST = "controller.kubernetes.io/pod-deletion-cost";
    static final String SECCOMP_POD = "seccomp.security.alpha.kubernetes.io/pod";
    static final String SECCOMP_CONTAINER_PREFIX = "container.seccomp.security.alpha.kubernetes.io/";
    static final String APPARMOR_PREFIX = "container.apparmor.security.beta.kubernetes.io/";
    /** The Go types of a toleration's fields, for json.Unmarshal's type errors. */
    private static final Map<String, String> TOLERATION_FIELDS = Map.of(
            "key", "string",
            "operator", "core.TolerationOperator",
            "value", "string",
            "effect", "core.TaintEffect",
            "tolerationSeconds", "int64");

    /** ValidatePodSpecificAnnotations; path is the annotations' path. */
    static void validate(JsonNode annotations, JsonNode spec, String path, PodOptions opts, Errors errs) {
        Map<String, String> all = JsonReads.stringMap(annotations);
        if (all.containsKey(MIRROR) && JsonReads.str(spec, "nodeName").isEmpty()) {
            errs.invalid(
                    Errors.key(path, MIRROR),
                    all.get(MIRROR),
                    "must set spec.nodeName if mirror pod annotation is set");
        }
        if (!all.getOrDefault(TOLERATIONS, "").isEmpty()) {
            tolerations(all.get(TOLERATIONS), path, errs);
        }
        if (!opts.allowInvalidDeletionCost() && !deletionCostValid(annotations)) {
            errs.invalid(Errors.key(path, DELETION_COST), all.get(DELETION_COST), "must be a 32bit integer");
        }
        if (all.containsKey(SECCOMP_POD)) {
            seccompProfile(all.get(SECCOMP_POD), Errors.child(path, SECCOMP_POD), errs);
        }
        all.forEach((k, v) -> {
            if (k.startsWith(SECCOMP_CONTAINER_PREFIX)) {
                seccompProfile(v, Errors.child(path, k), errs);
            }
        });
        all.forEach((k, v) -> {
            if (!k.startsWith(APPARMOR_PREFIX)) {
                return;
            }
            String container = k.substring(APPARMOR_PREFIX.length());
            boolean found = PodValidation.allContainers(spec).stream()
                    .anyMatch(c -> JsonReads.str(c, "name").equals(container));
            if (!found) {
                errs.invalid(Errors.key(path, k), container, "container not found");
            }
            if (!v.isEmpty()
                    && !v.equals("runtime/default")
                    && !v.equals("unconfined")
                    && !v.startsWith("localhost/")) {
                errs.invalid(Errors.key(path, k), v, "invalid AppArmor profile name: " + GoFormat.quote(v));
            }
        });
    }

    /** ValidateTolerationsInPodAnnotations: the annotation must hold a JSON list of valid tolerations. */
    private static void tolerations(String raw, String path, Errors errs) {
        String error = GoJson.syntaxError(raw);
        if (error == null) {
            error = tolerationTypes(raw);
        }
        if (error != null) {
            errs.invalid(path, TOLERATIONS, error);
            return;
        }
        List<JsonNode> list = JsonReads.items(readTree(raw));
        if (!list.isEmpty()) {
            TolerationValidation.validate(list, Errors.child(path, TOLERATIONS), errs);
        }
    }

    /** The json.Unmarshal type errors of a []core.Toleration, for the fields a toleration has. */
    private static String tolerationTypes(String raw) {
        JsonNode tree = readTree(raw);
        if (tree.isNull()) {
            return null;
        }
        if (!tree.isArray()) {
            return "json: cannot unmarshal " + GoJson.kind(raw) + " into Go value of type []core.Toleration";
        }
        for (JsonNode t : tree) {
            if (t.isNull()) {
                continue;
            }
            if (!t.isObject()) {
                return "json: cannot unmarshal " + GoJson.kind(t.toString()) + " into Go value of type core.Toleration";
            }
            for (Map.Entry<String, JsonNode> f : t.properties()) {
                String type = TOLERATION_FIELDS.get(f.getKey());
                JsonNode v = f.getValue();
                boolean number = "int64".equals(type);
                if (type != null && !v.isNull() && (number ? !v.isIntegralNumber() : !v.isTextual())) {
                    return "json: cannot unmarshal " + GoJson.kind(v.toString()) + " into Go struct field Toleration."
                            + f.getKey() + " of type " + type;
                }
            }
        }
        return null;
    }

    private static JsonNode readTree(String raw) {
        try {
            return KubeJson.MAPPER.readTree(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** GetDeletionCostFromPodAnnotations succeeds: absent, or a base-10 int32 without '+' or leading zeros. */
    static boolean deletionCostValid(JsonNode annotations) {
        if (!JsonReads.has(annotations, DELETION_COST)) {
            return true;
        }
        String value = JsonReads.str(annotations, DELETION_COST);
        if (value.isEmpty()) {
            return false;
        }
        char first = value.charAt(0);
        boolean firstOk = first == '-' || value.equals("0") || (first >= '1' && first <= '9');
        if (!firstOk) {
            return false;
        }
        try {
            Integer.parseInt(value);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** ValidateSeccompProfile of a deprecated seccomp annotation value. */
    private static void seccompProfile(String p, String path, Errors errs) {
        if (p.equals("runtime/default") || p.equals("docker/default") || p.equals("unconfined")) {
            return;
        }
        if (p.startsWith("localhost/")) {
            PodVolumes.localDescendingPath(p.substring("localhost/".length()), path, errs);
            return;
        }
        errs.invalid(path, p, "must be a valid seccomp profile");
    }

    /** ValidatePodSpecificAnnotationUpdates' own part: mirror and AppArmor annotations never change. */
    static void updates(JsonNode annotations, JsonNode oldAnnotations, String path, Errors errs) {
        Map<String, String> now = JsonReads.stringMap(annotations);
        Map<String, String> before = JsonReads.stringMap(oldAnnotations);
        before.forEach((k, v) -> {
            if (v.equals(now.get(k))) {
                return;
            }
            if (k.startsWith(APPARMOR_PREFIX)) {
                errs.forbidden(Errors.key(path, k), "may not remove or update AppArmor annotations");
            }
            if (k.equals(MIRROR)) {
                errs.forbidden(Errors.key(path, k), "may not remove or update mirror pod annotation");
            }
        });
        now.keySet().forEach(k -> {
            if (before.containsKey(k)) {
                return;
            }
            if (k.startsWith(APPARMOR_PREFIX)) {
                errs.forbidden(Errors.key(path, k), "may not add AppArmor annotations");
            }
            if (k.equals(MIRROR)) {
                errs.forbidden(Errors.key(path, k), "may not add mirror pod annotation");
            }
        });
    }

    /**
     * validateSeccompAnnotationsAndFields and validateAppArmorAnnotationsAndFieldsMatchOnCreate: where both an
     * annotation and a field are set they must agree.
     */
    static void matchFields(JsonNode annotations, JsonNode spec, String specPath, Errors errs) {
        Map<String, String> all = JsonReads.stringMap(annotations);
        JsonNode podSeccomp = JsonReads.obj(spec, "securityContext", "seccompProfile");
        if (podSeccomp != null && all.containsKey(SECCOMP_POD)) {
            seccompMatch(
                    all.get(SECCOMP_POD), podSeccomp, Errors.child(specPath, "securityContext.seccompProfile"), errs);
        }
        for (Map.Entry<String, JsonNode> e : PodValidation.containersWithPaths(spec, specPath)) {
            JsonNode profile = JsonReads.obj(e.getValue(), "securityContext", "seccompProfile");
            String key = SECCOMP_CONTAINER_PREFIX + JsonReads.str(e.getValue(), "name");
            if (profile != null && all.containsKey(key)) {
                seccompMatch(all.get(key), profile, Errors.child(e.getKey(), "securityContext.seccompProfile"), errs);
            }
        }
        if (JsonReads.str(spec, "os", "name").equals("windows")) {
            return;
        }
        JsonNode podAppArmor = JsonReads.obj(spec, "securityContext", "appArmorProfile");
        for (Map.Entry<String, JsonNode> e : PodValidation.containersWithPaths(spec, specPath)) {
            JsonNode own = JsonReads.obj(e.getValue(), "securityContext", "appArmorProfile");
            JsonNode profile = own != null ? own : podAppArmor;
            String key = APPARMOR_PREFIX + JsonReads.str(e.getValue(), "name");
            if (profile == null || !all.containsKey(key)) {
                continue;
            }
            String annotation = all.get(key);
            String ap = Errors.child(e.getKey(), "securityContext.appArmorProfile");
            String type = JsonReads.str(profile, "type");
            boolean typeMatches = switch (type) {
                case "Unconfined" -> annotation.equals("unconfined");
                case "RuntimeDefault" -> annotation.equals("runtime/default");
                case "Localhost" -> annotation.startsWith("localhost/");
                default -> true;
            };
            if (!typeMatches) {
                errs.forbidden(Errors.child(ap, "type"), "apparmor type in annotation and field must match");
            } else if (type.equals("Localhost")
                    && (!JsonReads.has(profile, "localhostProfile")
                            || !annotation
                                    .substring("localhost/".length())
                                    .equals(JsonReads.str(profile, "localhostProfile")))) {
                errs.forbidden(
                        Errors.child(ap, "localhostProfile"), "apparmor profile in annotation and field must match");
            }
        }
    }

    private static void seccompMatch(String annotation, JsonNode profile, String path, Errors errs) {
        String type = JsonReads.str(profile, "type");
        switch (type) {
            case "Unconfined" -> {
                if (!annotation.equals("unconfined")) {
                    errs.forbidden(Errors.child(path, "type"), "seccomp type in annotation and field must match");
                }
            }
            case "RuntimeDefault" -> {
                if (!annotation.equals("runtime/default") && !annotation.equals("docker/default")) {
                    errs.forbidden(Errors.child(path, "type"), "seccomp type in annotation and field must match");
                }
            }
            case "Localhost" -> {
                if (!annotation.startsWith("localhost/")) {
                    errs.forbidden(Errors.child(path, "type"), "seccomp type in annotation and field must match");
                } else if (!JsonReads.has(profile, "localhostProfile")
                        || !annotation
                                .substring("localhost/".length())
                                .equals(JsonReads.str(profile, "localhostProfile"))) {
                    errs.forbidden(
                            Errors.child(path, "localhostProfile"),
                            "seccomp profile in annotation and field must match");
                }
            }
            default -> {}
        }
    }
}
