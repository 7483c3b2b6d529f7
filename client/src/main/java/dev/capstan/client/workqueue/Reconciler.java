package dev.capstan.client.workqueue;

/**
 * Brings the world in line with what {@code key} names, called by a {@link ReconcileLoop}. Never called for one key
 * from two threads at once. A thrown exception has the key retried with the queue's rate limiter.
 */
@FunctionalInterface
public interface Reconciler<K> {
    Result reconcile(K key) throws Exception;
}
