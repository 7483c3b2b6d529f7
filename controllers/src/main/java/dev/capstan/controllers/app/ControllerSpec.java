package dev.capstan.controllers.app;

import dev.capstan.client.workqueue.Reconciler;
import dev.capstan.client.workqueue.WorkQueue;
import dev.capstan.controllers.ControllerContext;
import dev.capstan.model.meta.ObjectKey;
import java.util.function.BiFunction;

/**
 * A controller as the manager builds it: its name (also its work queue's and metrics' name), the event source it
 * records as (upstream's, such as {@code replicaset-controller}), how many keys it reconciles at once, and its
 * constructor.
 */
public record ControllerSpec(
        String name,
        String eventSource,
        int workers,
        BiFunction<ControllerContext, WorkQueue<ObjectKey>, Reconciler<ObjectKey>> factory) {}
