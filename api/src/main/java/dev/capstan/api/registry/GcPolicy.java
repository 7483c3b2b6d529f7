package dev.capstan.api.registry;

/**
 * A kind's default garbage collection policy (upstream's GarbageCollectionPolicy): what happens to an object's
 * dependents when it is deleted without a propagation policy.
 */
public enum GcPolicy {
    /** Dependents are deleted (in the background unless the request asks for foreground). */
    DELETE_DEPENDENTS,
    /** Dependents are orphaned: the {@code orphan} finalizer is added. */
    ORPHAN_DEPENDENTS,
    /** The kind takes no part in garbage collection: no deletion finalizers are ever set. */
    UNSUPPORTED
}
