package dev.capstan.api.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.ApiException;
import dev.capstan.api.validation.Cause;
import dev.capstan.api.validation.GoFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * meta/v1 DeleteOptions: from the request body when there is one, otherwise from the query, as upstream's delete
 * handler reads them. Null members were not given.
 *
 * @param propagationPolicy "Orphan", "Background" or "Foreground", or null
 * @param orphanDependents the deprecated form of the propagation policy
 */
public record DeleteOptions(
        Long gracePeriodSeconds,
        String propagationPolicy,
        Boolean orphanDependents,
        List<String> dryRun,
        String preconditionUid,
        String preconditionResourceVersion) {

    public static final String ORPHAN = "Orphan";
    public static final String BACKGROUND = "Background";
    public static final String FOREGROUND = "Foreground";

    public static final DeleteOptions NONE = new DeleteOptions(null, null, null, List.of(), null, null);

    public DeleteOptions {
        dryRun = dryRun == null ? List.of() : List.copyOf(dryRun);
    }

    public boolean isDryRun() {
        return !dryRun.isEmpty();
    }

    public DeleteOptions withGracePeriod(Long seconds) {
        return new DeleteOptions(
                seconds, propagationPolicy, orphanDependents, dryRun, preconditionUid, preconditionResourceVersion);
    }

    public DeleteOptions withPropagation(String policy) {
        return new DeleteOptions(
                gracePeriodSeconds, policy, null, dryRun, preconditionUid, preconditionResourceVersion);
    }

    /** A DeleteOptions body (kubectl sends {@code {"propagationPolicy":"Background"}} and, with --dry-run, dryRun). */
    public static DeleteOptions fromBody(ObjectNode body) {
        JsonNode pre = body.path("preconditions");
        List<String> dryRun = new ArrayList<>();
        JsonNode dry = body.get("dryRun");
        if (dry != null && !dry.isNull()) {
            if (!dry.isArray()) {
                throw ApiException.badRequest("DeleteOptions.dryRun: expected an array of strings");
            }
            dry.forEach(v -> dryRun.add(v.asText()));
        }
        return new DeleteOptions(
                longOrNull(body.get("gracePeriodSeconds"), "gracePeriodSeconds"),
                textOrNull(body.get("propagationPolicy")),
                body.hasNonNull("orphanDependents")
                        ? body.get("orphanDependents").asBoolean()
                        : null,
                dryRun,
                textOrNull(pre.get("uid")),
                textOrNull(pre.get("resourceVersion")));
    }

    /** The query form: {@code ?gracePeriodSeconds=0&propagationPolicy=Foreground&dryRun=All}. */
    public static DeleteOptions fromQuery(Function<String, String> param, List<String> dryRun) {
        String grace = param.apply("gracePeriodSeconds");
        Long period = null;
        if (!grace.isEmpty()) {
            try {
                period = Long.parseLong(grace);
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("gracePeriodSeconds: invalid value \"" + grace + "\": not a number");
            }
        }
        String orphan = param.apply("orphanDependents");
        return new DeleteOptions(
                period,
                param.apply("propagationPolicy").isEmpty() ? null : param.apply("propagationPolicy"),
                orphan.isEmpty() ? null : Boolean.parseBoolean(orphan),
                dryRun,
                null,
                null);
    }

    /** Upstream's ValidateDeleteOptions; failures are a 422 against DeleteOptions. */
    public DeleteOptions validated() {
        List<Cause> causes = new ArrayList<>();
        if (orphanDependents != null && propagationPolicy != null) {
            causes.add(new Cause(
                    "FieldValueInvalid",
                    "Invalid value: " + GoFormat.quote(propagationPolicy)
                            + ": orphanDependents and deletionPropagation cannot be both set",
                    "propagationPolicy"));
        }
        if (propagationPolicy != null
                && !List.of(FOREGROUND, BACKGROUND, ORPHAN).contains(propagationPolicy)) {
            causes.add(new Cause(
                    "FieldValueNotSupported",
                    "Unsupported value: " + GoFormat.quote(propagationPolicy)
                            + ": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"",
                    "propagationPolicy"));
        }
        WriteOptions.dryRunCause(dryRun).ifPresent(causes::add);
        if (!causes.isEmpty()) {
            throw ApiException.invalidOptions("DeleteOptions", causes);
        }
        return this;
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private static Long longOrNull(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.canConvertToLong() || !node.isIntegralNumber()) {
            throw ApiException.badRequest("DeleteOptions." + field + ": expected an integer, got " + node);
        }
        return node.asLong();
    }
}
