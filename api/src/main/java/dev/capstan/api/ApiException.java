package dev.capstan.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.validation.Cause;
import dev.capstan.api.validation.GoFormat;
import java.util.List;

/** A request failure that the API answers with a Kubernetes {@code Status} object. */
public final class ApiException extends RuntimeException {
    private final int code;
    private final String reason;
    private final transient ObjectNode details;

    public ApiException(int code, String reason, String message, ObjectNode details) {
        super(message);
        this.code = code;
        this.reason = reason;
        this.details = details;
    }

    /** This error with one more entry in {@code details.causes}, as upstream adds for some refusals. */
    public ApiException withCause(String reason, String message, String field) {
        ObjectNode d = details == null ? Json.object() : details.deepCopy();
        ArrayNode causes = d.has("causes") ? (ArrayNode) d.get("causes") : d.putArray("causes");
        causes.addObject().put("reason", reason).put("message", message).put("field", field);
        return new ApiException(code, reason(), getMessage(), d);
    }

    /** This error with another message, its details kept. */
    public ApiException withMessage(String message) {
        return new ApiException(code, reason, message, details);
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    /** The Status object as kube-apiserver writes it. */
    public ObjectNode status() {
        ObjectNode status = Json.object();
        status.put("kind", "Status").put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Failure").put("message", getMessage());
        if (!reason.isEmpty()) {
            status.put("reason", reason); // upstream omits an empty (Unknown) reason
        }
        if (details != null) {
            status.set("details", details);
        }
        status.put("code", code);
        return status;
    }

    private static ObjectNode details(ResourceType type, String name) {
        ObjectNode d = Json.object();
        if (name != null) {
            d.put("name", name);
        }
        if (type != null) {
            if (!type.group().isEmpty()) {
                d.put("group", type.group());
            }
            d.put("kind", type.plural());
        }
        return d;
    }

    public static ApiException notFound(ResourceType type, String name) {
        return new ApiException(
                404, "NotFound", type.qualifiedResource() + " \"" + name + "\" not found", details(type, name));
    }

    public static ApiException alreadyExists(ResourceType type, String name) {
        return new ApiException(
                409,
                "AlreadyExists",
                type.qualifiedResource() + " \"" + name + "\" already exists",
                details(type, name));
    }

    public static ApiException conflict(ResourceType type, String name, String why) {
        return new ApiException(
                409,
                "Conflict",
                "Operation cannot be fulfilled on " + type.qualifiedResource() + " \"" + name + "\": " + why,
                details(type, name));
    }

    /** A write whose metadata.uid (or DeleteOptions precondition) names another object than the one stored. */
    public static ApiException uidPreconditionFailed(ResourceType type, String name, String wanted, String stored) {
        return conflict(
                type, name, "Precondition failed: UID in precondition: " + wanted + ", UID in object meta: " + stored);
    }

    public static ApiException staleObject(ResourceType type, String name) {
        return conflict(
                type,
                name,
                "the object has been modified; please apply your changes to the latest version and try again");
    }

    /** Upstream's answer to an error nobody expected: 500 InternalError, naming only the error's type. */
    public static ApiException internal(RuntimeException e) {
        return new ApiException(
                500,
                "InternalError",
                "an error on the server (\"" + e.getClass().getSimpleName()
                        + "\") has prevented the request from succeeding",
                null);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "BadRequest", message, null);
    }

    public static ApiException forbidden(ResourceType type, String name, String why) {
        String subject = name == null ? type.qualifiedResource() : type.qualifiedResource() + " \"" + name + "\"";
        return new ApiException(403, "Forbidden", subject + " is forbidden: " + why, details(type, name));
    }

    /** Upstream's answer to a method no route serves, with the router's message as its one cause. */
    public static ApiException methodNotAllowed() {
        ObjectNode d = Json.object();
        d.putArray("causes")
                .addObject()
                .put("reason", "UnexpectedServerResponse")
                .put("message", "405: Method Not Allowed");
        return new ApiException(
                405, "MethodNotAllowed", "the server does not allow this method on the requested resource", d);
    }

    public static ApiException methodNotAllowed(String message) {
        return new ApiException(405, "MethodNotAllowed", message, null);
    }

    public static ApiException unsupportedMediaType(String contentType) {
        return new ApiException(
                415,
                "UnsupportedMediaType",
                "the body of the request was in an unknown format - "
                        + "accepted media types include: application/json, application/yaml",
                null);
    }

    public static ApiException gone(String message) {
        return new ApiException(410, "Expired", message, null);
    }

    public static ApiException unauthorized() {
        return new ApiException(401, "Unauthorized", "Unauthorized", null);
    }

    public static ApiException tooLarge(String message) {
        return new ApiException(413, "RequestEntityTooLarge", message, null);
    }

    public static ApiException unavailable(String message) {
        return new ApiException(503, "ServiceUnavailable", message, null);
    }

    public static ApiException timeout(String message) {
        return new ApiException(504, "Timeout", message, null);
    }

    /** 422 Invalid with one cause per field error, as kube-apiserver reports validation failures. */
    public static ApiException invalid(ResourceType type, String name, List<Cause> causes) {
        ObjectNode d = details(type, name);
        d.put("kind", type.kind());
        return invalid(type.group(), type.kind(), name, d, causes);
    }

    /** 422 Invalid for an object that is not of a served resource's kind (a Scale, a Binding). */
    public static ApiException invalidKind(String group, String kind, String name, List<Cause> causes) {
        ObjectNode d = Json.object().put("name", name);
        if (!group.isEmpty()) {
            d.put("group", group);
        }
        d.put("kind", kind);
        return invalid(group, kind, name, d, causes);
    }

    /**
     * 422 Invalid for a patch whose result does not decode, as upstream's patch handler reports it: no group, kind or
     * name, one cause on the field {@code patch} whose value is the patched document.
     */
    public static ApiException invalidPatch(String patched, String detail) {
        return invalid(
                "",
                "",
                "",
                Json.object(),
                List.of(new Cause(
                        "FieldValueInvalid", "Invalid value: " + GoFormat.quote(patched) + ": " + detail, "patch")));
    }

    /** 422 Invalid for bad request options such as DeleteOptions or CreateOptions (group meta.k8s.io, no name). */
    public static ApiException invalidOptions(String optionsKind, List<Cause> causes) {
        ObjectNode d = Json.object().put("group", "meta.k8s.io").put("kind", optionsKind);
        return invalid("meta.k8s.io", optionsKind, "", d, causes);
    }

    private static ApiException invalid(String group, String kind, String name, ObjectNode d, List<Cause> causes) {
        ArrayNode list = d.putArray("causes");
        String qualifiedKind = group.isEmpty() ? kind : kind + "." + group;
        StringBuilder message = new StringBuilder(qualifiedKind + " \"" + name + "\" is invalid: ");
        for (int i = 0; i < causes.size(); i++) {
            Cause c = causes.get(i);
            list.addObject()
                    .put("reason", c.reason())
                    .put("message", c.message())
                    .put("field", c.field());
            message.append(i == 0 ? "" : ", ").append(c.field()).append(": ").append(c.message());
        }
        if (causes.size() > 1) {
            // Upstream wraps several errors in brackets.
            int colon = message.indexOf(" is invalid: ") + " is invalid: ".length();
            message.insert(colon, "[").append("]");
        }
        return new ApiException(422, "Invalid", message.toString(), d);
    }
}
