package dev.capstan.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.api.ApiException;
import dev.capstan.api.Json;

/**
 * The errors of strategic merge patch, with upstream's messages and the status codes kube-apiserver gives them
 * (k8s.io/apiserver handlers/patch.go, {@code interpretStrategicMergePatchError}).
 */
final class PatchFailures {
    private PatchFailures() {}

    /** mergepatch.ErrBadPatchFormatForPrimitiveList, answered 400. */
    static ApiException badPrimitiveList() {
        return ApiException.badRequest("invalid patch format of primitive list");
    }

    /** mergepatch.ErrBadPatchFormatForRetainKeys, answered 400. */
    static ApiException badRetainKeys() {
        return ApiException.badRequest("invalid patch format of retainKeys");
    }

    /** mergepatch.ErrBadPatchFormatForSetElementOrderList, answered 400. */
    static ApiException badSetElementOrder() {
        return ApiException.badRequest("invalid patch format of setElementOrder list");
    }

    /**
     * mergepatch.ErrNoListOfLists: upstream answers 422 Invalid with the generic message of
     * {@code NewGenericServerResponse}, dropping its own text.
     */
    static ApiException listOfLists() {
        return new ApiException(
                422, "Invalid", "the server rejected our request due to an error in our request", Json.object());
    }

    /**
     * Every other error of the algorithm. Upstream returns these untyped, so kube-apiserver answers them 500 with an
     * empty reason; Capstan answers them 400 BadRequest with the same message, since they are the client's mistakes.
     */
    static ApiException failed(String message) {
        return ApiException.badRequest(message);
    }

    /** mergepatch.ErrNoMergeKey. */
    static ApiException noMergeKey(JsonNode map, String mergeKey) {
        return failed("map: " + GoValues.v(map) + " does not contain declared merge key: " + mergeKey);
    }

    /** mergepatch.ErrBadArgType: a value of the wrong Go type where a map or a list was expected. */
    static ApiException badArgType(GoValues.Type expected, JsonNode actual) {
        return failed("expected a " + expected.goName + ", but received a " + GoValues.type(actual).goName);
    }

    /** mergepatch.ErrBadPatchType: a {@code $patch} directive this place does not know. */
    static ApiException badPatchType(JsonNode directive, JsonNode map) {
        return failed("unknown patch type: " + GoValues.s(directive) + " in map: " + GoValues.v(map));
    }
}
