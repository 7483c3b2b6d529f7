package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.json.JsonReads;
import java.util.List;

/**
 * Core's ValidateObjectMeta with its namespace rule: a namespaced kind requires a valid namespace, a cluster-scoped
 * one forbids it. The rest is {@link MetadataValidation}; upstream checks the namespace right after the name.
 */
final class CoreObjectMeta {
    private CoreObjectMeta() {}

    static void create(JsonNode object, NameRules.NameRule rule, boolean namespaced, Errors errs) {
        JsonNode meta = JsonReads.obj(object, "metadata");
        Errors own = new Errors();
        MetadataValidation.validateCreate(meta, rule, "metadata", own);
        List<Cause> causes = own.list();
        int at = 0;
        while (at < causes.size()
                && (causes.get(at).field().equals("metadata.name")
                        || causes.get(at).field().equals("metadata.generateName"))) {
            at++;
        }
        errs.list().addAll(causes.subList(0, at));
        namespace(JsonReads.str(meta, "namespace"), namespaced, errs);
        errs.list().addAll(causes.subList(at, causes.size()));
    }

    static void update(JsonNode object, Errors errs) {
        MetadataValidation.validateUpdate(JsonReads.obj(object, "metadata"), "metadata", errs);
    }

    private static void namespace(String namespace, boolean namespaced, Errors errs) {
        if (namespaced) {
            if (namespace.isEmpty()) {
                errs.required("metadata.namespace", "");
            } else {
                errs.invalidEach("metadata.namespace", namespace, NameRules.dns1123Label(namespace));
            }
        } else if (!namespace.isEmpty()) {
            errs.forbidden("metadata.namespace", "not allowed on this type");
        }
    }
}
