package dev.capstan.api.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A kind whose deletion a controller completes (namespaces): the first delete only marks the object, the
 * controller removes its content and then its spec finalizers, and only a delete after that removes it.
 */
public interface FinalizedByController {
    /** What marking the object for deletion sets besides deletionTimestamp (a namespace's Terminating phase). */
    void markDeleting(ObjectNode object);

    /** Whether the controller still has work to do (a namespace's spec.finalizers are not empty). */
    boolean controllerPending(ObjectNode object);

    /** The rules of the {@code finalize} subresource, through which the controller clears its spec finalizers. */
    UpdateStrategy finalizeStrategy();
}
