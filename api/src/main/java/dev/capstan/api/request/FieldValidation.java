package dev.capstan.api.request;

import dev.capstan.api.ApiException;

/**
 * What the server does with fields the kind's schema does not have: upstream's {@code fieldValidation} query
 * parameter. Warn is the default, as upstream's.
 */
public enum FieldValidation {
    IGNORE,
    WARN,
    STRICT;

    /** Parses the query value; an unknown one is a 400 listing the accepted values, as upstream words it. */
    public static FieldValidation parse(String value) {
        return switch (value == null ? "" : value) {
            case "", "Warn" -> WARN;
            case "Ignore" -> IGNORE;
            case "Strict" -> STRICT;
            default ->
                throw ApiException.badRequest("fieldValidation: Unsupported value: \"" + value
                        + "\": supported values: \"\", \"Ignore\", \"Strict\", \"Warn\"");
        };
    }
}
