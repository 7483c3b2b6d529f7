package dev.capstan.api.table;

import static dev.capstan.api.table.Fixtures.cells;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EventAndStorageCellsTest {

    @Test
    void coreEventWithCountAndSource() {
        List<Object> row = cells("", "Event", """
                {"metadata": {"name": "web-1.17f3a", "namespace": "default",
                              "creationTimestamp": "2025-06-01T11:00:00Z"},
                 "involvedObject": {"kind": "Pod", "name": "web-1", "fieldPath": "spec.containers{app}"},
                 "reason": "BackOff", "message": "Back-off restarting failed container\\n", "type": "Warning",
                 "source": {"component": "kubelet", "host": "node-a"},
                 "firstTimestamp": "2025-06-01T11:00:00Z", "lastTimestamp": "2025-06-01T11:55:00Z", "count": 12}
                """);

        assertThat(row)
                .containsExactly(
                        "5m",
                        "Warning",
                        "BackOff",
                        "pod/web-1",
                        "spec.containers{app}",
                        "kubelet, node-a",
                        "Back-off restarting failed container",
                        "60m",
                        12L,
                        "web-1.17f3a");
    }

    @Test
    void coreEventWithOnlyEventTimeIsASingleton() {
        List<Object> row = cells("", "Event", """
                {"metadata": {"name": "sched.1"},
                 "involvedObject": {"kind": "Pod", "name": "web-2"},
                 "reason": "Scheduled", "message": "Successfully assigned default/web-2 to node-b", "type": "Normal",
                 "eventTime": "2025-06-01T11:59:30.123456Z",
                 "reportingController": "default-scheduler", "reportingInstance": "default-scheduler-cp-1"}
                """);

        assertThat(row)
                .containsExactly(
                        "29s",
                        "Normal",
                        "Scheduled",
                        "pod/web-2",
                        "",
                        "default-scheduler, default-scheduler-cp-1",
                        "Successfully assigned default/web-2 to node-b",
                        "29s",
                        1L,
                        "sched.1");
    }

    @Test
    void eventAboutAClusterScopedKindWithoutName() {
        List<Object> row = cells("", "Event", """
                {"metadata": {"name": "n.1"}, "involvedObject": {"kind": "Node"}, "type": "Normal",
                 "firstTimestamp": "2025-06-01T10:00:00Z"}
                """);

        assertThat(row.subList(0, 4)).containsExactly("120m", "Normal", "", "node");
    }

    @Test
    void eventsApiEventWithSeries() {
        List<Object> row = cells("events.k8s.io", "Event", """
                {"metadata": {"name": "web.1"},
                 "regarding": {"kind": "Deployment", "namespace": "default", "name": "web"},
                 "note": "Scaled up replica set web-6d4f to 3", "reason": "ScalingReplicaSet", "type": "Normal",
                 "eventTime": "2025-06-01T11:58:00.000000Z",
                 "reportingController": "deployment-controller", "reportingInstance": "",
                 "series": {"count": 4, "lastObservedTime": "2025-06-01T11:59:00.000000Z"}}
                """);

        assertThat(row)
                .containsExactly(
                        "60s",
                        "Normal",
                        "ScalingReplicaSet",
                        "deployment/web",
                        "",
                        "deployment-controller",
                        "Scaled up replica set web-6d4f to 3",
                        "2m",
                        4L,
                        "web.1");
    }

    @Test
    void eventsApiEventWithDeprecatedFields() {
        List<Object> row = cells("events.k8s.io", "Event", """
                {"metadata": {"name": "old.1"},
                 "regarding": {"kind": "Pod", "name": "web-1", "fieldPath": "spec.containers{app}"},
                 "note": "Pulled", "reason": "Pulled", "type": "Normal",
                 "deprecatedSource": {"component": "kubelet", "host": "node-a"},
                 "deprecatedFirstTimestamp": "2025-06-01T09:00:00Z",
                 "deprecatedLastTimestamp": "2025-06-01T11:00:00Z", "deprecatedCount": 3}
                """);

        assertThat(row)
                .containsExactly(
                        "60m",
                        "Normal",
                        "Pulled",
                        "pod/web-1",
                        "spec.containers{app}",
                        "kubelet, node-a",
                        "Pulled",
                        "3h",
                        3L,
                        "old.1");
    }

    @Test
    void boundPersistentVolumeClaim() {
        List<Object> row = cells("", "PersistentVolumeClaim", """
                {"metadata": {"name": "data", "creationTimestamp": "2025-06-01T07:00:00Z"},
                 "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "10Gi"}},
                          "storageClassName": "standard", "volumeName": "pvc-5e1b", "volumeMode": "Filesystem"},
                 "status": {"phase": "Bound", "accessModes": ["ReadWriteOnce"], "capacity": {"storage": "10Gi"}}}
                """);

        assertThat(row)
                .containsExactly("data", "Bound", "pvc-5e1b", "10Gi", "RWO", "standard", "<unset>", "5h", "Filesystem");
    }

    @Test
    void pendingPersistentVolumeClaimShowsNoCapacity() {
        List<Object> row = cells("", "PersistentVolumeClaim", """
                {"metadata": {"name": "data", "creationTimestamp": "2025-06-01T11:59:55Z",
                              "annotations": {"volume.beta.kubernetes.io/storage-class": "fast"}},
                 "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}},
                          "volumeMode": "Block", "volumeAttributesClassName": "gold"},
                 "status": {"phase": "Pending"}}
                """);

        assertThat(row).containsExactly("data", "Pending", "", "", "", "fast", "gold", "5s", "Block");
    }

    @Test
    void deletedPersistentVolumeClaimIsTerminating() {
        List<Object> row = cells("", "PersistentVolumeClaim", """
                {"metadata": {"name": "data", "deletionTimestamp": "2025-06-01T11:00:00Z"},
                 "spec": {"volumeName": "pv-1"},
                 "status": {"phase": "Bound", "capacity": {"storage": "1536Mi"},
                            "accessModes": ["ReadWriteMany", "ReadOnlyMany", "ReadWriteMany"]}}
                """);

        assertThat(row.subList(1, 6)).containsExactly("Terminating", "pv-1", "1536Mi", "ROX,RWX", "");
    }

    @Test
    void boundPersistentVolume() {
        List<Object> row = cells("", "PersistentVolume", """
                {"metadata": {"name": "pv-1", "creationTimestamp": "2025-06-01T07:00:00Z"},
                 "spec": {"capacity": {"storage": "5Gi"}, "accessModes": ["ReadWriteMany", "ReadWriteOnce"],
                          "persistentVolumeReclaimPolicy": "Delete", "storageClassName": "standard",
                          "claimRef": {"namespace": "default", "name": "data"}},
                 "status": {"phase": "Bound"}}
                """);

        assertThat(row)
                .containsExactly(
                        "pv-1",
                        "5Gi",
                        "RWO,RWX",
                        "Delete",
                        "Bound",
                        "default/data",
                        "standard",
                        "<unset>",
                        "",
                        "5h",
                        "Filesystem");
    }

    @Test
    void releasedPersistentVolumeWithCanonicalisedCapacity() {
        List<Object> row = cells("", "PersistentVolume", """
                {"metadata": {"name": "pv-2"},
                 "spec": {"capacity": {"storage": "1.5Gi"}, "accessModes": ["ReadWriteOncePod"]},
                 "status": {"phase": "Failed", "reason": "VolumeFailedRecycle"}}
                """);

        assertThat(row)
                .containsExactly(
                        "pv-2",
                        "1536Mi",
                        "RWOP",
                        "Retain",
                        "Failed",
                        "",
                        "",
                        "<unset>",
                        "VolumeFailedRecycle",
                        "<unknown>",
                        "Filesystem");
    }

    @Test
    void defaultStorageClass() {
        List<Object> row = cells("storage.k8s.io", "StorageClass", """
                {"metadata": {"name": "standard", "creationTimestamp": "2025-06-01T07:00:00Z",
                              "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}},
                 "provisioner": "rancher.io/local-path", "reclaimPolicy": "Delete",
                 "volumeBindingMode": "WaitForFirstConsumer"}
                """);

        assertThat(row)
                .containsExactly(
                        "standard (default)", "rancher.io/local-path", "Delete", "WaitForFirstConsumer", false, "5h");
    }

    @Test
    void storageClassDefaults() {
        List<Object> row = cells("storage.k8s.io", "StorageClass", """
                {"metadata": {"name": "ssd", "annotations": {"storageclass.beta.kubernetes.io/is-default-class": "no"}},
                 "provisioner": "ebs.csi.aws.com", "allowVolumeExpansion": true}
                """);

        assertThat(row).containsExactly("ssd", "ebs.csi.aws.com", "Delete", "Immediate", true, "<unknown>");
    }
}
