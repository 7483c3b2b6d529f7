package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.JsonReads;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** storage.k8s.io/v1 StorageClass (pkg/apis/storage/validation). It has no status and no generation. */
public final class StorageValidation {
    private StorageValidation() {}

    private static final int MAX_PARAMETERS = 512;
    private static final int MAX_PARAMETERS_SIZE = 256 * 1024;
    private static final List<String> RECLAIM_POLICIES = List.of("Delete", "Retain");
    private static final List<String> BINDING_MODES = List.of("Immediate", "WaitForFirstConsumer");

    /** ValidateStorageClass. */
    public static List<Cause> validateStorageClass(ObjectNode obj) {
        Errors errs = new Errors();
        storageClass(obj, errs);
        return errs.list();
    }

    /** The strategy runs the create rules, then ValidateStorageClassUpdate: everything but metadata is fixed. */
    public static List<Cause> validateStorageClassUpdate(ObjectNode obj, ObjectNode old) {
        Errors errs = new Errors();
        storageClass(obj, errs);
        GroupMeta.update(GroupMeta.meta(obj), errs);
        if (!Objects.equals(GroupMeta.stringMap(obj, "parameters"), GroupMeta.stringMap(old, "parameters"))) {
            errs.forbidden("parameters", "updates to parameters are forbidden.");
        }
        if (!JsonReads.str(obj, "provisioner").equals(JsonReads.str(old, "provisioner"))) {
            errs.forbidden("provisioner", "updates to provisioner are forbidden.");
        }
        if (!JsonReads.str(obj, "reclaimPolicy").equals(JsonReads.str(old, "reclaimPolicy"))) {
            errs.forbidden("reclaimPolicy", "updates to reclaimPolicy are forbidden.");
        }
        GroupMeta.immutable(
                GroupMeta.get(obj, "volumeBindingMode"),
                GroupMeta.get(old, "volumeBindingMode"),
                "volumeBindingMode",
                GroupMeta.pointer(obj, "volumeBindingMode"),
                errs);
        return errs.list();
    }

    private static void storageClass(JsonNode sc, Errors errs) {
        GroupMeta.create(GroupMeta.meta(sc), false, GroupMeta.DNS_SUBDOMAIN, errs);
        String provisioner = JsonReads.str(sc, "provisioner");
        if (provisioner.isEmpty()) {
            errs.required("provisioner", "");
        } else {
            errs.invalidEach("provisioner", provisioner, NameRules.qualifiedName(NameRules.lower(provisioner)));
        }
        parameters(JsonReads.entries(sc, "parameters"), errs);
        String reclaim = JsonReads.str(sc, "reclaimPolicy");
        if (!reclaim.isEmpty() && !RECLAIM_POLICIES.contains(reclaim)) {
            errs.notSupported("reclaimPolicy", reclaim, RECLAIM_POLICIES);
        }
        if (!JsonReads.has(sc, "volumeBindingMode")) {
            errs.required("volumeBindingMode", "");
        } else if (!BINDING_MODES.contains(JsonReads.str(sc, "volumeBindingMode"))) {
            errs.notSupported("volumeBindingMode", JsonReads.str(sc, "volumeBindingMode"), BINDING_MODES);
        }
        allowedTopologies(JsonReads.items(sc, "allowedTopologies"), errs);
    }

    private static void parameters(List<Map.Entry<String, String>> params, Errors errs) {
        if (params.size() > MAX_PARAMETERS) {
            errs.tooLong("parameters", MAX_PARAMETERS);
            return;
        }
        long total = 0;
        for (Map.Entry<String, String> e : params) {
            if (e.getKey().isEmpty()) {
                errs.invalid("parameters", "", "field can not be empty.");
            }
            total += NameRules.len(e.getKey()) + NameRules.len(e.getValue());
        }
        if (total > MAX_PARAMETERS_SIZE) {
            errs.tooLong("parameters", MAX_PARAMETERS_SIZE);
        }
    }

    /**
     * validateAllowedTopologies. Upstream compares each term's key-to-values map with those before it, and its list
     * starts with one empty entry per term, so a term without expressions always reports a duplicate.
     */
    private static void allowedTopologies(List<JsonNode> terms, Errors errs) {
        List<Map<String, Set<String>>> seen = new ArrayList<>();
        for (int i = 0; i < terms.size(); i++) {
            seen.add(Map.of());
        }
        for (int i = 0; i < terms.size(); i++) {
            String path = Errors.index("allowedTopologies", i);
            Map<String, Set<String>> exprs = topologyTerm(terms.get(i), path, errs);
            if (seen.contains(exprs)) {
                errs.duplicate(path + ".matchLabelExpressions", "");
            }
            seen.add(exprs);
        }
    }

    /** ValidateTopologySelectorTerm: the term as key to value set, and its errors. */
    static Map<String, Set<String>> topologyTerm(JsonNode term, String path, Errors errs) {
        Map<String, Set<String>> out = new HashMap<>();
        List<JsonNode> exprs = JsonReads.items(term, "matchLabelExpressions");
        for (int i = 0; i < exprs.size(); i++) {
            String ip = Errors.index(path + ".matchLabelExpressions", i);
            JsonNode req = exprs.get(i);
            List<String> values = JsonReads.strings(req, "values");
            if (values.isEmpty()) {
                errs.required(ip + ".values", "");
            }
            Set<String> set = new HashSet<>();
            for (int j = 0; j < values.size(); j++) {
                if (!set.add(values.get(j))) {
                    errs.duplicate(Errors.index(ip + ".values", j), values.get(j));
                }
            }
            String key = JsonReads.str(req, "key");
            errs.invalidEach(ip + ".key", key, NameRules.qualifiedName(key));
            if (out.containsKey(key)) {
                errs.duplicate(ip + ".key", key);
            }
            out.put(key, set);
        }
        return out;
    }

    /** storage/v1 SetDefaults_StorageClass. */
    public static void defaultStorageClass(ObjectNode obj) {
        GroupMeta.defaultPointer(obj, "reclaimPolicy", "Delete");
        GroupMeta.defaultPointer(obj, "volumeBindingMode", "Immediate");
    }
}
