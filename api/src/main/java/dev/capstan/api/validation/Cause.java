package dev.capstan.api.validation;

/**
 * One field error as in a 422 Status's {@code details.causes}.
 *
 * @param reason upstream's cause type, e.g. {@code FieldValueRequired} or {@code FieldValueInvalid}
 * @param message upstream's full text including the bad value, e.g. {@code Invalid value: "Foo": a lowercase RFC 1123
 *     subdomain must consist of ...}
 * @param field the field path, e.g. {@code spec.containers[0].name}
 */
public record Cause(String reason, String message, String field) {}
