package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.json.JsonReads;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** ObjectMeta rules of apimachinery's api/validation/objectmeta.go plus core's extra finalizer check. */
final class MetadataValidation {
    private MetadataValidation() {}

    static final int TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;
    private static final Set<String> STANDARD_FINALIZERS = Set.of("kubernetes", "orphan", "foregroundDeletion");

    /**
     * Create-time metadata checks. Name generation runs on the server, so an empty name with a generateName is
     * accepted here and only the prefix is checked.
     */
    static void validateCreate(JsonNode meta, NameRules.NameRule rule, String path, Errors errs) {
        String generateName = JsonReads.str(meta, "generateName");
        if (!generateName.isEmpty()) {
            errs.invalidEach(Errors.child(path, "generateName"), generateName, rule.check(generateName, true));
        }
        String name = JsonReads.str(meta, "name");
        if (name.isEmpty()) {
            if (generateName.isEmpty()) {
                errs.required(Errors.child(path, "name"), "name or generateName is required");
            }
        } else {
            errs.invalidEach(Errors.child(path, "name"), name, rule.check(name, false));
        }
        errs.nonNegative(Errors.child(path, "generation"), JsonReads.num(meta, "generation"));
        validateCommon(meta, path, errs);
    }

    /** Update-time checks; immutability of name, uid and timestamps is left to the server. */
    static void validateUpdate(JsonNode meta, String path, Errors errs) {
        validateCommon(meta, path, errs);
    }

    private static void validateCommon(JsonNode meta, String path, Errors errs) {
        labels(JsonReads.obj(meta, "labels"), Errors.child(path, "labels"), errs);
        annotations(JsonReads.obj(meta, "annotations"), Errors.child(path, "annotations"), errs);
        ownerReferences(JsonReads.items(meta, "ownerReferences"), Errors.child(path, "ownerReferences"), errs);
        finalizers(JsonReads.strings(meta, "finalizers"), Errors.child(path, "finalizers"), errs);
    }

    /** Upstream's ValidateLabels: every error is reported on the labels map itself, not per key. */
    static void labels(JsonNode labels, String path, Errors errs) {
        for (Map.Entry<String, String> e : JsonReads.entries(labels)) {
            errs.invalidEach(path, e.getKey(), NameRules.qualifiedName(e.getKey()));
            errs.invalidEach(path, e.getValue(), NameRules.labelValue(e.getValue()));
        }
    }

    /** Annotation keys follow the qualified-name rule case-insensitively; keys plus values are capped at 256 KiB. */
    static void annotations(JsonNode annotations, String path, Errors errs) {
        long total = 0;
        for (Map.Entry<String, String> e : JsonReads.entries(annotations)) {
            errs.invalidEach(path, e.getKey(), NameRules.qualifiedName(NameRules.lower(e.getKey())));
            total += NameRules.len(e.getKey()) + NameRules.len(e.getValue());
        }
        if (total > TOTAL_ANNOTATION_SIZE_LIMIT) {
            errs.tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT);
        }
    }

    private static void ownerReferences(List<JsonNode> refs, String path, Errors errs) {
        String firstController = "";
        for (JsonNode ref : refs) {
            String apiVersion = JsonReads.str(ref, "apiVersion");
            String version = apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1) : apiVersion;
            if (apiVersion.split("/", -1).length > 2) {
                version = "";
            }
            if (version.isEmpty()) {
                errs.invalid(Errors.child(path, "apiVersion"), apiVersion, "version must not be empty");
            }
            String kind = JsonReads.str(ref, "kind");
            if (kind.isEmpty()) {
                errs.invalid(Errors.child(path, "kind"), kind, "kind must not be empty");
            }
            String name = JsonReads.str(ref, "name");
            if (name.isEmpty()) {
                errs.invalid(Errors.child(path, "name"), name, "name must not be empty");
            }
            if (JsonReads.str(ref, "uid").isEmpty()) {
                errs.invalid(Errors.child(path, "uid"), "", "uid must not be empty");
            }
            if (JsonReads.bool(ref, "controller")) {
                String current = kind + "/" + name;
                if (!firstController.isEmpty()) {
                    errs.invalid(
                            path,
                            new GoFormat.Literal("[]v1.OwnerReference{...}"),
                            "Only one reference can have Controller set to true. Found \"true\" in references for "
                                    + firstController + " and " + current);
                } else {
                    firstController = current;
                }
            }
        }
    }

    private static void finalizers(List<String> finalizers, String path, Errors errs) {
        boolean orphan = false;
        boolean foreground = false;
        for (String f : finalizers) {
            errs.invalidEach(path, f, NameRules.qualifiedName(f));
            orphan |= f.equals("orphan");
            foreground |= f.equals("foregroundDeletion");
        }
        if (orphan && foreground) {
            errs.invalid(
                    path,
                    GoFormat.stringSlice(finalizers),
                    "finalizer orphan and foregroundDeletion cannot be both set");
        }
        for (int i = 0; i < finalizers.size(); i++) {
            kubeFinalizerName(finalizers.get(i), Errors.index(path, i), errs);
        }
    }

    /** Core's extra rule: an unqualified finalizer must be one of the standard ones. */
    static void kubeFinalizerName(String value, String path, Errors errs) {
        if (!value.contains("/") && !STANDARD_FINALIZERS.contains(value)) {
            errs.invalid(path, value, "name is neither a standard finalizer name nor is it fully qualified");
        }
    }
}
