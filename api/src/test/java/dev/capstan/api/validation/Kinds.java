package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.TestRegistry;
import dev.capstan.api.registry.Strategy;
import java.util.List;

/** Validation and defaulting of a kind as its strategy runs them, for tables that name kinds. */
final class Kinds {
    private Kinds() {}

    /** The strategy of a built-in kind; unknown kinds (custom ones) get metadata checks only. */
    static Strategy strategy(String group, String kind) {
        return TestRegistry.builtIn().all().stream()
                .filter(t -> t.group().equals(group) && t.kind().equals(kind))
                .findFirst()
                .map(t -> t.strategy())
                .orElse(null);
    }

    /** A create ({@code old} null) or an update, as the kind's strategy validates it. */
    static List<Cause> validate(String group, String kind, ObjectNode object, ObjectNode old) {
        Strategy strategy = strategy(group, kind);
        if (strategy == null) {
            return Validators.metadata(object, old, Validators.NameRule.SUBDOMAIN);
        }
        return old == null ? strategy.validate(object) : strategy.validateUpdate(object, old);
    }

    /**
     * What the request path does to a new object before validating it: a uid, then the strategy's preparation
     * (a Job's generated selector, a Pod's dropped gated-off fields).
     */
    static void prepareForCreate(String group, String kind, ObjectNode object) {
        object.withObjectProperty("metadata").put("uid", "0bd3c4e6-0d41-4a9e-9a53-6a8e0f3e4d21");
        strategy(group, kind).prepareForCreate(object);
    }

    static void defaults(String group, String kind, ObjectNode object) {
        Strategy strategy = strategy(group, kind);
        if (strategy != null) {
            strategy.applyDefaults(object);
        }
    }

    /** The kind's name rule's messages for {@code name}, without the "Invalid value" prefix. */
    static List<String> nameErrors(String group, String kind, String name) {
        var type = TestRegistry.builtIn().all().stream()
                .filter(t -> t.group().equals(group) && t.kind().equals(kind))
                .findFirst();
        ObjectNode object = TestJson.obj("{}");
        object.putObject("metadata").put("name", name);
        if (type.map(t -> t.namespaced()).orElse(true)) {
            object.withObjectProperty("metadata").put("namespace", "default");
        }
        String prefix = "Invalid value: " + GoFormat.quote(name) + ": ";
        return validate(group, kind, object, null).stream()
                .filter(c -> c.field().equals("metadata.name"))
                .map(c -> c.message().startsWith(prefix) ? c.message().substring(prefix.length()) : c.message())
                .toList();
    }
}
