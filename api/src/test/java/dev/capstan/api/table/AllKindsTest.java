package dev.capstan.api.table;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.api.TestRegistry;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every kind yields exactly one cell per column, even for a bare object, with the name in the name column. */
class AllKindsTest {

    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({
        "'', Pod",
        "'', Service",
        "'', Endpoints",
        "'', ConfigMap",
        "'', Secret",
        "'', ServiceAccount",
        "'', Node",
        "'', Namespace",
        "'', Event",
        "'', LimitRange",
        "'', ResourceQuota",
        "'', PersistentVolume",
        "'', PersistentVolumeClaim",
        "apps, Deployment",
        "apps, ReplicaSet",
        "apps, StatefulSet",
        "apps, DaemonSet",
        "apps, ControllerRevision",
        "batch, Job",
        "batch, CronJob",
        "autoscaling, HorizontalPodAutoscaler",
        "coordination.k8s.io, Lease",
        "discovery.k8s.io, EndpointSlice",
        "networking.k8s.io, NetworkPolicy",
        "networking.k8s.io, Ingress",
        "rbac.authorization.k8s.io, Role",
        "rbac.authorization.k8s.io, RoleBinding",
        "rbac.authorization.k8s.io, ClusterRole",
        "rbac.authorization.k8s.io, ClusterRoleBinding",
        "events.k8s.io, Event",
        "scheduling.k8s.io, PriorityClass",
        "storage.k8s.io, StorageClass",
        "example.com, Widget",
    })
    void bareObjectFillsEveryColumn(String group, String kind) {
        List<ColumnDefinition> columns = TestRegistry.table(group, kind).columns();
        List<Object> cells = Fixtures.cells(group, kind, """
                {"metadata": {"name": "thing", "creationTimestamp": "2025-06-01T11:59:58Z"}}
                """);

        assertThat(cells).hasSameSizeAs(columns).doesNotContainNull();
        int nameColumn = columns.stream().map(ColumnDefinition::format).toList().indexOf("name");
        assertThat(cells.get(nameColumn)).isEqualTo("thing");
        assertThat(cells).allSatisfy(cell -> assertThat(cell).isInstanceOfAny(String.class, Long.class, Boolean.class));
        int ageColumn = columns.stream().map(ColumnDefinition::name).toList().indexOf("Age");
        if (ageColumn >= 0) {
            assertThat(cells.get(ageColumn)).isEqualTo("2s");
        }
    }
}
