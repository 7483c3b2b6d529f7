package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.json.JsonReads;
import dev.capstan.model.quantity.Quantity;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A container's environment (ValidateEnv, ValidateEnvFrom and the downward API selectors they share with volumes).
 * RelaxedEnvironmentVariableValidation is beta and on in 1.32, so names only need to be printable ASCII without '='.
 */
final class EnvValidation {
    private EnvValidation() {}

    private static final String RELAXED_NAME_MSG =
            "a valid environment variable name must consist only of printable ASCII characters other than '='";

    /** The downward API fields an env var may read, sorted as upstream lists them. */
    static final List<String> ENV_FIELD_PATHS = List.of(
            "metadata.name",
            "metadata.namespace",
            "metadata.uid",
            "spec.nodeName",
            "spec.serviceAccountName",
            "status.hostIP",
            "status.hostIPs",
            "status.podIP",
            "status.podIPs");
    /** The downward API fields a volume file may read. */
    static final List<String> VOLUME_FIELD_PATHS =
            List.of("metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid");

    private static final List<String> RESOURCE_FIELD_PATHS = List.of(
            "limits.cpu",
            "limits.ephemeral-storage",
            "limits.memory",
            "requests.cpu",
            "requests.ephemeral-storage",
            "requests.memory");
    /** What ConvertDownwardAPIFieldLabel accepts for v1 besides subscripted labels and annotations. */
    private static final Set<String> CONVERTIBLE_FIELDS = Set.of(
            "metadata.annotations",
            "metadata.labels",
            "metadata.name",
            "metadata.namespace",
            "metadata.uid",
            "spec.nodeName",
            "spec.restartPolicy",
            "spec.serviceAccountName",
            "spec.schedulerName",
            "status.phase",
            "status.hostIP",
            "status.hostIPs",
            "status.podIP",
            "status.podIPs");

    private static final Set<String> CPU_DIVISORS = Set.of("1m", "1");
    private static final Set<String> BYTE_DIVISORS =
            Set.of("1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei");
    private static final String BYTE_DIVISOR_LIST = "1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei";

