package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.json.JsonReads;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** ConfigMap, Secret and Namespace rules of core validation. */
final class ConfigValidation {
    private ConfigValidation() {}

    private static final String IMMUTABLE = "field is immutable when `immutable` is set";

    /** ValidateConfigMap (with old: first the update checks of ValidateConfigMapUpdate). */
    static void configMap(JsonNode cm, JsonNode old, Errors errs) {
        if (old != null) {
            configMapUpdate(cm, old, errs);
        }
        configMapData(cm, errs);
    }

    /** An immutable config map keeps its data and stays immutable. */
    static void configMapUpdate(JsonNode cm, JsonNode old, Errors errs) {
        if (JsonReads.bool(old, "immutable")) {
            if (!JsonReads.bool(cm, "immutable")) {
                errs.forbidden("immutable", IMMUTABLE);
            }
            for (String f : List.of("data", "binaryData")) {
                if (!PodUpdateValidation.semanticEqual(JsonReads.obj(cm, f), JsonReads.obj(old, f))) {
                    errs.forbidden(f, IMMUTABLE);
                }
            }
        }
    }

    private static void configMapData(JsonNode cm, Errors errs) {
        long total = 0;
        JsonNode binary = JsonReads.obj(cm, "binaryData");
        for (Map.Entry<String, String> e : JsonReads.entries(cm, "data")) {
            String path = Errors.key("data", e.getKey());
            errs.invalidEach(path, e.getKey(), NameRules.configMapKey(e.getKey()));
            if (JsonReads.has(binary, e.getKey())) {
                errs.invalid(path, e.getKey(), "duplicate of key present in binaryData");
            }
            total += NameRules.len(e.getValue());
        }
        for (Map.Entry<String, String> e : JsonReads.entries(binary)) {
            errs.invalidEach(Errors.key("binaryData", e.getKey()), e.getKey(), NameRules.configMapKey(e.getKey()));
            total += decodedLength(e.getValue());
        }
        if (total > Errors.MAX_SECRET_SIZE) {
            // upstream reports the size error against the whole object, with an empty field path
            errs.tooLong("", Errors.MAX_SECRET_SIZE);
        }
    }

    /** ValidateSecret (with old: first the update checks of ValidateSecretUpdate). */
    static void secret(JsonNode secret, JsonNode old, Errors errs) {
        if (old != null) {
            secretUpdate(secret, old, errs);
        }
        secretData(secret, errs);
    }

    /** The type never changes; an immutable secret keeps its data and stays immutable. */
    static void secretUpdate(JsonNode secret, JsonNode old, Errors errs) {
        String type = JsonReads.str(secret, "type");
        if (!type.equals(JsonReads.str(old, "type"))) {
            errs.invalid("type", type, "field is immutable");
        }
        if (JsonReads.bool(old, "immutable")) {
            if (!JsonReads.bool(secret, "immutable")) {
                errs.forbidden("immutable", IMMUTABLE);
            }
            if (!data(secret).equals(data(old))) {
                errs.forbidden("data", IMMUTABLE);
            }
        }
    }

    private static void secretData(JsonNode secret, Errors errs) {
        String type = JsonReads.str(secret, "type");
        Map<String, byte[]> data = new LinkedHashMap<>();
        data(secret).forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.ISO_8859_1)));
        long total = 0;
        for (Map.Entry<String, byte[]> e : data.entrySet()) {
            errs.invalidEach(Errors.key("data", e.getKey()), e.getKey(), NameRules.configMapKey(e.getKey()));
            total += e.getValue().length;
        }
        if (total > Errors.MAX_SECRET_SIZE) {
            errs.tooLong("data", Errors.MAX_SECRET_SIZE);
        }
        switch (type) {
            case "kubernetes.io/service-account-token" -> {
                JsonNode annotations = JsonReads.obj(JsonReads.obj(secret, "metadata"), "annotations");
                if (JsonReads.str(annotations, "kubernetes.io/service-account.name")
                        .isEmpty()) {
                    errs.required("metadata.annotations[kubernetes.io/service-account.name]", "");
                }
            }
            case "kubernetes.io/dockercfg" -> dockerConfig(data, ".dockercfg", errs);
            case "kubernetes.io/dockerconfigjson" -> dockerConfig(data, ".dockerconfigjson", errs);
            case "kubernetes.io/basic-auth" -> {
                if (!data.containsKey("username") && !data.containsKey("password")) {
                    errs.required("data[username]", "");
                    errs.required("data[password]", "");
                }
            }
            case "kubernetes.io/ssh-auth" -> {
                if (data.getOrDefault("ssh-privatekey", new byte[0]).length == 0) {
                    errs.required("data[ssh-privatekey]", "");
                }
            }
            case "kubernetes.io/tls" -> {
                requireKey(data, "tls.crt", errs);
                requireKey(data, "tls.key", errs);
            }
            default -> {}
        }
    }

    /** The docker config must be present and a JSON object, as json.Unmarshal into a map would see it. */
    private static void dockerConfig(Map<String, byte[]> data, String key, Errors errs) {
        if (!data.containsKey(key)) {
            errs.required(Errors.key("data", key), "");
            return;
        }
        String text = new String(data.get(key), StandardCharsets.UTF_8);
        String error = GoJson.syntaxError(text);
        if (error == null) {
            String kind = GoJson.kind(text);
            if (!kind.equals("object") && !kind.equals("null")) {
                error = "json: cannot unmarshal " + kind + " into Go value of type map[string]interface {}";
            }
        }
        if (error != null) {
            errs.invalid(Errors.key("data", key), "<secret contents redacted>", error);
        }
    }

    private static void requireKey(Map<String, byte[]> data, String key, Errors errs) {
        if (!data.containsKey(key)) {
            errs.required(Errors.key("data", key), "");
        }
    }

    /**
     * The secret's data as upstream validates it: base64-decoded data with stringData merged over it (the v1
     * conversion does that before validation). Bytes are held as ISO-8859-1 strings to compare by value.
     */
    private static Map<String, String> data(JsonNode secret) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : JsonReads.entries(secret, "data")) {
            out.put(e.getKey(), new String(decode(e.getValue()), StandardCharsets.ISO_8859_1));
        }
        for (Map.Entry<String, String> e : JsonReads.entries(secret, "stringData")) {
            out.put(e.getKey(), new String(e.getValue().getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    private static byte[] decode(String b64) {
        try {
            return Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            // undecodable data is refused while decoding the request; count its bytes as written
            return b64.getBytes(StandardCharsets.UTF_8);
        }
    }

    private static long decodedLength(String b64) {
        return decode(b64).length;
    }

    /** Namespace spec.finalizers are checked like metadata finalizers, reported on the list path. */
    static void namespace(JsonNode ns, Errors errs) {
        for (String f : JsonReads.strings(JsonReads.obj(ns, "spec"), "finalizers")) {
            errs.invalidEach("spec.finalizers", f, NameRules.qualifiedName(f));
            MetadataValidation.kubeFinalizerName(f, "spec.finalizers", errs);
        }
    }
}
