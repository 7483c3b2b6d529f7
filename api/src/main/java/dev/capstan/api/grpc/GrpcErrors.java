package dev.capstan.api.grpc;

import dev.capstan.api.ApiException;
import dev.capstan.api.Json;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;

/** Kubernetes Status errors as gRPC status codes, with the Status JSON as the description. */
final class GrpcErrors {
    private GrpcErrors() {}

    static StatusRuntimeException of(ApiException e) {
        Status status = switch (e.code()) {
            case 400, 413, 415, 422 -> Status.INVALID_ARGUMENT;
            case 401 -> Status.UNAUTHENTICATED;
            case 403 -> Status.PERMISSION_DENIED;
            case 404 -> Status.NOT_FOUND;
            case 409 -> e.reason().equals("AlreadyExists") ? Status.ALREADY_EXISTS : Status.ABORTED;
            case 410 -> Status.OUT_OF_RANGE;
            case 503 -> Status.UNAVAILABLE;
            case 504 -> Status.DEADLINE_EXCEEDED;
            default -> Status.INTERNAL;
        };
        String json = new String(Json.bytes(e.status()), StandardCharsets.UTF_8);
        return status.withDescription(json).asRuntimeException();
    }
}
