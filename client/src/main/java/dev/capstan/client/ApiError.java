package dev.capstan.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.json.KubeJson;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;

/**
 * A call the API server refused or could not serve, with the Kubernetes Status it answered: {@link #code()} is
 * the HTTP code the REST API would have given (404, 409, 410, 422, …) and {@link #reason()} its reason.
 */
public final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int code;
    private final String reason;
    private final java.util.List<String> causeReasons;

    public ApiError(int code, String reason, String message, Throwable cause) {
        this(code, reason, message, java.util.List.of(), cause);
    }

    public ApiError(int code, String reason, String message, java.util.List<String> causeReasons, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.reason = reason;
        this.causeReasons = java.util.List.copyOf(causeReasons);
    }

    /** The error a failed gRPC call stands for: the Status JSON in its description, or its gRPC code alone. */
    public static ApiError of(StatusRuntimeException e) {
        Status status = e.getStatus();
        String description = status.getDescription();
        if (description != null && description.startsWith("{")) {
            try {
                JsonNode json = KubeJson.readTree(description.getBytes(StandardCharsets.UTF_8));
                java.util.List<String> causes = new java.util.ArrayList<>();
                json.path("details")
                        .path("causes")
                        .forEach(c -> causes.add(c.path("reason").asText("")));
                return new ApiError(
                        json.path("code").asInt(codeOf(status)),
                        json.path("reason").asText(""),
                        json.path("message").asText(description),
                        causes,
                        e);
            } catch (IllegalArgumentException notJson) {
                // fall through: a description that only looks like JSON
            }
        }
        String message = description == null ? status.getCode().toString() : description;
        return new ApiError(codeOf(status), reasonOf(status), message, e);
    }

    private static int codeOf(Status status) {
        return switch (status.getCode()) {
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS, ABORTED -> 409;
            case INVALID_ARGUMENT -> 422;
            case OUT_OF_RANGE -> 410;
            case UNAUTHENTICATED -> 401;
            case PERMISSION_DENIED -> 403;
            case DEADLINE_EXCEEDED -> 504;
            case UNAVAILABLE, CANCELLED -> 503;
            default -> 500;
        };
    }

    private static String reasonOf(Status status) {
        return switch (status.getCode()) {
            case NOT_FOUND -> "NotFound";
            case ALREADY_EXISTS -> "AlreadyExists";
            case ABORTED -> "Conflict";
            case OUT_OF_RANGE -> "Expired";
            case UNAUTHENTICATED -> "Unauthorized";
            case PERMISSION_DENIED -> "Forbidden";
            case UNAVAILABLE, CANCELLED -> "ServiceUnavailable";
            default -> "InternalError";
        };
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    /** The reasons of the Status's details.causes, such as NamespaceTerminating. */
    public java.util.List<String> causeReasons() {
        return causeReasons;
    }

    /** A create refused because its namespace is being deleted (upstream's IsNamespaceTerminating check). */
    public boolean isNamespaceTerminating() {
        return code == 403 && causeReasons.contains("NamespaceTerminating");
    }

    public boolean isNotFound() {
        return code == 404;
    }

    public boolean isAlreadyExists() {
        return code == 409 && "AlreadyExists".equals(reason);
    }

    /** A resourceVersion precondition failed: the object changed since it was read. */
    public boolean isConflict() {
        return code == 409 && !"AlreadyExists".equals(reason);
    }

    /** The resourceVersion asked for is compacted away: list again. */
    public boolean isGone() {
        return code == 410;
    }

    /** Worth retrying as it is: the server or the connection failed, not the request. */
    public boolean isTransient() {
        return code == 503 || code == 504 || code == 500 || code == 429;
    }
}
