package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.JsonReads;
import java.util.List;

/**
 * ServiceAccount: core validation's ValidateServiceAccount / ValidateServiceAccountUpdate. Upstream checks only the
 * metadata here: {@code secrets} and {@code imagePullSecrets} are references that may name objects not yet created,
 * so neither their names nor their existence is validated. There are no v1 defaults.
 *
 * <p>The strategy (pkg/registry/core/serviceaccount) cleans the secret references on create and update: each entry of
 * {@code secrets} keeps only its name ({@link #prepareForCreate}). It warns, without refusing, when an entry carries a
 * namespace other than the account's.
 */
public final class ServiceAccountValidation {
    private ServiceAccountValidation() {}

    /** ValidateServiceAccount: metadata with the DNS-subdomain name rule, namespaced. */
    public static List<Cause> validateServiceAccount(ObjectNode obj) {
        Errors errs = new Errors();
        CoreObjectMeta.create(obj, NameRules.NameRule.DNS_SUBDOMAIN, true, errs);
        return errs.list();
    }

    /** ValidateServiceAccountUpdate: metadata update checks, then the create validation again. */
    public static List<Cause> validateServiceAccountUpdate(ObjectNode obj, ObjectNode old) {
        Errors errs = new Errors();
        MetadataValidation.validateUpdate(
                JsonReads.obj(obj, "metadata"), JsonReads.obj(old, "metadata"), "metadata", errs);
        CoreObjectMeta.create(obj, NameRules.NameRule.DNS_SUBDOMAIN, true, errs);
        return errs.list();
    }

    /** No defaults exist for ServiceAccount in core/v1; kept for a uniform strategy surface. */
    public static void defaultServiceAccount(ObjectNode obj) {
        // nothing to default
    }

    /** cleanSecretReferences: each {@code secrets} entry is reduced to its name, on create and on update alike. */
    public static void prepareForCreate(ObjectNode obj) {
        if (obj.get("secrets") instanceof com.fasterxml.jackson.databind.node.ArrayNode secrets) {
            for (int i = 0; i < secrets.size(); i++) {
                JsonNode ref = secrets.get(i);
                ObjectNode clean = secrets.objectNode();
                if (JsonReads.has(ref, "name")) {
                    clean.put("name", JsonReads.str(ref, "name"));
                }
                secrets.set(i, clean);
            }
        }
    }

    /** As {@link #prepareForCreate}: the update strategy cleans the references the same way. */
    public static void prepareForUpdate(ObjectNode obj, ObjectNode old) {
        prepareForCreate(obj);
    }
}
