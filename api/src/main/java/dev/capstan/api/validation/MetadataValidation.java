package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.json.JsonReads;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/** ObjectMeta rules of apimachinery's api/validation/objectmeta.go plus core's extra finalizer check. */
final class MetadataValidation {
    private MetadataValidation() {}

    static final int TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;
    static final String FIELD_IMMUTABLE = "field is immutable";
    private static final int FIELD_MANAGER_MAX_LENGTH = 128;
    private static final int MAX_SUBRESOURCE_LENGTH = 256;
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

    /** The update-time checks that need no old object. */
    static void validateUpdate(JsonNode meta, String path, Errors errs) {
        validateCommon(meta, path, errs);
    }

    /**
     * ValidateObjectMetaUpdate: what no update may change, then the checks every update makes. The request path
     * copies most system fields from the stored object first, so these rarely fire; a uid or deletion grace period
     * that a request changes does. A missing resourceVersion is the request path's to report (it fills the stored one
     * in for unconditional updates, as upstream's store does before validating).
     */
    static void validateUpdate(JsonNode meta, JsonNode oldMeta, String path, Errors errs) {
        if (JsonReads.has(oldMeta, "deletionTimestamp")) {
            Set<String> extra = new TreeSet<>(JsonReads.strings(meta, "finalizers"));
            extra.removeAll(JsonReads.strings(oldMeta, "finalizers"));
            if (!extra.isEmpty()) {
                errs.forbidden(
                        Errors.child(path, "finalizers"),
                        "no new finalizers can be added if the object is being deleted, found new finalizers "
                                + GoFormat.stringSlice(List.copyOf(extra)).text());
            }
        }
        long generation = JsonReads.numOr(meta, 0, "generation");
        if (generation < JsonReads.numOr(oldMeta, 0, "generation")) {
            errs.invalid(Errors.child(path, "generation"), generation, "must not be decremented");
        }
        for (String f : List.of("name", "namespace", "uid")) {
            String now = JsonReads.str(meta, f);
            if (!now.equals(JsonReads.str(oldMeta, f))) {
                errs.invalid(Errors.child(path, f), now, FIELD_IMMUTABLE);
            }
        }
        for (String f : List.of("creationTimestamp", "deletionTimestamp")) {
            String now = JsonReads.str(meta, f);
            if (!JsonReads.time(meta, f).equals(JsonReads.time(oldMeta, f))) {
                Object value = f.equals("deletionTimestamp") && now.isEmpty() ? null : GoTime.literal(now);
                errs.invalid(Errors.child(path, f), value, FIELD_IMMUTABLE);
            }
        }
        Long grace = JsonReads.num(meta, "deletionGracePeriodSeconds");
        if (!Objects.equals(grace, JsonReads.num(oldMeta, "deletionGracePeriodSeconds"))) {
            errs.invalid(Errors.child(path, "deletionGracePeriodSeconds"), grace, FIELD_IMMUTABLE);
        }
        validateUpdate(meta, path, errs);
    }

    private static void validateCommon(JsonNode meta, String path, Errors errs) {
        labels(JsonReads.obj(meta, "labels"), Errors.child(path, "labels"), errs);
        annotations(JsonReads.obj(meta, "annotations"), Errors.child(path, "annotations"), errs);
        ownerReferences(JsonReads.items(meta, "ownerReferences"), Errors.child(path, "ownerReferences"), errs);
        finalizers(JsonReads.strings(meta, "finalizers"), Errors.child(path, "finalizers"), errs);
        managedFields(JsonReads.items(meta, "managedFields"), Errors.child(path, "managedFields"), errs);
    }

    /** ValidateManagedFields: the operation, the fields type, the manager name and the subresource. */
    private static void managedFields(List<JsonNode> entries, String path, Errors errs) {
        for (int i = 0; i < entries.size(); i++) {
            JsonNode entry = entries.get(i);
            String ip = Errors.index(path, i);
            String operation = JsonReads.str(entry, "operation");
            if (!operation.equals("Apply") && !operation.equals("Update")) {
                errs.invalid(Errors.child(ip, "operation"), operation, "must be `Apply` or `Update`");
            }
            String fieldsType = JsonReads.str(entry, "fieldsType");
            if (!fieldsType.isEmpty() && !fieldsType.equals("FieldsV1")) {
                errs.invalid(Errors.child(ip, "fieldsType"), fieldsType, "must be `FieldsV1`");
            }
            String manager = JsonReads.str(entry, "manager");
            String mp = Errors.child(ip, "manager");
            if (NameRules.len(manager) > FIELD_MANAGER_MAX_LENGTH) {
                errs.tooLong(mp, FIELD_MANAGER_MAX_LENGTH);
            }
            int position = 0;
            for (int cp : manager.codePoints().toArray()) {
                if (Character.isISOControl(cp)
                        || !Character.isDefined(cp)
                        || Character.getType(cp) == Character.FORMAT) {
                    errs.invalid(mp, manager, String.format("invalid character U+%04X (at position %d)", cp, position));
                }
                position += new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            }
            if (NameRules.len(JsonReads.str(entry, "subresource")) > MAX_SUBRESOURCE_LENGTH) {
                errs.tooLong(Errors.child(ip, "subresource"), MAX_SUBRESOURCE_LENGTH);
            }
        }
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
            String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
            if (group.isEmpty() && version.equals("v1") && kind.equals("Event")) {
                // BannedOwners: an Event may not own anything; upstream prints the whole reference
                errs.invalid(path, ownerReference(ref), "/v1, Kind=Event is disallowed from being an owner");
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

    /** A metav1.OwnerReference in %#v form; its pointer fields print as placeholder addresses. */
    private static GoFormat.Literal ownerReference(JsonNode ref) {
        return new GoFormat.Literal("v1.OwnerReference{APIVersion:" + GoFormat.quote(JsonReads.str(ref, "apiVersion"))
                + ", Kind:" + GoFormat.quote(JsonReads.str(ref, "kind")) + ", Name:"
                + GoFormat.quote(JsonReads.str(ref, "name")) + ", UID:" + GoFormat.quote(JsonReads.str(ref, "uid"))
                + ", Controller:(*bool)(" + (JsonReads.has(ref, "controller") ? "0xc000000000" : "nil")
                + "), BlockOwnerDeletion:(*bool)("
                + (JsonReads.has(ref, "blockOwnerDeletion") ? "0xc000000000" : "nil") + ")}");
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
