package dev.capstan.controllers.app;

import dev.capstan.client.workqueue.Reconciler;
import dev.capstan.client.workqueue.WorkQueue;
import dev.capstan.controllers.ControllerContext;
import java.util.function.BiFunction;

/**
 * A controller as the manager builds it: its name (also its work queue's and metrics' name), the event source it
 * records as (upstream's, such as {@code replicaset-controller}), how many keys it reconciles at once, and its
 * constructor. {@code K} is its queue's key: an object key for most, the garbage collector's own item for it.
 */
public record ControllerSpec<K>(
        String name,
        String eventSource,
        int workers,
        BiFunction<ControllerContext, WorkQueue<K>, Reconciler<K>> factory) {}
