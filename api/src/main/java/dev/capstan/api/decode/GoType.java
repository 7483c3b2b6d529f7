package dev.capstan.api.decode;

import java.util.HashMap;
import java.util.Map;

/**
 * A Go type of upstream's API structs as its JSON decoder sees it, compiled from an OpenAPI schema. {@link #name()}
 * is the type as Go's reflect prints it in decoding errors ({@code int32}, {@code []string},
 * {@code map[string]string}, {@code v1.Container}).
 */
public sealed interface GoType {
    String name();

    /** A struct: its fields by JSON name (filled after construction, so recursive types can refer to themselves). */
    record Struct(String name, String structName, Map<String, GoType> fields) implements GoType {
        public Struct(String name, String structName) {
            this(name, structName, new HashMap<>());
        }

        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    record Slice(GoType element) implements GoType {
        @Override
        public String name() {
            return "[]" + element.name();
        }
    }

    record MapOf(GoType value) implements GoType {
        @Override
        public String name() {
            return "map[string]" + value.name();
        }
    }

    /** A value decoded by Go's own rules for its kind, or by the type's UnmarshalJSON. */
    record Scalar(Kind kind) implements GoType {
        @Override
        public String name() {
            return kind.goName;
        }
    }

    enum Kind {
        STRING("string"),
        BOOL("bool"),
        INT32("int32"),
        INT64("int64"),
        UINT8("uint8"),
        FLOAT32("float32"),
        FLOAT64("float64"),
        /** []byte: a base64 string (or an array of bytes, as Go also accepts). */
        BYTES("[]uint8"),
        /** metav1.Time: null or an RFC 3339 string. */
        TIME("v1.Time"),
        /** metav1.MicroTime: null or an RFC 3339 string with microseconds. */
        MICRO_TIME("v1.MicroTime"),
        /** intstr.IntOrString: a string, else an int32. */
        INT_OR_STRING("intstr.IntOrString"),
        /** resource.Quantity: the value's text (quotes removed) must parse. */
        QUANTITY("resource.Quantity"),
        /** RawExtension, FieldsV1 and free-form objects: any JSON value. */
        ANY("interface {}");

        final String goName;

        Kind(String goName) {
            this.goName = goName;
        }
    }

    GoType STRING = new Scalar(Kind.STRING);
    GoType ANY = new Scalar(Kind.ANY);
}
