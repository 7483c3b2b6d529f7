package dev.capstan.scheduler.framework;

import java.util.List;

/**
 * Upstream's EnqueueExtensions: the cluster events after which a pod this plugin rejected may be schedulable. A
 * plugin that rejects pods but does not implement this is treated as registering every event.
 */
public interface EnqueueExtensions extends Plugin {
    List<Registration> eventsToRegister();

    /**
     * Upstream's QueueingHintFn: given the pending pod and the changed object (old and new; old null on add, new null
     * on delete; a Node or a Pod), false when the change cannot make the pod schedulable.
     */
    @FunctionalInterface
    interface Hint {
        Hint ALWAYS = (pod, oldObj, newObj) -> true;

        boolean mayHelp(PodInfo pod, Object oldObj, Object newObj);
    }

    record Registration(ClusterEvent event, Hint hint) {
        public static Registration of(ClusterEvent event) {
            return new Registration(event, Hint.ALWAYS);
        }
    }
}
