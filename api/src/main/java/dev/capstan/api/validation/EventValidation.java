package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.JsonReads;
import java.util.List;

/**
 * core/v1 Event: core validation's ValidateEventCreate / ValidateEventUpdate for a request of version v1, which upstream
 * keeps to the legacy rules for compatibility (the stricter events.k8s.io/v1 rules do not apply). Those rules do not
 * look at the metadata; as for every kind, the server's generic ObjectMeta check runs after them. There are no
 * defaults and the strategy (pkg/registry/core/event) resets nothing.
 */
public final class EventValidation {
    private EventValidation() {}

    private static final int REPORTING_INSTANCE_LIMIT = 128;
    private static final int ACTION_LIMIT = 128;
    private static final int REASON_LIMIT = 128;
    private static final int NOTE_LIMIT = 1024;

    /** ValidateEventCreate for core/v1: the legacy rules. */
    public static List<Cause> validateEvent(ObjectNode obj) {
        Errors errs = new Errors();
        legacy(obj, errs);
        return errs.list();
    }

    /** ValidateEventUpdate for core/v1: the new event passes the legacy rules; nothing is immutable at v1. */
    public static List<Cause> validateEventUpdate(ObjectNode obj, ObjectNode old) {
        return validateEvent(obj);
    }

    /** core/v1 has no Event defaults; kept for a uniform strategy surface. */
    public static void defaultEvent(ObjectNode obj) {
        // nothing to default
    }

    private static void legacy(ObjectNode event, Errors errs) {
        String namespace = JsonReads.str(JsonReads.obj(event, "metadata"), "namespace");
        JsonNode involved = JsonReads.obj(event, "involvedObject");
        String involvedNs = JsonReads.str(involved, "namespace");
        if (!hasTime(event, "eventTime")) {
            // an old-style event: its namespace must agree with the involved object's
            boolean ok = involvedNs.isEmpty()
                    ? namespace.isEmpty() || namespace.equals("default")
                    : namespace.equals(involvedNs);
            if (!ok) {
                errs.invalid("involvedObject.namespace", involvedNs, "does not match event.namespace");
            }
        } else {
            if (involvedNs.isEmpty() && !namespace.equals("default") && !namespace.equals("kube-system")) {
                errs.invalid("involvedObject.namespace", involvedNs, "does not match event.namespace");
            }
            // the v1 name of reportingController
            String controller = JsonReads.str(event, "reportingComponent");
            if (controller.isEmpty()) {
                errs.required("reportingComponent", "");
            }
            errs.invalidEach("reportingComponent", controller, NameRules.qualifiedName(controller));
            String instance = JsonReads.str(event, "reportingInstance");
            if (instance.isEmpty()) {
                errs.required("reportingInstance", "");
            }
            tooLong(instance, "reportingInstance", REPORTING_INSTANCE_LIMIT, errs);
            String action = JsonReads.str(event, "action");
            if (action.isEmpty()) {
                errs.required("action", "");
            }
            tooLong(action, "action", ACTION_LIMIT, errs);
            String reason = JsonReads.str(event, "reason");
            if (reason.isEmpty()) {
                errs.required("reason", "");
            }
            tooLong(reason, "reason", REASON_LIMIT, errs);
            tooLong(JsonReads.str(event, "message"), "message", NOTE_LIMIT, errs);
        }
        errs.invalidEach("namespace", namespace, NameRules.dns1123Subdomain(namespace));
    }

    /** Upstream reports these with an empty bad value and counts bytes. */
    private static void tooLong(String value, String path, int limit, Errors errs) {
        if (NameRules.len(value) > limit) {
            errs.invalid(path, "", "can have at most " + limit + " characters");
        }
    }

    /** A set timestamp; Go's zero time ("0001-01-01T00:00:00Z") counts as unset. */
    private static boolean hasTime(JsonNode event, String field) {
        String t = JsonReads.str(event, field);
        return !t.isEmpty() && !t.startsWith("0001-01-01T00:00:00");
    }
}
