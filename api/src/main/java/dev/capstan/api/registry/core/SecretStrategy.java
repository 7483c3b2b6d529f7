package dev.capstan.api.registry.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.Strategies;
import dev.capstan.api.registry.Strategy;
import dev.capstan.api.table.CorePrinters;
import dev.capstan.api.table.KindTable;
import dev.capstan.api.validation.Cause;
import dev.capstan.api.validation.Defaulting;
import dev.capstan.api.validation.Validators;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Secrets (upstream pkg/registry/core/secret/strategy.go); selectable by {@code type}. */
public final class SecretStrategy implements Strategy {
    private static final Map<String, Function<JsonNode, String>> FIELDS = Strategies.jsonPathFields("type");

    public static ResourceType resource() {
        return ResourceType.define(io.fabric8.kubernetes.api.model.Secret.class, "", "v1", "Secret", "secrets")
                .build(new SecretStrategy());
    }

    /**
     * Upstream's v1 conversion merges {@code stringData} into {@code data} (base64, its keys winning) when a body is
     * decoded, so a stored or returned Secret never carries stringData.
     */
    @Override
    public void applyDefaults(ObjectNode secret) {
        Defaulting.secret(secret);
        JsonNode strings = secret.remove("stringData");
        if (strings instanceof ObjectNode map && !map.isEmpty()) {
            ObjectNode data = secret.get("data") instanceof ObjectNode d ? d : secret.putObject("data");
            map.properties()
                    .forEach(e -> data.put(
                            e.getKey(),
                            Base64.getEncoder()
                                    .encodeToString(e.getValue().asText().getBytes(StandardCharsets.UTF_8))));
        }
    }

    @Override
    public void prepareForCreate(ObjectNode secret) {}

    /** An update that names no type keeps the stored one. */
    @Override
    public void prepareForUpdate(ObjectNode secret, ObjectNode old) {
        if (secret.path("type").asText("").isEmpty() && old.has("type")) {
            secret.set("type", old.get("type").deepCopy());
        }
    }

    @Override
    public List<Cause> validate(ObjectNode secret) {
        return Validators.secret(secret, null);
    }

    @Override
    public List<Cause> validateUpdate(ObjectNode secret, ObjectNode old) {
        return Validators.secret(secret, old);
    }

    @Override
    public Map<String, Function<JsonNode, String>> fieldAttributes() {
        return FIELDS;
    }

    @Override
    public KindTable table() {
        return CorePrinters.SECRET;
    }
}
