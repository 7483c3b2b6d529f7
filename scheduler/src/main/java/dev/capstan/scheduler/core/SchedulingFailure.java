package dev.capstan.scheduler.core;

/**
 * Why a scheduling attempt failed, as upstream's handleSchedulingFailure writes it: the PodScheduled=False condition
 * (reason {@value #UNSCHEDULABLE} or {@value #SCHEDULER_ERROR}, and the full message), a Warning FailedScheduling
 * event with {@code eventMessage} (the message cut to the event note limit; null for no event, as for a pod waiting
 * on scheduling gates, reason {@value #SCHEDULING_GATED}), and the nominated node to set — null to leave
 * status.nominatedNodeName as it is, "" to clear it.
 */
public record SchedulingFailure(String reason, String message, String eventMessage, String nominatedNodeName) {
    public static final String UNSCHEDULABLE = "Unschedulable";
    public static final String SCHEDULER_ERROR = "SchedulerError";
    /** Upstream's PodReasonSchedulingGated. */
    public static final String SCHEDULING_GATED = "SchedulingGated";
    /** The message upstream writes with {@value #SCHEDULING_GATED}. */
    public static final String SCHEDULING_GATED_MESSAGE = "Scheduling is blocked due to non-empty scheduling gates";
    /** Upstream's validation.NoteLengthLimit for event messages. */
    public static final int NOTE_LENGTH_LIMIT = 1024;

    /** A pod waiting on scheduling gates: the condition only, no event (upstream records none). */
    static SchedulingFailure gated() {
        return new SchedulingFailure(SCHEDULING_GATED, SCHEDULING_GATED_MESSAGE, null, null);
    }

    static SchedulingFailure of(String reason, String message, String nominatedNodeName) {
        return new SchedulingFailure(reason, message, truncate(message), nominatedNodeName);
    }

    /** Upstream's truncateMessage: at most 1024 characters, ending in " ..." when cut. */
    static String truncate(String message) {
        if (message.length() <= NOTE_LENGTH_LIMIT) {
            return message;
        }
        String suffix = " ...";
        return message.substring(0, NOTE_LENGTH_LIMIT - suffix.length()) + suffix;
    }
}
