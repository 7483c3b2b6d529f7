package dev.capstan.api.table;

import static dev.capstan.api.table.Fixtures.cells;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PodCellsTest {

    private static List<Object> pod(String json) {
        return cells("", "Pod", json);
    }

    @Test
    void runningPodWithAllContainersReady() {
        List<Object> row = pod("""
                {"metadata": {"name": "web-1", "creationTimestamp": "2025-06-01T07:00:00Z"},
                 "spec": {"nodeName": "node-a",
                          "containers": [{"name": "app", "image": "nginx"}, {"name": "proxy", "image": "envoy"}]},
                 "status": {"phase": "Running", "podIP": "10.244.1.5", "podIPs": [{"ip": "10.244.1.5"}],
                            "conditions": [{"type": "Ready", "status": "True"}],
                            "containerStatuses": [
                              {"name": "app", "ready": true, "restartCount": 0,
                               "state": {"running": {"startedAt": "2025-06-01T10:00:05Z"}}},
                              {"name": "proxy", "ready": true, "restartCount": 0, "state": {"running": {}}}]}}
                """);

        assertThat(row)
                .containsExactly("web-1", "2/2", "Running", "0", "5h", "10.244.1.5", "node-a", "<none>", "<none>");
    }

    @Test
    void runningPodWithOneContainerNotReady() {
        List<Object> row = pod("""
                {"metadata": {"name": "web-2", "creationTimestamp": "2025-06-01T11:59:15Z"},
                 "spec": {"containers": [{"name": "app"}, {"name": "proxy"}]},
                 "status": {"phase": "Running", "podIP": "10.244.1.6",
                            "containerStatuses": [
                              {"name": "app", "ready": true, "state": {"running": {}}},
                              {"name": "proxy", "ready": false, "state": {"running": {}}}]}}
                """);

        assertThat(row.subList(0, 6)).containsExactly("web-2", "1/2", "Running", "0", "45s", "10.244.1.6");
    }

    @Test
    void unscheduledPodIsPendingWithNoIpOrNode() {
        List<Object> row = pod("""
                {"metadata": {"name": "big", "creationTimestamp": "2025-06-01T11:56:40Z"},
                 "spec": {"containers": [{"name": "app", "image": "app:1"}]},
                 "status": {"phase": "Pending",
                            "conditions": [{"type": "PodScheduled", "status": "False", "reason": "Unschedulable"}]}}
                """);

        assertThat(row).containsExactly("big", "0/1", "Pending", "0", "3m20s", "<none>", "<none>", "<none>", "<none>");
    }

    @Test
    void scheduledPodWaitsInContainerCreating() {
        List<Object> row = pod("""
                {"metadata": {"name": "new", "creationTimestamp": "2025-06-01T11:59:50Z"},
                 "spec": {"nodeName": "node-b", "containers": [{"name": "app"}]},
                 "status": {"phase": "Pending", "nominatedNodeName": "node-c",
                            "containerStatuses": [{"name": "app", "ready": false, "restartCount": 0,
                                                   "state": {"waiting": {"reason": "ContainerCreating"}}}]}}
                """);

        assertThat(row)
                .containsExactly("new", "0/1", "ContainerCreating", "0", "10s", "<none>", "node-b", "node-c", "<none>");
    }

    @Test
    void crashLoopingPodShowsRestartsWithTimeOfLastTermination() {
        List<Object> row = pod("""
                {"metadata": {"name": "crashy", "creationTimestamp": "2025-05-30T09:00:00Z"},
                 "spec": {"containers": [{"name": "app"}]},
                 "status": {"phase": "Running",
                            "containerStatuses": [{"name": "app", "ready": false, "restartCount": 3,
                              "lastState": {"terminated": {"exitCode": 1, "reason": "Error",
                                                           "finishedAt": "2025-06-01T11:55:00Z"}},
                              "state": {"waiting": {"reason": "CrashLoopBackOff"}}}]}}
                """);

        assertThat(row.subList(0, 5)).containsExactly("crashy", "0/1", "CrashLoopBackOff", "3 (5m ago)", "2d3h");
    }

    @Test
    void restartsWithoutATerminationTimeAreABareNumber() {
        List<Object> row = pod("""
                {"metadata": {"name": "p"},
                 "spec": {"containers": [{"name": "app"}]},
                 "status": {"phase": "Running",
                            "containerStatuses": [{"name": "app", "ready": true, "restartCount": 7,
                                                   "state": {"running": {}}}]}}
                """);

        assertThat(row.subList(0, 5)).containsExactly("p", "1/1", "Running", "7", "<unknown>");
    }

    @Test
    void deletedPodIsTerminating() {
        List<Object> row = pod("""
                {"metadata": {"name": "web-3", "creationTimestamp": "2025-06-01T07:00:00Z",
                              "deletionTimestamp": "2025-06-01T11:59:50Z"},
                 "spec": {"nodeName": "node-a", "containers": [{"name": "app"}]},
                 "status": {"phase": "Running", "podIPs": [{"ip": "fd00::5"}, {"ip": "10.0.0.5"}],
                            "containerStatuses": [{"name": "app", "ready": true, "state": {"running": {}}}]}}
                """);

        assertThat(row.subList(0, 7)).containsExactly("web-3", "1/1", "Terminating", "0", "5h", "fd00::5", "node-a");
    }

    @Test
    void deletedPodOnLostNodeIsUnknown() {
        List<Object> row = pod("""
                {"metadata": {"name": "orphan", "deletionTimestamp": "2025-06-01T11:00:00Z"},
                 "spec": {"containers": [{"name": "app"}]},
                 "status": {"phase": "Running", "reason": "NodeLost",
                            "containerStatuses": [{"name": "app", "ready": true, "state": {"running": {}}}]}}
                """);

        assertThat(row.get(2)).isEqualTo("Unknown");
    }

    @Test
    void deletedPodThatAlreadySucceededKeepsItsReason() {
        List<Object> row = pod("""
                {"metadata": {"name": "done", "deletionTimestamp": "2025-06-01T11:00:00Z"},
                 "spec": {"containers": [{"name": "app"}]},
                 "status": {"phase": "Succeeded",
                            "containerStatuses": [{"name": "app", "ready": false,
                              "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}]}}
                """);

        assertThat(row.subList(1, 3)).containsExactly("0/1", "Completed");
    }

    @Test
    void evictedPodShowsStatusReason() {
        List<Object> row = pod("""
                {"metadata": {"name": "evicted"},
                 "spec": {"containers": [{"name": "app"}]},
                 "status": {"phase": "Failed", "reason": "Evicted", "message": "low on memory"}}
                """);

        assertThat(row.subList(1, 3)).containsExactly("0/1", "Evicted");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"running\": {}}|Init:0/2",
                "{\"waiting\": {\"reason\": \"PodInitializing\"}}|Init:0/2",
                "{\"waiting\": {\"reason\": \"ImagePullBackOff\"}}|Init:ImagePullBackOff",
                "{\"terminated\": {\"exitCode\": 1, \"reason\": \"Error\"}}|Init:Error",
                "{\"terminated\": {\"exitCode\": 2}}|Init:ExitCode:2",
                "{\"terminated\": {\"exitCode\": 137, \"signal\": 9}}|Init:Signal:9",
            })
    void initialisingPodReportsItsFirstUnfinishedInitContainer(String state, String expected) {
        List<Object> row = pod("""
                {"metadata": {"name": "init"},
                 "spec": {"initContainers": [{"name": "migrate"}, {"name": "warm"}],
                          "containers": [{"name": "app"}]},
                 "status": {"phase": "Pending",
                            "initContainerStatuses": [{"name": "migrate", "restartCount": 1, "state": %s},
                                                      {"name": "warm", "state": {"waiting": {}}}],
                            "containerStatuses": [{"name": "app",
                                                   "state": {"waiting": {"reason": "PodInitializing"}}}]}}
                """.formatted(state));

        assertThat(row.subList(1, 4)).containsExactly("0/1", expected, "1");
    }

    @Test
    void secondInitContainerRunningAfterFirstSucceeded() {
        List<Object> row = pod("""
                {"metadata": {"name": "init"},
                 "spec": {"initContainers": [{"name": "migrate"}, {"name": "warm"}], "containers": [{"name": "app"}]},
                 "status": {"phase": "Pending",
                            "initContainerStatuses": [
                              {"name": "migrate", "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}},
                              {"name": "warm", "state": {"running": {}}}]}}
                """);

        assertThat(row.get(2)).isEqualTo("Init:1/2");
    }

    @Test
    void sidecarInitContainersCountAsContainersWithTheirRestarts() {
        List<Object> row = pod("""
                {"metadata": {"name": "meshed", "creationTimestamp": "2025-06-01T07:00:00Z"},
                 "spec": {"initContainers": [{"name": "proxy", "restartPolicy": "Always"}],
                          "containers": [{"name": "app"}]},
                 "status": {"phase": "Running",
                            "conditions": [{"type": "Initialized", "status": "True"},
                                           {"type": "Ready", "status": "True"}],
                            "initContainerStatuses": [{"name": "proxy", "started": true, "ready": true,
                              "restartCount": 2, "state": {"running": {}},
                              "lastState": {"terminated": {"exitCode": 1, "finishedAt": "2025-06-01T11:50:00Z"}}}],
                            "containerStatuses": [{"name": "app", "ready": true, "restartCount": 1,
                              "state": {"running": {}},
                              "lastState": {"terminated": {"exitCode": 1, "finishedAt": "2025-06-01T11:00:00Z"}}}]}}
                """);

        assertThat(row.subList(0, 5)).containsExactly("meshed", "2/2", "Running", "3 (10m ago)", "5h");
    }

    @ParameterizedTest(name = "ready condition {0} -> {1}")
    @CsvSource({"True, Running", "False, NotReady"})
    void completedContainerBesideARunningOneShowsPodReadiness(String ready, String expected) {
        List<Object> row = pod("""
                {"metadata": {"name": "mixed"},
                 "spec": {"containers": [{"name": "server"}, {"name": "job"}]},
                 "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "%s"}],
                            "containerStatuses": [
                              {"name": "server", "ready": true, "state": {"running": {}}},
                              {"name": "job", "ready": false,
                               "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}]}}
                """.formatted(ready));

        assertThat(row.subList(1, 3)).containsExactly("1/2", expected);
    }

    @Test
    void terminatedContainerWithoutReasonShowsSignal() {
        List<Object> row = pod("""
                {"metadata": {"name": "killed"},
                 "spec": {"containers": [{"name": "app"}]},
                 "status": {"phase": "Running",
                            "containerStatuses": [{"name": "app", "state": {"terminated": {"exitCode": 143,
                                                                                           "signal": 15}}}]}}
                """);

        assertThat(row.get(2)).isEqualTo("Signal:15");
    }

    @Test
    void schedulingGatedPod() {
        List<Object> row = pod("""
                {"metadata": {"name": "gated"},
                 "spec": {"schedulingGates": [{"name": "example.com/quota"}], "containers": [{"name": "app"}]},
                 "status": {"phase": "Pending",
                            "conditions": [{"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}]}}
                """);

        assertThat(row.get(2)).isEqualTo("SchedulingGated");
    }

    @Test
    void readinessGatesCountTrueConditions() {
        List<Object> row = pod("""
                {"metadata": {"name": "gates"},
                 "spec": {"containers": [{"name": "app"}],
                          "readinessGates": [{"conditionType": "example.com/lb"},
                                             {"conditionType": "example.com/dns"}]},
                 "status": {"phase": "Running", "podIP": "10.0.0.9",
                            "conditions": [{"type": "example.com/lb", "status": "True"},
                                           {"type": "example.com/dns", "status": "False"}]}}
                """);

        assertThat(row.subList(5, 9)).containsExactly("10.0.0.9", "<none>", "<none>", "1/2");
    }
}
