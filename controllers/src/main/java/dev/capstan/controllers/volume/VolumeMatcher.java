package dev.capstan.controllers.volume;

import dev.capstan.model.labels.LabelSelector;
import dev.capstan.model.pod.ResourceLists;
import dev.capstan.model.quantity.Quantity;
import dev.capstan.model.scheduling.NodeSelectors;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which volume a claim binds to, as upstream's findMatchingVolume (pkg/controller/volume/persistentvolume/index.go):
 * a volume pre-bound to the claim wins; otherwise the smallest available volume of the claim's class and volume mode
 * whose access modes include the claim's, whose capacity covers the request, whose labels match the claim's selector
 * and, when the claim waits for its first consumer, whose node affinity admits the consumer's node.
 */
final class VolumeMatcher {
    private VolumeMatcher() {}

    /** @param node the node of the claim's first consumer; null when binding does not wait for one */
    static Optional<PersistentVolume> bestMatch(
            PersistentVolumeClaim claim, Collection<PersistentVolume> volumes, Node node) {
        PersistentVolume best = null;
        BigDecimal bestSize = null;
        for (PersistentVolume pv : volumes) {
            if (pv.getMetadata().getDeletionTimestamp() != null || !fits(claim, pv, node)) {
                continue;
            }
            ObjectReference ref = pv.getSpec().getClaimRef();
            if (ref != null) {
                if (isFor(ref, claim)) {
                    return Optional.of(pv); // pre-bound to this claim
                }
                continue;
            }
            if (claim.getSpec().getSelector() != null
                    && !LabelSelector.of(claim.getSpec().getSelector())
                            .matches(Objects.requireNonNullElse(pv.getMetadata().getLabels(), java.util.Map.of()))) {
                continue;
            }
            BigDecimal size = capacity(pv);
            if (best == null || size.compareTo(bestSize) < 0) {
                best = pv;
                bestSize = size;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Whether the volume's claimRef names this claim (its UID too, once it has one). */
    static boolean isFor(ObjectReference ref, PersistentVolumeClaim claim) {
        return Objects.equals(ref.getNamespace(), claim.getMetadata().getNamespace())
                && Objects.equals(ref.getName(), claim.getMetadata().getName())
                && (ref.getUid() == null
                        || ref.getUid().isEmpty()
                        || ref.getUid().equals(claim.getMetadata().getUid()));
    }

    private static boolean fits(PersistentVolumeClaim claim, PersistentVolume pv, Node node) {
        if (!className(claim.getSpec().getStorageClassName())
                .equals(className(pv.getSpec().getStorageClassName()))) {
            return false;
        }
        if (!mode(claim.getSpec().getVolumeMode()).equals(mode(pv.getSpec().getVolumeMode()))) {
            return false;
        }
        List<String> offered = Objects.requireNonNullElse(pv.getSpec().getAccessModes(), List.of());
        if (!offered.containsAll(Objects.requireNonNullElse(claim.getSpec().getAccessModes(), List.of()))) {
            return false;
        }
        if (capacity(pv).compareTo(request(claim)) < 0) {
            return false;
        }
        if (node != null
                && pv.getSpec().getNodeAffinity() != null
                && pv.getSpec().getNodeAffinity().getRequired() != null) {
            return NodeSelectors.matches(pv.getSpec().getNodeAffinity().getRequired(), node);
        }
        return true;
    }

    static BigDecimal capacity(PersistentVolume pv) {
        return storage(pv.getSpec().getCapacity());
    }

    static BigDecimal request(PersistentVolumeClaim claim) {
        var resources = claim.getSpec().getResources();
        return storage(resources == null ? null : resources.getRequests());
    }

    private static BigDecimal storage(java.util.Map<String, io.fabric8.kubernetes.api.model.Quantity> list) {
        Quantity q = ResourceLists.of(list == null ? java.util.Map.of() : list).get("storage");
        return q == null ? BigDecimal.ZERO : q.amount();
    }

    private static String className(String name) {
        return name == null ? "" : name;
    }

    private static String mode(String mode) {
        return mode == null ? "Filesystem" : mode;
    }
}
