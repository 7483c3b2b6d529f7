package dev.capstan.model.meta;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.json.JsonReads;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.List;
import java.util.Optional;

/** metadata.ownerReferences lookups as apimachinery's metav1 helpers answer them, on trees and fabric8 objects. */
public final class OwnerReferences {
    private OwnerReferences() {}

    /** Upstream's GetControllerOf: the first ownerReference with controller=true. */
    public static Optional<JsonNode> controllerOf(JsonNode object) {
        return JsonReads.items(object, "metadata", "ownerReferences").stream()
                .filter(ref -> JsonReads.bool(ref, "controller"))
                .findFirst();
    }

    /** Upstream's GetControllerOf on a fabric8 object. */
    public static Optional<OwnerReference> controllerOf(HasMetadata object) {
        return references(object).stream()
                .filter(ref -> Boolean.TRUE.equals(ref.getController()))
                .findFirst();
    }

    /** Whether any ownerReference names the owner with this uid. */
    public static boolean isOwnedBy(JsonNode object, String uid) {
        return JsonReads.items(object, "metadata", "ownerReferences").stream()
                .anyMatch(ref -> JsonReads.str(ref, "uid").equals(uid));
    }

    public static boolean isOwnedBy(HasMetadata object, String uid) {
        return references(object).stream().anyMatch(ref -> uid.equals(ref.getUid()));
    }

    /** Upstream's IsControlledBy: the controller reference names the owner with this uid. */
    public static boolean isControlledBy(JsonNode object, String uid) {
        return controllerOf(object)
                .map(ref -> JsonReads.str(ref, "uid").equals(uid))
                .orElse(false);
    }

    public static boolean isControlledBy(HasMetadata object, String uid) {
        return controllerOf(object).map(ref -> uid.equals(ref.getUid())).orElse(false);
    }

    private static List<OwnerReference> references(HasMetadata object) {
        if (object.getMetadata() == null || object.getMetadata().getOwnerReferences() == null) {
            return List.of();
        }
        return object.getMetadata().getOwnerReferences();
    }
}