    /** IsRelaxedEnvVarName. */
    static List<String> relaxedName(String value) {
        List<String> errs = new ArrayList<>();
        if (value.isEmpty()) {
            errs.add("environment variable name must be non-empty");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '=') {
                errs.add(RELAXED_NAME_MSG);
                break;
            }
        }
        return errs;
    }

    static void env(List<JsonNode> vars, String path, Errors errs) {
        for (int i = 0; i < vars.size(); i++) {
            JsonNode ev = vars.get(i);
            String ip = Errors.index(path, i);
            String name = JsonReads.str(ev, "name");
            if (name.isEmpty()) {
                errs.required(Errors.child(ip, "name"), "");
            } else {
                errs.invalidEach(Errors.child(ip, "name"), name, relaxedName(name));
            }
            valueFrom(ev, Errors.child(ip, "valueFrom"), errs);
        }
    }

    private static void valueFrom(JsonNode ev, String path, Errors errs) {
        JsonNode from = JsonReads.obj(ev, "valueFrom");
        if (from == null) {
            return;
        }
        int sources = 0;
        if (JsonReads.obj(from, "fieldRef") instanceof JsonNode ref) {
            sources++;
            fieldSelector(ref, ENV_FIELD_PATHS, Errors.child(path, "fieldRef"), errs);
        }
        if (JsonReads.obj(from, "resourceFieldRef") instanceof JsonNode ref) {
            sources++;
            resourceFieldSelector(ref, Errors.child(path, "resourceFieldRef"), false, errs);
        }
        for (String ref : List.of("configMapKeyRef", "secretKeyRef")) {
            if (JsonReads.obj(from, ref) instanceof JsonNode sel) {
                sources++;
                keySelector(sel, Errors.child(path, ref), errs);
            }
        }
        if (sources == 0) {
            errs.invalid(
                    path,
                    "",
                    "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`");
        } else if (!JsonReads.str(ev, "value").isEmpty()) {
            errs.invalid(path, "", "may not be specified when `value` is not empty");
        } else if (sources > 1) {
            errs.invalid(path, "", "may not have more than one field specified at a time");
        }
    }

    /** validateObjectFieldSelector against the given expressions. */
    static void fieldSelector(JsonNode ref, List<String> expressions, String path, Errors errs) {
        String apiVersion = JsonReads.str(ref, "apiVersion");
        String fieldPath = JsonReads.str(ref, "fieldPath");
        if (apiVersion.isEmpty()) {
            errs.required(Errors.child(path, "apiVersion"), "");
            return;
        }
        if (fieldPath.isEmpty()) {
            errs.required(Errors.child(path, "fieldPath"), "");
            return;
        }
        String[] subscripted = splitSubscript(fieldPath);
        String conversionError = null;
        String internal = fieldPath;
        if (!apiVersion.equals("v1")) {
            conversionError = "unsupported pod version: " + apiVersion;
        } else if (subscripted != null) {
            if (!subscripted[0].equals("metadata.annotations") && !subscripted[0].equals("metadata.labels")) {
                conversionError = "field label does not support subscript: " + fieldPath;
            }
        } else if (fieldPath.equals("spec.host")) {
            internal = "spec.nodeName";
        } else if (!CONVERTIBLE_FIELDS.contains(fieldPath)) {
            conversionError = "field label not supported: " + fieldPath;
        }
        if (conversionError != null) {
            errs.invalid(Errors.child(path, "fieldPath"), fieldPath, "error converting fieldPath: " + conversionError);
            return;
        }
        if (subscripted != null) {
            String key =
                    subscripted[0].equals("metadata.annotations") ? NameRules.lower(subscripted[1]) : subscripted[1];
            errs.invalidEach(path, key, NameRules.qualifiedName(key));
        } else if (!expressions.contains(internal)) {
            errs.notSupported(Errors.child(path, "fieldPath"), internal, expressions);
        }
    }

    /** fieldpath.SplitMaybeSubscriptedPath: {path, subscript} for "path['key']", else null. */
    private static String[] splitSubscript(String fieldPath) {
        if (!fieldPath.endsWith("']")) {
            return null;
        }
        String s = fieldPath.substring(0, fieldPath.length() - 2);
        int at = s.indexOf("['");
        if (at <= 0) {
            return null;
        }
        return new String[] {s.substring(0, at), s.substring(at + 2)};
    }

    /** validateContainerResourceFieldSelector; a volume file must also name its container. */
    static void resourceFieldSelector(JsonNode ref, String path, boolean volume, Errors errs) {
        String resource = JsonReads.str(ref, "resource");
        if (volume && JsonReads.str(ref, "containerName").isEmpty()) {
            errs.required(Errors.child(path, "containerName"), "");
        } else if (resource.isEmpty()) {
            errs.required(Errors.child(path, "resource"), "");
        } else if (!RESOURCE_FIELD_PATHS.contains(resource)
                && !resource.startsWith("limits.hugepages-")
                && !resource.startsWith("requests.hugepages-")) {
            errs.notSupported(Errors.child(path, "resource"), resource, RESOURCE_FIELD_PATHS);
        }
        divisor(resource, JsonReads.str(ref, "divisor"), path, errs);
    }

    private static void divisor(String resource, String raw, String path, Errors errs) {
        if (raw.isEmpty()) {
            return;
        }
        Quantity q = Quantity.tryParse(raw).orElse(null);
        if (q == null || q.isZero()) {
            return;
        }
        String d = q.toString();
        String dp = Errors.child(path, "divisor");
        switch (resource) {
            case "limits.cpu", "requests.cpu" -> {
                if (!CPU_DIVISORS.contains(d)) {
                    errs.invalid(dp, resource, "only divisor's values 1m and 1 are supported with the cpu resource");
                }
            }
            case "limits.memory", "requests.memory" -> {
                if (!BYTE_DIVISORS.contains(d)) {
                    errs.invalid(
                            dp,
                            resource,
                            "only divisor's values " + BYTE_DIVISOR_LIST + " are supported with the memory resource");
                }
            }
            case "limits.ephemeral-storage", "requests.ephemeral-storage" -> {
                if (!BYTE_DIVISORS.contains(d)) {
                    errs.invalid(
                            dp,
                            resource,
                            "only divisor's values " + BYTE_DIVISOR_LIST
                                    + " are supported with the local ephemeral storage resource");
                }
            }
            default -> {}
        }
        if ((resource.startsWith("requests.hugepages-") || resource.startsWith("limits.hugepages-"))
                && !BYTE_DIVISORS.contains(d)) {
            errs.invalid(
                    dp,
                    resource,
                    "only divisor's values " + BYTE_DIVISOR_LIST + " are supported with the hugepages resource");
        }
    }

    /** validateConfigMapKeySelector / validateSecretKeySelector: both check the name as a secret name. */
    private static void keySelector(JsonNode sel, String path, Errors errs) {
        String name = JsonReads.str(sel, "name");
        errs.invalidEach(Errors.child(path, "name"), name, NameRules.dns1123Subdomain(name));
        String key = JsonReads.str(sel, "key");
        if (key.isEmpty()) {
            errs.required(Errors.child(path, "key"), "");
        } else {
            errs.invalidEach(Errors.child(path, "key"), key, NameRules.configMapKey(key));
        }
    }

    static void envFrom(List<JsonNode> sources, String path, Errors errs) {
        for (int i = 0; i < sources.size(); i++) {
            JsonNode ev = sources.get(i);
            String ip = Errors.index(path, i);
            String prefix = JsonReads.str(ev, "prefix");
            if (!prefix.isEmpty()) {
                errs.invalidEach(Errors.child(ip, "prefix"), prefix, relaxedName(prefix));
            }
            int count = 0;
            for (String ref : List.of("configMapRef", "secretRef")) {
                if (JsonReads.obj(ev, ref) instanceof JsonNode source) {
                    count++;
                    String name = JsonReads.str(source, "name");
                    String np = Errors.child(Errors.child(ip, ref), "name");
                    if (name.isEmpty()) {
                        errs.required(np, "");
                    } else {
                        // the names are checked as prefixes (upstream passes prefix=true)
                        errs.invalidEach(np, name, NameRules.NameRule.DNS_SUBDOMAIN.check(name, true));
                    }
                }
            }
            // upstream reports these against the list, not the entry
            if (count == 0) {
                errs.invalid(path, "", "must specify one of: `configMapRef` or `secretRef`");
            } else if (count > 1) {
                errs.invalid(path, "", "may not have more than one field specified at a time");
            }
        }
    }
}
