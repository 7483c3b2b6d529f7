package dev.capstan.scheduler.framework;

/**
 * Upstream's PreEnqueuePlugin. Contract: called whenever a pod is about to enter the active queue (added, updated
 * while waiting); anything but {@link Status#SUCCESS} keeps it out — among the unschedulable pods, marked gated, moved
 * by no cluster event and by no timeout — until an update of the pod lets every PreEnqueue plugin pass. It must be
 * cheap and must not read the snapshot (it runs on informer threads).
 */
public interface PreEnqueuePlugin extends Plugin {
    Status preEnqueue(PodInfo pod);
}
