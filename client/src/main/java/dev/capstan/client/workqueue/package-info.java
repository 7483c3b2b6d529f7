/**
 * The work queue of client-go: keys to reconcile, deduplicated, never handed to two workers at once and retried with
 * back-off ({@link dev.capstan.client.workqueue.WorkQueue}), and the workers that drain it ({@link
 * dev.capstan.client.workqueue.ReconcileLoop}), so that controllers never manage threads themselves.
 */
package dev.capstan.client.workqueue;
