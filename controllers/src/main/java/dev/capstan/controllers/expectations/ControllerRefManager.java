package dev.capstan.controllers.expectations;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.client.ApiError;
import dev.capstan.client.Kind;
import dev.capstan.client.PatchType;
import dev.capstan.client.ResourceClient;
import dev.capstan.model.json.KubeJson;
import dev.capstan.model.labels.LabelSelector;
import dev.capstan.model.meta.OwnerReferences;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Upstream's BaseControllerRefManager.ClaimObject for one controller over its controllees (pods of a ReplicaSet,
 * ReplicaSets of a Deployment): keeps what it controls and its selector matches, adopts matching orphans and releases
 * what it controls that no longer matches. Adoption and release are merge patches of the whole ownerReferences list
 * carrying the controllee's uid and resourceVersion, so a cache older than the object answers 409 and the caller
 * retries on a fresh cache (upstream sends a strategic merge patch keyed by uid to the same effect).
 *
 * @param <T> the controllees' type
 */
public final class ControllerRefManager<T extends HasMetadata> {
    private final HasMetadata controller;
    private final Kind<?> controllerKind;
    private final LabelSelector selector;
    private final ResourceClient<T> controllees;
    private final Supplier<Exception> canAdopt;
    private Exception adoptionCheck;
    private boolean adoptionChecked;

    /**
     * @param canAdopt upstream's RecheckDeletionTimestamp: called once, before the first adoption, with a fresh read
     *     of the controller; answers why it may not adopt, or null
     */
    public ControllerRefManager(
            HasMetadata controller,
            Kind<?> controllerKind,
            LabelSelector selector,
            ResourceClient<T> controllees,
            Supplier<Exception> canAdopt) {
        this.controller = controller;
        this.controllerKind = controllerKind;
        this.selector = selector;
        this.controllees = controllees;
        this.canAdopt = canAdopt;
    }

    /** The controller's controllerRef as upstream's metav1.NewControllerRef builds it. */
    public static OwnerReference controllerRef(HasMetadata controller, Kind<?> kind) {
        return new OwnerReferenceBuilder()
                .withApiVersion(kind.apiVersion())
                .withKind(kind.kind())
                .withName(controller.getMetadata().getName())
                .withUid(controller.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    /**
     * The objects this controller owns after claiming, in input order. Failures of single adoptions or releases do
     * not stop the others; the first is thrown at the end, as upstream returns its aggregate error.
     */
    public List<T> claim(List<T> objects) throws Exception {
        List<T> claimed = new ArrayList<>();
        Exception first = null;
        for (T object : objects) {
            try {
                if (claimOne(object)) {
                    claimed.add(object);
                }
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
        return claimed;
    }

    private boolean claimOne(T object) throws Exception {
        String uid = controller.getMetadata().getUid();
        var ref = OwnerReferences.controllerOf(object);
        boolean matches = selector.matches(labels(object));
        if (ref.isPresent()) {
            if (!Objects.equals(ref.get().getUid(), uid)) {
                return false;
            }
            if (matches) {
                return true;
            }
            if (controller.getMetadata().getDeletionTimestamp() != null) {
                return false;
            }
            List<OwnerReference> kept = new ArrayList<>(refs(object));
            kept.removeIf(r -> Objects.equals(r.getUid(), uid));
            patchRefs(object, kept, true);
            return false;
        }
        if (controller.getMetadata().getDeletionTimestamp() != null
                || !matches
                || object.getMetadata().getDeletionTimestamp() != null
                || !Objects.equals(
                        controller.getMetadata().getNamespace(),
                        object.getMetadata().getNamespace())) {
            return false;
        }
        if (!adoptionChecked) {
            adoptionCheck = canAdopt.get();
            adoptionChecked = true;
        }
        if (adoptionCheck != null) {
            throw adoptionCheck;
        }
        List<OwnerReference> next = new ArrayList<>(refs(object));
        next.add(controllerRef(controller, controllerKind));
        return patchRefs(object, next, false);
    }

    /** True when patched; a controllee gone (404), or gone and replaced (422 on a uid mismatch), is no error. */
    private boolean patchRefs(T object, List<OwnerReference> refs, boolean release) {
        ObjectNode patch = KubeJson.object();
        ObjectNode meta = patch.putObject("metadata");
        ArrayNode list = meta.putArray("ownerReferences");
        refs.forEach(r -> list.add(KubeJson.tree(r)));
        meta.put("uid", object.getMetadata().getUid());
        meta.put("resourceVersion", object.getMetadata().getResourceVersion());
        try {
            controllees.patch(
                    object.getMetadata().getNamespace(),
                    object.getMetadata().getName(),
                    PatchType.MERGE,
                    patch.toString());
            return true;
        } catch (ApiError e) {
            if (e.isNotFound() || (release && e.code() == 422)) {
                return false;
            }
            throw e;
        }
    }

    private static List<OwnerReference> refs(HasMetadata object) {
        List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
        return refs == null ? List.of() : refs;
    }

    private static java.util.Map<String, String> labels(HasMetadata object) {
        var labels = object.getMetadata().getLabels();
        return labels == null ? java.util.Map.of() : labels;
    }
}
