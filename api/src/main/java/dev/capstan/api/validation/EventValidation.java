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
        legacyRules(
                new CoreFields(
                        JsonReads.str(JsonReads.obj(event, "metadata"), "namespace"),
                        JsonReads.str(JsonReads.obj(event, "involvedObject"), "namespace"),
                        hasTime(event, "eventTime"),
                        "reportingComponent",
                        JsonReads.str(event, "reportingComponent"),
                        JsonReads.str(event, "reportingInstance"),
                        JsonReads.str(event, "action"),
                        JsonReads.str(event, "reason"),
                        JsonReads.str(event, "message")),
                errs);
    }

    /**
     * An Event's fields as core's internal type names them, read from either served version.
     *
     * @param controllerField where the reporting controller is reported: each version's own field name
     */
    record CoreFields(
            String namespace,
            String involvedNamespace,
            boolean hasEventTime,
            String controllerField,
            String controller,
            String instance,
            String action,
            String reason,
            String message) {}

    /** legacyValidateEvent, which both versions run; paths are core's (involvedObject, message). */
    static void legacyRules(CoreFields event, Errors errs) {
        String namespace = event.namespace();
        String involvedNs = event.involvedNamespace();
        if (!event.hasEventTime()) {
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
            if (event.controller().isEmpty()) {
                errs.required(event.controllerField(), "");
            }
            errs.invalidEach(event.controllerField(), event.controller(), NameRules.qualifiedName(event.controller()));
            if (event.instance().isEmpty()) {
                errs.required("reportingInstance", "");
            }
            tooLong(event.instance(), "reportingInstance", REPORTING_INSTANCE_LIMIT, errs);
            if (event.action().isEmpty()) {
                errs.required("action", "");
            }
            tooLong(event.action(), "action", ACTION_LIMIT, errs);
            if (event.reason().isEmpty()) {
                errs.required("reason", "");
            }
            tooLong(event.reason(), "reason", REASON_LIMIT, errs);
            tooLong(event.message(), "message", NOTE_LIMIT, errs);
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
