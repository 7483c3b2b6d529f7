package dev.capstan.model.names;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The text of apimachinery's field.Error and of an aggregate of them, for code that must reproduce upstream's error
 * strings outside an API validation (selector parsing, node affinity). Paths are plain strings; null stands for
 * Go's nil *field.Path, which prints as "&lt;nil&gt;".
 */
public final class FieldErrors {
    private FieldErrors() {}

    /** path.Child(name) */
    public static String child(String path, String name) {
        return path == null ? name : path + "." + name;
    }

    /** path.Index(i) */
    public static String index(String path, int i) {
        return (path == null ? "" : path) + "[" + i + "]";
    }

    /** path.Key(key) */
    public static String key(String path, String key) {
        return (path == null ? "" : path) + "[" + key + "]";
    }

    /** field.Invalid(path, value, detail).Error() for a string value. */
    public static String invalid(String path, String value, String detail) {
        return invalidRendered(path, quote(value), detail);
    }

    /** field.Invalid(...).Error() for a []string value, which upstream prints with %#v. */
    public static String invalid(String path, List<String> values, String detail) {
        return invalidRendered(path, goStringSlice(values), detail);
    }

    private static String invalidRendered(String path, String rendered, String detail) {
        return pathText(path) + ": Invalid value: " + rendered + (detail.isEmpty() ? "" : ": " + detail);
    }

    /** field.NotSupported(path, value, supported).Error(). */
    public static String notSupported(String path, String value, List<String> supported) {
        String detail = supported.isEmpty()
                ? ""
                : ": supported values: "
                        + supported.stream().map(FieldErrors::quote).collect(Collectors.joining(", "));
        return pathText(path) + ": Unsupported value: " + quote(value) + detail;
    }

    /** utilerrors.Aggregate.Error(): one message alone, several deduplicated inside "[...]". */
    public static String aggregate(List<String> messages) {
        List<String> unique = new ArrayList<>(new LinkedHashSet<>(messages));
        if (unique.size() == 1) {
            return unique.get(0);
        }
        return "[" + String.join(", ", unique) + "]";
    }

    /** Go's %q of a string (strconv.Quote) for the characters Kubernetes names and values can hold. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** Go's %#v of a []string; a nil slice (null here) prints as []string(nil). */
    public static String goStringSlice(List<String> values) {
        if (values == null) {
            return "[]string(nil)";
        }
        return values.stream().map(FieldErrors::quote).collect(Collectors.joining(", ", "[]string{", "}"));
    }

    private static String pathText(String path) {
        return path == null ? "<nil>" : path;
    }
}
