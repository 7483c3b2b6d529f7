package dev.capstan.scheduler.core;

import io.fabric8.kubernetes.api.model.Pod;

/** The API writes preemption needs (upstream's prepareCandidate). Called on the scheduling thread; may block briefly. */
public interface PreemptionActions {
    /** The reason of the DisruptionTarget condition upstream sets on a victim. */
    String DISRUPTION_REASON = "PreemptionByScheduler";

    /**
     * Evicts a victim: add the condition DisruptionTarget=True reason {@value #DISRUPTION_REASON} with {@code message}
     * (e.g. "default-scheduler: preempting to accommodate a higher priority pod"), delete the pod, and record a Normal
     * event reason Preempted with {@code eventMessage} ("Preempted by pod UID on node NODE").
     */
    void evict(Pod victim, String message, String eventMessage);

    /** Clears status.nominatedNodeName of a lower-priority pod whose nominated room the preemptor takes. */
    void clearNominatedNodeName(Pod pod);
}
