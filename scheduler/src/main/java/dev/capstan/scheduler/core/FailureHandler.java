package dev.capstan.scheduler.core;

import io.fabric8.kubernetes.api.model.Pod;

/** What the wiring writes back to the API server about scheduling outcomes. Called from any scheduler thread. */
public interface FailureHandler {
    /**
     * The attempt failed: patch status conditions PodScheduled=False with {@code failure.reason()} and
     * {@code failure.message()}, set status.nominatedNodeName when {@code failure.nominatedNodeName()} is not null
     * ("" clears it), and record a Warning event reason FailedScheduling with {@code failure.eventMessage()} unless
     * that is null. A pod waiting on scheduling gates comes here once, with reason SchedulingGated and no event
     * message.
     */
    void failed(Pod pod, SchedulingFailure failure);

    /**
     * The binding succeeded: record a Normal event reason Scheduled, message {@code Successfully assigned ns/name to
     * node} (given as {@code message}).
     */
    void scheduled(Pod pod, String nodeName, String message);
}
