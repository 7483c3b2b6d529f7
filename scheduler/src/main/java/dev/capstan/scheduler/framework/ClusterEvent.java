package dev.capstan.scheduler.framework;

/**
 * The cluster changes that can make an unschedulable pod schedulable (upstream's framework.ClusterEvent, reduced to
 * the resources this scheduler watches). The queue moves a pod back when a plugin that rejected it registered for
 * the event and its hint does not rule the change out.
 */
public enum ClusterEvent {
    NODE_ADD,
    NODE_UPDATE,
    NODE_DELETE,
    ASSIGNED_POD_ADD,
    ASSIGNED_POD_UPDATE,
    ASSIGNED_POD_DELETE,
    /** An unscheduled pod was deleted (it may have held a nomination). */
    UNSCHEDULED_POD_DELETE,
    /** Not an informer event: used when the cause is unknown (e.g. forced flush), it moves every pod. */
    WILDCARD
}
