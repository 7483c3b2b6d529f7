package dev.capstan.node.pods;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;

/**
 * What a pod worker calls (upstream's podSyncer: SyncPod, SyncTerminatingPod, SyncTerminatedPod). Each call may block
 * on the runtime and the API; an exception means "try again", the worker retries after a short back-off.
 */
interface PodSyncer {
    /** Moves the pod's sandbox and containers towards its spec and writes its status; when to look again (null: on the next update). */
    Duration syncPod(Pod pod);

    /** Stops every container (the grace period, then a kill) and the sandbox; returns once they are stopped. */
    void syncTerminatingPod(Pod pod, long gracePeriodSeconds);

    /** Removes the stopped containers and sandbox; a deleted pod is then deleted for good (grace 0, its uid). */
    void syncTerminatedPod(Pod pod);
}
