package dev.capstan.scheduler.core;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.concurrent.CompletionStage;

/**
 * Binds a pod to a node: the wiring creates the pod's {@code binding} subresource (a v1.Binding with the pod's
 * namespace, name and UID, target {@code Node/nodeName}). Called on the scheduling thread; must not block it — return
 * a stage completed on another thread. A failed stage makes the scheduler forget the assumed pod and retry it.
 */
@FunctionalInterface
public interface Binder {
    CompletionStage<Void> bind(Pod pod, String nodeName);
}
