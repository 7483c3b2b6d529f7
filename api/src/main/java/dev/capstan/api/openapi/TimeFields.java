package dev.capstan.api.openapi;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The fields upstream types as metav1.Time or metav1.MicroTime (k8s.io/api v0.32 types.go). fabric8 models most
 * of them as plain strings, so without this table they would lose their date-time schema.
 */
final class TimeFields {
    private static final Map<String, String> FIELDS = new HashMap<>();

    static {
        time("core.v1.PersistentVolumeStatus", "lastPhaseTransitionTime");
        time("core.v1.PersistentVolumeClaimCondition", "lastProbeTime", "lastTransitionTime");
        time("core.v1.ContainerStateRunning", "startedAt");
        time("core.v1.ContainerStateTerminated", "startedAt", "finishedAt");
        time("core.v1.PodCondition", "lastProbeTime", "lastTransitionTime");
        time("core.v1.Taint", "timeAdded");
        time("core.v1.PodStatus", "startTime");
        time("core.v1.NodeCondition", "lastHeartbeatTime", "lastTransitionTime");
        time("core.v1.NamespaceCondition", "lastTransitionTime");
        time("core.v1.Event", "firstTimestamp", "lastTimestamp");
        micro("core.v1.Event", "eventTime");
        micro("core.v1.EventSeries", "lastObservedTime");
        time("apps.v1.StatefulSetCondition", "lastTransitionTime");
        time("apps.v1.DeploymentCondition", "lastUpdateTime", "lastTransitionTime");
        time("apps.v1.DaemonSetCondition", "lastTransitionTime");
        time("apps.v1.ReplicaSetCondition", "lastTransitionTime");
        time("batch.v1.JobStatus", "startTime", "completionTime");
        time("batch.v1.JobCondition", "lastProbeTime", "lastTransitionTime");
        time("batch.v1.CronJobStatus", "lastScheduleTime", "lastSuccessfulTime");
        time("autoscaling.v1.HorizontalPodAutoscalerStatus", "lastScaleTime");
        time("autoscaling.v2.HorizontalPodAutoscalerStatus", "lastScaleTime");
        time("autoscaling.v2.HorizontalPodAutoscalerCondition", "lastTransitionTime");
        micro("coordination.v1.LeaseSpec", "acquireTime", "renewTime");
        micro("events.v1.Event", "eventTime");
        time("events.v1.Event", "deprecatedFirstTimestamp", "deprecatedLastTimestamp");
        micro("events.v1.EventSeries", "lastObservedTime");
        time("meta.v1.ObjectMeta", "creationTimestamp", "deletionTimestamp");
        time("meta.v1.ManagedFieldsEntry", "time");
        time("meta.v1.Condition", "lastTransitionTime");
    }

    private TimeFields() {}

    /** {@link SchemaNames#TIME}, {@link SchemaNames#MICRO_TIME} or null. */
    static String of(String schemaName, String field) {
        return FIELDS.get(schemaName + "." + field);
    }

    /** Every "schema.field" the table describes (for drift checks). */
    static Set<String> entries() {
        return new TreeSet<>(FIELDS.keySet());
    }

    private static void time(String type, String... fields) {
        put(type, SchemaNames.TIME, fields);
    }

    private static void micro(String type, String... fields) {
        put(type, SchemaNames.MICRO_TIME, fields);
    }

    private static void put(String type, String schema, String... fields) {
        for (String field : fields) {
            FIELDS.put(SchemaNames.expand(type) + "." + field, schema);
        }
    }
}
