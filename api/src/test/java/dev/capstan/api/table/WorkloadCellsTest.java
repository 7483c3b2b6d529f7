package dev.capstan.api.table;

import static dev.capstan.api.table.Fixtures.cells;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkloadCellsTest {

    @Test
    void deploymentRollingOut() {
        List<Object> row = cells("apps", "Deployment", """
                {"metadata": {"name": "web", "creationTimestamp": "2025-06-01T07:00:00Z"},
                 "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
                          "template": {"spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"},
                                                               {"name": "log", "image": "busybox"}]}}},
                 "status": {"replicas": 3, "updatedReplicas": 3, "readyReplicas": 2, "availableReplicas": 2}}
                """);

        assertThat(row).containsExactly("web", "2/3", 3L, 2L, "5h", "nginx,log", "nginx:1.27,busybox", "app=web");
    }

    @Test
    void newDeploymentWithoutStatusOrReplicasAndAnExpressionSelector() {
        List<Object> row = cells("apps", "Deployment", """
                {"metadata": {"name": "api"},
                 "spec": {"selector": {"matchLabels": {"app": "api"},
                                       "matchExpressions": [
                                         {"key": "env", "operator": "In", "values": ["prod", "canary"]},
                                         {"key": "legacy", "operator": "DoesNotExist"},
                                         {"key": "tier", "operator": "Exists"}]},
                          "template": {"spec": {"containers": [{"name": "api", "image": "api:2"}]}}}}
                """);

        assertThat(row)
                .containsExactly(
                        "api", "0/1", 0L, 0L, "<unknown>", "api", "api:2", "app=api,env in (canary,prod),!legacy,tier");
    }

    @Test
    void deploymentWithoutSelectorPrintsEmptySelector() {
        List<Object> row = cells("apps", "Deployment", """
                {"metadata": {"name": "odd"}, "spec": {"replicas": 0}}
                """);

        assertThat(row).containsExactly("odd", "0/0", 0L, 0L, "<unknown>", "", "", "");
    }

    @Test
    void replicaSet() {
        List<Object> row = cells("apps", "ReplicaSet", """
                {"metadata": {"name": "web-6d4f", "creationTimestamp": "2025-06-01T07:00:00Z"},
                 "spec": {"replicas": 3,
                          "selector": {"matchLabels": {"app": "web", "pod-template-hash": "6d4f"}},
                          "template": {"spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]}}},
                 "status": {"replicas": 3, "readyReplicas": 2}}
                """);

        assertThat(row)
                .containsExactly("web-6d4f", 3L, 3L, 2L, "5h", "nginx", "nginx:1.27", "app=web,pod-template-hash=6d4f");
    }

    @Test
    void statefulSet() {
        List<Object> row = cells("apps", "StatefulSet", """
                {"metadata": {"name": "db", "creationTimestamp": "2025-06-01T07:00:00Z"},
                 "spec": {"replicas": 3, "serviceName": "db",
                          "template": {"spec": {"containers": [{"name": "postgres", "image": "postgres:17"}]}}},
                 "status": {"replicas": 2, "readyReplicas": 1}}
                """);

        assertThat(row).containsExactly("db", "1/3", "5h", "postgres", "postgres:17");
    }

    @Test
    void daemonSet() {
        List<Object> row = cells("apps", "DaemonSet", """
                {"metadata": {"name": "agent", "creationTimestamp": "2025-06-01T07:00:00Z"},
                 "spec": {"selector": {"matchLabels": {"app": "agent"}},
                          "template": {"spec": {"nodeSelector": {"kubernetes.io/os": "linux"},
                                                "containers": [{"name": "agent", "image": "agent:1"}]}}},
                 "status": {"desiredNumberScheduled": 3, "currentNumberScheduled": 3, "numberReady": 2,
                            "updatedNumberScheduled": 3, "numberAvailable": 2}}
                """);

        assertThat(row)
                .containsExactly(
                        "agent", 3L, 3L, 2L, 3L, 2L, "kubernetes.io/os=linux", "5h", "agent", "agent:1", "app=agent");
    }

    @Test
    void controllerRevisionNamesItsController() {
        List<Object> row = cells("apps", "ControllerRevision", """
                {"metadata": {"name": "web-5d4f8c", "creationTimestamp": "2025-06-01T07:00:00Z",
                              "ownerReferences": [
                                {"apiVersion": "v1", "kind": "ConfigMap", "name": "unrelated"},
                                {"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "web", "controller": true}]},
                 "revision": 2}
                """);

        assertThat(row).containsExactly("web-5d4f8c", "statefulset.apps/web", 2L, "5h");
    }

    @Test
    void orphanControllerRevision() {
        List<Object> row = cells("apps", "ControllerRevision", """
                {"metadata": {"name": "rev"}, "revision": 7}
                """);

        assertThat(row).containsExactly("rev", "<none>", 7L, "<unknown>");
    }

    @Test
    void completedJob() {
        List<Object> row = cells("batch", "Job", """
                {"metadata": {"name": "pi", "creationTimestamp": "2025-06-01T07:00:00Z"},
                 "spec": {"completions": 1, "parallelism": 1,
                          "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": "1f2e"}},
                          "template": {"spec": {"containers": [{"name": "pi", "image": "perl:5.34"}]}}},
                 "status": {"succeeded": 1, "startTime": "2025-06-01T10:00:00Z",
                            "completionTime": "2025-06-01T10:01:05Z",
                            "conditions": [{"type": "SuccessCriteriaMet", "status": "True"},
                                           {"type": "Complete", "status": "True"}]}}
                """);

        assertThat(row)
                .containsExactly(
                        "pi",
                        "Complete",
                        "1/1",
                        "65s",
                        "5h",
                        "pi",
                        "perl:5.34",
                        "batch.kubernetes.io/controller-uid=1f2e");
    }

    @Test
    void runningParallelJobWithoutCompletions() {
        List<Object> row = cells("batch", "Job", """
                {"metadata": {"name": "work", "creationTimestamp": "2025-06-01T11:56:00Z"},
                 "spec": {"parallelism": 3, "template": {"spec": {"containers": [{"name": "w", "image": "w:1"}]}}},
                 "status": {"active": 3, "startTime": "2025-06-01T11:56:40Z"}}
                """);

        assertThat(row).containsExactly("work", "Running", "0/1 of 3", "3m20s", "4m", "w", "w:1", "<none>");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "[{\"type\": \"Failed\", \"status\": \"True\"}]|Failed",
                "[{\"type\": \"Suspended\", \"status\": \"True\"}]|Suspended",
                "[{\"type\": \"FailureTarget\", \"status\": \"True\"}]|FailureTarget",
                "[{\"type\": \"Complete\", \"status\": \"False\"}]|Running",
                "[]|Running",
            })
    void jobStatusFromConditions(String conditions, String expected) {
        List<Object> row = cells("batch", "Job", """
                {"metadata": {"name": "j"}, "spec": {"completions": 5},
                 "status": {"succeeded": 2, "conditions": %s}}
                """.formatted(conditions));

        assertThat(row.subList(1, 4)).containsExactly(expected, "2/5", "");
    }

    @Test
    void deletedJobIsTerminating() {
        List<Object> row = cells("batch", "Job", """
                {"metadata": {"name": "j", "deletionTimestamp": "2025-06-01T11:00:00Z"}, "spec": {}}
                """);

        assertThat(row.subList(1, 3)).containsExactly("Terminating", "0/1");
    }

    @Test
    void cronJobWithActiveRun() {
        List<Object> row = cells("batch", "CronJob", """
                {"metadata": {"name": "backup", "creationTimestamp": "2025-05-25T12:00:00Z"},
                 "spec": {"schedule": "0 2 * * *", "timeZone": "Etc/UTC", "suspend": false,
                          "jobTemplate": {"spec": {"template": {"spec": {
                              "containers": [{"name": "backup", "image": "restic:0.17"}]}}}}},
                 "status": {"active": [{"kind": "Job", "name": "backup-29100000"}],
                            "lastScheduleTime": "2025-06-01T02:00:00Z"}}
                """);

        assertThat(row)
                .containsExactly(
                        "backup", "0 2 * * *", "Etc/UTC", "False", 1L, "10h", "7d", "backup", "restic:0.17", "<none>");
    }

    @Test
    void suspendedCronJobThatNeverRan() {
        List<Object> row = cells("batch", "CronJob", """
                {"metadata": {"name": "report"},
                 "spec": {"schedule": "@hourly", "suspend": true,
                          "jobTemplate": {"spec": {"selector": {"matchLabels": {"job": "report"}}}}}}
                """);

        assertThat(row)
                .containsExactly(
                        "report", "@hourly", "<none>", "True", 0L, "<none>", "<unknown>", "", "", "job=report");
    }

    @Test
    void horizontalPodAutoscalerWithCpuUtilisation() {
        List<Object> row = cells("autoscaling", "HorizontalPodAutoscaler", """
                {"metadata": {"name": "web", "creationTimestamp": "2025-06-01T07:00:00Z"},
                 "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
                          "minReplicas": 2, "maxReplicas": 10,
                          "metrics": [{"type": "Resource",
                                       "resource": {"name": "cpu",
                                                    "target": {"type": "Utilization", "averageUtilization": 50}}}]},
                 "status": {"currentReplicas": 3, "desiredReplicas": 3,
                            "currentMetrics": [{"type": "Resource",
                                                "resource": {"name": "cpu",
                                                             "current": {"averageUtilization": 23,
                                                                         "averageValue": "115m"}}}]}}
                """);

        assertThat(row).containsExactly("web", "Deployment/web", "cpu: 23%/50%", "2", 10L, 3L, "5h");
    }

    @Test
    void horizontalPodAutoscalerWithSeveralMetricsAndNoStatus() {
        List<Object> row = cells("autoscaling", "HorizontalPodAutoscaler", """
                {"metadata": {"name": "api"},
                 "spec": {"scaleTargetRef": {"kind": "StatefulSet", "name": "api"}, "maxReplicas": 5,
                          "metrics": [
                            {"type": "Resource", "resource": {"name": "memory",
                                                              "target": {"type": "AverageValue",
                                                                         "averageValue": "0.5Gi"}}},
                            {"type": "Pods", "pods": {"metric": {"name": "rps"},
                                                      "target": {"type": "AverageValue", "averageValue": "1000"}}},
                            {"type": "External", "external": {"metric": {"name": "queue"},
                                                              "target": {"type": "Value", "value": "30"}}}]}}
                """);

        assertThat(row)
                .containsExactly(
                        "api",
                        "StatefulSet/api",
                        "memory: <unknown>/512Mi, <unknown>/1k + 1 more...",
                        "1",
                        5L,
                        0L,
                        "<unknown>");
    }

    @Test
    void autoscalingV1TargetCpu() {
        List<Object> row = cells("autoscaling", "HorizontalPodAutoscaler", """
                {"metadata": {"name": "v1"},
                 "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "v1"}, "minReplicas": 1,
                          "maxReplicas": 4, "targetCPUUtilizationPercentage": 80},
                 "status": {"currentReplicas": 2, "currentCPUUtilizationPercentage": 41}}
                """);

        assertThat(row.subList(2, 6)).containsExactly("cpu: 41%/80%", "1", 4L, 2L);
    }

    @Test
    void horizontalPodAutoscalerObjectMetricWithAverage() {
        List<Object> row = cells("autoscaling", "HorizontalPodAutoscaler", """
                {"metadata": {"name": "ing"},
                 "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "web"}, "maxReplicas": 3,
                          "metrics": [{"type": "Object",
                                       "object": {"metric": {"name": "requests"},
                                                  "target": {"type": "AverageValue", "averageValue": "2k"}}}]},
                 "status": {"currentMetrics": [{"type": "Object",
                                                "object": {"current": {"averageValue": "1500"}}}]}}
                """);

        assertThat(row.get(2)).isEqualTo("1500/2k (avg)");
    }
}
