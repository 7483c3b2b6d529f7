package dev.capstan.api.request;

import dev.capstan.api.ApiException;
import dev.capstan.api.validation.Cause;
import dev.capstan.api.validation.GoFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * The options every write carries, as upstream's Create/Update/PatchOptions: {@code dryRun}, {@code fieldManager}
 * and {@code fieldValidation}. Bad values are a 422 against the options kind, as upstream's handlers answer.
 */
public record WriteOptions(boolean dryRun, String fieldManager, FieldValidation fieldValidation) {
    public static final WriteOptions DEFAULT = new WriteOptions(false, "", FieldValidation.WARN);

    /**
     * Parses the query values of one write; {@code optionsKind} names the options type in errors
     * ("CreateOptions", "UpdateOptions", "PatchOptions").
     */
    public static WriteOptions parse(
            List<String> dryRun, String fieldManager, String fieldValidation, String optionsKind) {
        List<Cause> causes = new ArrayList<>();
        dryRunCause(dryRun).ifPresent(causes::add);
        String manager = fieldManager == null ? "" : fieldManager;
        if (manager.length() > 128) {
            causes.add(new Cause("FieldValueTooLong", "Too long: may not be more than 128 bytes", "fieldManager"));
        } else if (!manager.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            causes.add(new Cause(
                    "FieldValueInvalid",
                    "Invalid value: " + GoFormat.value(manager) + ": must be made of printable characters",
                    "fieldManager"));
        }
        FieldValidation validation;
        try {
            validation = FieldValidation.parse(fieldValidation);
        } catch (ApiException e) {
            validation = FieldValidation.WARN;
            causes.add(new Cause(
                    "FieldValueNotSupported",
                    "Unsupported value: " + GoFormat.value(fieldValidation)
                            + ": supported values: \"\", \"Ignore\", \"Strict\", \"Warn\"",
                    "fieldValidation"));
        }
        if (!causes.isEmpty()) {
            throw ApiException.invalidOptions(optionsKind, causes);
        }
        return new WriteOptions(dryRun != null && !dryRun.isEmpty(), manager, validation);
    }

    /** Upstream's ValidateDryRun: "All" is the only value. */
    static java.util.Optional<Cause> dryRunCause(List<String> dryRun) {
        if (dryRun == null || dryRun.stream().allMatch("All"::equals)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Cause(
                "FieldValueNotSupported",
                "Unsupported value: " + GoFormat.stringSlice(dryRun).text() + ": supported values: \"All\"",
                "dryRun"));
    }
}
