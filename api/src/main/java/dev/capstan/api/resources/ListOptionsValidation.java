package dev.capstan.api.resources;

import dev.capstan.api.ApiException;
import dev.capstan.api.validation.Cause;
import dev.capstan.api.validation.GoFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * Upstream's ValidateListOptions (apimachinery's meta internalversion validation, with the WatchList feature on, as
 * Capstan serves sendInitialEvents): which combinations of resourceVersionMatch, resourceVersion, continue and
 * sendInitialEvents a list, a watch or a collection delete may carry. Anything else is 422 Invalid ListOptions.
 */
public final class ListOptionsValidation {
    private static final String MATCH = "resourceVersionMatch";
    private static final String EXACT = "Exact";
    private static final String NOT_OLDER_THAN = "NotOlderThan";

    private ListOptionsValidation() {}

    /** {@code sendInitialEvents}: whether the parameter was given at all (upstream's pointer is then set). */
    public static void validate(
            boolean watch, String resourceVersion, String match, String continueToken, boolean sendInitialEvents) {
        List<Cause> causes = watch
                ? watchCauses(match, continueToken, sendInitialEvents)
                : listCauses(resourceVersion, match, continueToken, sendInitialEvents);
        if (!causes.isEmpty()) {
            throw ApiException.invalidOptions("ListOptions", causes);
        }
    }

    private static List<Cause> listCauses(
            String resourceVersion, String match, String continueToken, boolean sendInitialEvents) {
        List<Cause> causes = new ArrayList<>();
        if (!match.isEmpty()) {
            if (resourceVersion.isEmpty()) {
                causes.add(forbidden(MATCH, "resourceVersionMatch is forbidden unless resourceVersion is provided"));
            }
            if (!continueToken.isEmpty()) {
                causes.add(forbidden(MATCH, "resourceVersionMatch is forbidden when continue is provided"));
            }
            if (match.equals(EXACT)) {
                if (resourceVersion.equals("0")) {
                    causes.add(
                            forbidden(MATCH, "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""));
                }
            } else if (!match.equals(NOT_OLDER_THAN)) {
                causes.add(notSupported(match, "\"Exact\", \"NotOlderThan\", \"\""));
            }
        }
        if (sendInitialEvents) {
            causes.add(forbidden("sendInitialEvents", "sendInitialEvents is forbidden for list"));
        }
        return causes;
    }

    private static List<Cause> watchCauses(String match, String continueToken, boolean sendInitialEvents) {
        List<Cause> causes = new ArrayList<>();
        if (sendInitialEvents && !match.equals(NOT_OLDER_THAN)) {
            causes.add(forbidden(MATCH, "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"));
        }
        if (!match.isEmpty()) {
            if (!sendInitialEvents) {
                causes.add(forbidden(
                        MATCH, "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"));
            }
            if (!match.equals(NOT_OLDER_THAN)) {
                causes.add(notSupported(match, "\"NotOlderThan\""));
            }
            if (!continueToken.isEmpty()) {
                causes.add(forbidden(MATCH, "resourceVersionMatch is forbidden when continue is provided"));
            }
        }
        return causes;
    }

    private static Cause forbidden(String field, String detail) {
        return new Cause("FieldValueForbidden", "Forbidden: " + detail, field);
    }

    private static Cause notSupported(String match, String supported) {
        return new Cause(
                "FieldValueNotSupported",
                "Unsupported value: " + GoFormat.quote(match) + ": supported values: " + supported,
                MATCH);
    }
}
