package dev.capstan.api.protobuf;

import com.google.protobuf.Descriptors.FieldDescriptor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What Go's encoding/json does with a field that the protobuf descriptor cannot tell: the generated Go marshallers
 * write every non-pointer field, zero or not, so a zero scalar on the wire may be an omitempty field (not in the
 * JSON) or a pointer set to zero (in the JSON: {@code replicas: 0}). The table is generated from the Go struct tags;
 * see go-json-rules.txt.
 */
final class GoJsonRules {

    private static final String RESOURCE = "go-json-rules.txt";
    private static final GoJsonRules INSTANCE = load();

    private final Set<String> keep = new HashSet<>();
    private final Set<String> inline = new HashSet<>();
    private final Set<String> skip = new HashSet<>();
    private final Map<String, String> rename = new HashMap<>();

    private GoJsonRules() {}

    static GoJsonRules get() {
        return INSTANCE;
    }

    /** The field's name in Kubernetes JSON. */
    String jsonName(FieldDescriptor field) {
        return rename.getOrDefault(field.getFullName(), field.getName());
    }

    /** Whether a zero value of this scalar field is still written (pointer field, or no omitempty). */
    boolean keepsZero(FieldDescriptor field) {
        return keep.contains(field.getFullName());
    }

    /** Whether this message field is an embedded Go struct whose fields belong to the enclosing JSON object. */
    boolean isInline(FieldDescriptor field) {
        return inline.contains(field.getFullName());
    }

    /** Whether this field never appears in JSON. */
    boolean isSkipped(FieldDescriptor field) {
        return skip.contains(field.getFullName());
    }

    /** Full names ({@code package.Message.field}) of every field a rule mentions, for checking the table. */
    Set<String> fieldNames() {
        Set<String> all = new HashSet<>(keep);
        all.addAll(inline);
        all.addAll(skip);
        all.addAll(rename.keySet());
        return all;
    }

    private static GoJsonRules load() {
        GoJsonRules rules = new GoJsonRules();
        try (InputStream in = GoJsonRules.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    rules.add(line.strip());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        return rules;
    }

    private void add(String line) {
        String[] parts = line.split("[ =]", 3);
        if (parts.length != 3) {
            throw new IllegalStateException(RESOURCE + ": malformed line: " + line);
        }
        String message = parts[0];
        for (String field : parts[2].split(",")) {
            switch (parts[1]) {
                case "keep" -> keep.add(message + "." + field);
                case "inline" -> inline.add(message + "." + field);
                case "skip" -> skip.add(message + "." + field);
                case "rename" -> {
                    String[] names = field.split(":", 2);
                    if (names.length != 2) {
                        throw new IllegalStateException(RESOURCE + ": rename needs proto:json in line: " + line);
                    }
                    rename.put(message + "." + names[0], names[1]);
                }
                default -> throw new IllegalStateException(RESOURCE + ": unknown rule in line: " + line);
            }
        }
    }
}
