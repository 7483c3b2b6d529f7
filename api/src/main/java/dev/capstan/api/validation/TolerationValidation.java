package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.json.JsonReads;
import java.util.List;

/** ValidateTolerations of core validation. */
final class TolerationValidation {
    private TolerationValidation() {}

    private static final List<String> EFFECTS = List.of("NoSchedule", "PreferNoSchedule", "NoExecute");

    static void validate(List<JsonNode> tolerations, String path, Errors errs) {
        for (int i = 0; i < tolerations.size(); i++) {
            JsonNode t = tolerations.get(i);
            String ip = Errors.index(path, i);
            String key = JsonReads.str(t, "key");
            String op = JsonReads.str(t, "operator");
            String effect = JsonReads.str(t, "effect");
            String value = JsonReads.str(t, "value");
            if (!key.isEmpty()) {
                errs.invalidEach(Errors.child(ip, "key"), key, NameRules.qualifiedName(key));
            }
            if (key.isEmpty() && !op.equals("Exists")) {
                errs.invalid(
                        Errors.child(ip, "operator"),
                        op,
                        "operator must be Exists when `key` is empty, which means \"match all values and all keys\"");
            }
            if (JsonReads.has(t, "tolerationSeconds") && !effect.equals("NoExecute")) {
                errs.invalid(
                        Errors.child(ip, "effect"),
                        effect,
                        "effect must be 'NoExecute' when `tolerationSeconds` is set");
            }
            switch (op) {
                case "Equal", "" -> {
                    List<String> msgs = NameRules.labelValue(value);
                    if (!msgs.isEmpty()) {
                        errs.invalid(Errors.child(ip, "operator"), value, String.join(";", msgs));
                    }
                }
                case "Exists" -> {
                    if (!value.isEmpty()) {
                        errs.invalid(
                                Errors.child(ip, "operator"), value, "value must be empty when `operator` is 'Exists'");
                    }
                }
                default -> errs.notSupported(Errors.child(ip, "operator"), op, List.of("Equal", "Exists"));
            }
            if (!effect.isEmpty() && !EFFECTS.contains(effect)) {
                errs.notSupported(Errors.child(ip, "effect"), effect, EFFECTS);
            }
        }
    }
}
