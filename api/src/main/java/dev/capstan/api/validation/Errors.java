package dev.capstan.api.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Collects causes with the same reasons and message shapes as apimachinery's field.Error.ErrorBody. */
final class Errors {
    private final List<Cause> causes = new ArrayList<>();

    /** The upstream maximum for a pod's annotations, a config map or a secret, in bytes. */
    static final int MAX_SECRET_SIZE = 1024 * 1024;

    static String child(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    static String index(String path, int i) {
        return path + "[" + i + "]";
    }

    static String key(String path, String key) {
        return path + "[" + key + "]";
    }

    List<Cause> list() {
        return causes;
    }

    boolean isEmpty() {
        return causes.isEmpty();
    }

    private void add(String reason, String body, String detail, String field) {
        causes.add(new Cause(reason, detail.isEmpty() ? body : body + ": " + detail, field));
    }

    void required(String field, String detail) {
        add("FieldValueRequired", "Required value", detail, field);
    }

    void forbidden(String field, String detail) {
        add("FieldValueForbidden", "Forbidden", detail, field);
    }

    void invalid(String field, Object value, String detail) {
        add("FieldValueInvalid", "Invalid value: " + GoFormat.value(value), detail, field);
    }

    /** One Invalid cause per message, as upstream reports each failed rule separately. */
    void invalidEach(String field, Object value, List<String> messages) {
        messages.forEach(m -> invalid(field, value, m));
    }

    void duplicate(String field, Object value) {
        add("FieldValueDuplicate", "Duplicate value: " + GoFormat.value(value), "", field);
    }

    void notFound(String field, Object value) {
        add("FieldValueNotFound", "Not found: " + GoFormat.value(value), "", field);
    }

    /** A NotFound whose Detail upstream fills in after building it. */
    void notFound(String field, Object value, String detail) {
        add("FieldValueNotFound", "Not found: " + GoFormat.value(value), detail, field);
    }

    void notSupported(String field, Object value, List<String> supported) {
        String detail = supported.isEmpty()
                ? ""
                : supported.stream().map(GoFormat::quote).collect(Collectors.joining(", ", "supported values: ", ""));
        add("FieldValueNotSupported", "Unsupported value: " + GoFormat.value(value), detail, field);
    }

    void tooLong(String field, int maxBytes) {
        add("FieldValueTooLong", "Too long", "may not be more than " + maxBytes + " bytes", field);
    }

    /** Upstream's ValidateNonnegativeField. */
    void nonNegative(String field, Long value) {
        if (value != null && value < 0) {
            invalid(field, value, NameRules.IS_NEGATIVE);
        }
    }
}
