package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.JsonReads;
import dev.capstan.model.json.KubeJson;
import java.util.List;

/**
 * Namespace: core validation's ValidateNamespace, ValidateNamespaceUpdate, ValidateNamespaceStatusUpdate and
 * ValidateNamespaceFinalizeUpdate, and core/v1's namespace defaults.
 *
 * <p>The strategies (pkg/registry/core/namespace): a create starts Active and always carries the {@code kubernetes}
 * finalizer ({@link #prepareForCreate}); an update keeps the stored spec.finalizers and status
 * ({@link #prepareForUpdate}); {@code namespaces/status} keeps the stored spec; {@code namespaces/finalize} keeps the
 * stored status. After validation Canonicalize sets the {@code kubernetes.io/metadata.name} label to the final name,
 * which a generateName create only knows then ({@link #canonicalize}).
 */
public final class NamespaceValidation {
    private NamespaceValidation() {}

    private static final String NAME_LABEL = "kubernetes.io/metadata.name";

    /** ValidateNamespace: metadata (DNS-label name, cluster-scoped) and spec.finalizers. */
    public static List<Cause> validateNamespace(ObjectNode obj) {
        Errors errs = new Errors();
        namespace(obj, errs);
        return errs.list();
    }

    /** The strategy's ValidateUpdate: ValidateNamespace, then ValidateNamespaceUpdate (metadata update rules). */
    public static List<Cause> validateNamespaceUpdate(ObjectNode obj, ObjectNode old) {
        Errors errs = new Errors();
        namespace(obj, errs);
        CoreObjectMeta.update(obj, errs);
        return errs.list();
    }

    /** ValidateNamespaceStatusUpdate: Active without a deletionTimestamp, Terminating with one. */
    public static List<Cause> validateNamespaceStatusUpdate(ObjectNode obj, ObjectNode old) {
        Errors errs = new Errors();
        CoreObjectMeta.update(obj, errs);
        String phase = JsonReads.str(JsonReads.obj(obj, "status"), "phase");
        if (!JsonReads.has(JsonReads.obj(obj, "metadata"), "deletionTimestamp")) {
            if (!phase.equals("Active")) {
                // upstream spells this path with a capital P
                errs.invalid("status.Phase", phase, "may only be 'Active' if `deletionTimestamp` is empty");
            }
        } else if (!phase.equals("Terminating")) {
            errs.invalid("status.Phase", phase, "may only be 'Terminating' if `deletionTimestamp` is not empty");
        }
        return errs.list();
    }

    /** ValidateNamespaceFinalizeUpdate: each spec.finalizers entry, reported at its index. */
    public static List<Cause> validateNamespaceFinalizeUpdate(ObjectNode obj, ObjectNode old) {
        Errors errs = new Errors();
        CoreObjectMeta.update(obj, errs);
        List<String> finalizers = JsonReads.strings(JsonReads.obj(obj, "spec"), "finalizers");
        for (int i = 0; i < finalizers.size(); i++) {
            String path = Errors.index("spec.finalizers", i);
            errs.invalidEach(path, finalizers.get(i), NameRules.qualifiedName(finalizers.get(i)));
            MetadataValidation.kubeFinalizerName(finalizers.get(i), path, errs);
        }
        return errs.list();
    }

    /** SetObjectDefaults_Namespace: the name label (when the name is known) and status.phase Active. */
    public static void defaultNamespace(ObjectNode obj) {
        canonicalize(obj);
        ObjectNode status = KubeJson.child(obj, "status");
        PodDefaults.putIfAbsent(status, "phase", "Active");
    }

    /** PrepareForCreate: status is Active and spec.finalizers gains {@code kubernetes} when missing. */
    public static void prepareForCreate(ObjectNode obj) {
        obj.putObject("status").put("phase", "Active");
        ObjectNode spec = KubeJson.child(obj, "spec");
        if (!JsonReads.strings(spec, "finalizers").contains("kubernetes")) {
            ArrayNode finalizers = spec.get("finalizers") instanceof ArrayNode a ? a : spec.putArray("finalizers");
            finalizers.add("kubernetes");
        }
    }

    /** PrepareForUpdate: spec.finalizers and status are kept from the stored namespace. */
    public static void prepareForUpdate(ObjectNode obj, ObjectNode old) {
        ObjectNode spec = KubeJson.child(obj, "spec");
        JsonNode oldFinalizers =
                JsonReads.obj(old, "spec") == null ? null : old.get("spec").get("finalizers");
        if (oldFinalizers == null || oldFinalizers.isNull()) {
            spec.remove("finalizers");
        } else {
            spec.set("finalizers", oldFinalizers.deepCopy());
        }
        keep(obj, old, "status");
    }

    /** The status strategy's PrepareForUpdate: the stored spec is kept. */
    public static void prepareForStatusUpdate(ObjectNode obj, ObjectNode old) {
        keep(obj, old, "spec");
    }

    /** The finalize strategy's PrepareForUpdate: the stored status is kept. */
    public static void prepareForFinalizeUpdate(ObjectNode obj, ObjectNode old) {
        keep(obj, old, "status");
    }

    /** Canonicalize: the {@code kubernetes.io/metadata.name} label always names the namespace. */
    public static void canonicalize(ObjectNode obj) {
        String name = JsonReads.str(JsonReads.obj(obj, "metadata"), "name");
        if (!name.isEmpty()) {
            KubeJson.child(KubeJson.child(obj, "metadata"), "labels").put(NAME_LABEL, name);
        }
    }

    private static void keep(ObjectNode obj, ObjectNode old, String field) {
        if (JsonReads.has(old, field)) {
            obj.set(field, old.get(field).deepCopy());
        } else {
            obj.remove(field);
        }
    }

    private static void namespace(ObjectNode obj, Errors errs) {
        CoreObjectMeta.create(obj, NameRules.NameRule.DNS_LABEL, false, errs);
        ConfigValidation.namespace(obj, errs);
    }
}
