package dev.capstan.api.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.capstan.api.TestRegistry;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ColumnsTest {

    /** Columns as "|"-separated names; a trailing "*" marks a priority-1 (wide) column. */
    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource(
            delimiter = ';',
            value = {
                "'';Pod;Name|Ready|Status|Restarts|Age|IP*|Node*|Nominated Node*|Readiness Gates*",
                "'';Service;Name|Type|Cluster-IP|External-IP|Port(s)|Age|Selector*",
                "'';Endpoints;Name|Endpoints|Age",
                "'';ConfigMap;Name|Data|Age",
                "'';Secret;Name|Type|Data|Age",
                "'';ServiceAccount;Name|Secrets|Age",
                "'';Node;Name|Status|Roles|Age|Version|Internal-IP*|External-IP*|OS-Image*|Kernel-Version*"
                        + "|Container-Runtime*",
                "'';Namespace;Name|Status|Age",
                "'';Event;Last Seen|Type|Reason|Object|Subobject*|Source*|Message|First Seen*|Count*|Name*",
                "'';LimitRange;Name|Created At",
                "'';ResourceQuota;Name|Request|Limit|Age",
                "'';PersistentVolume;Name|Capacity|Access Modes|Reclaim Policy|Status|Claim|StorageClass"
                        + "|VolumeAttributesClass|Reason|Age|VolumeMode*",
                "'';PersistentVolumeClaim;Name|Status|Volume|Capacity|Access Modes|StorageClass"
                        + "|VolumeAttributesClass|Age|VolumeMode*",
                "apps;Deployment;Name|Ready|Up-to-date|Available|Age|Containers*|Images*|Selector*",
                "apps;ReplicaSet;Name|Desired|Current|Ready|Age|Containers*|Images*|Selector*",
                "apps;StatefulSet;Name|Ready|Age|Containers*|Images*",
                "apps;DaemonSet;Name|Desired|Current|Ready|Up-to-date|Available|Node Selector|Age|Containers*"
                        + "|Images*|Selector*",
                "apps;ControllerRevision;Name|Controller|Revision|Age",
                "batch;Job;Name|Status|Completions|Duration|Age|Containers*|Images*|Selector*",
                "batch;CronJob;Name|Schedule|Timezone|Suspend|Active|Last Schedule|Age|Containers*|Images*"
                        + "|Selector*",
                "autoscaling;HorizontalPodAutoscaler;Name|Reference|Targets|MinPods|MaxPods|Replicas|Age",
                "coordination.k8s.io;Lease;Name|Holder|Age",
                "discovery.k8s.io;EndpointSlice;Name|AddressType|Ports|Endpoints|Age",
                "networking.k8s.io;NetworkPolicy;Name|Pod-Selector|Age",
                "networking.k8s.io;Ingress;Name|Class|Hosts|Address|Ports|Age",
                "rbac.authorization.k8s.io;Role;Name|Created At",
                "rbac.authorization.k8s.io;RoleBinding;Name|Role|Age|Users*|Groups*|ServiceAccounts*",
                "rbac.authorization.k8s.io;ClusterRole;Name|Created At",
                "rbac.authorization.k8s.io;ClusterRoleBinding;Name|Role|Age|Users*|Groups*|ServiceAccounts*",
                "events.k8s.io;Event;Last Seen|Type|Reason|Object|Subobject*|Source*|Message|First Seen*|Count*"
                        + "|Name*",
                "scheduling.k8s.io;PriorityClass;Name|Value|Global-Default|Age|PreemptionPolicy",
                "storage.k8s.io;StorageClass;Name|Provisioner|ReclaimPolicy|VolumeBindingMode|AllowVolumeExpansion"
                        + "|Age",
                "example.com;Widget;Name|Created At",
                "apps;Pod;Name|Created At",
            })
    void namesAndPrioritiesMatchUpstream(String group, String kind, String spec) {
        List<String> described = TestRegistry.table(group, kind).columns().stream()
                .map(c -> c.name() + (c.priority() == 1 ? "*" : ""))
                .toList();

        assertThat(described).containsExactlyElementsOf(Arrays.asList(spec.split("\\|")));
    }

    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({
        "'', Pod",
        "'', Service",
        "'', Node",
        "'', LimitRange",
        "apps, Deployment",
        "batch, CronJob",
        "storage.k8s.io, StorageClass",
        "rbac.authorization.k8s.io, ClusterRole",
        "example.com, Widget",
    })
    void nameColumnIsFirstStringWithNameFormatAndDescribed(String group, String kind) {
        ColumnDefinition first = TestRegistry.table(group, kind).columns().get(0);

        assertThat(first.name()).isEqualTo("Name");
        assertThat(first.type()).isEqualTo("string");
        assertThat(first.format()).isEqualTo("name");
        assertThat(first.priority()).isZero();
        assertThat(first.description()).startsWith("Name must be unique within a namespace.");
    }

    @Test
    void eventsPutNameLastAsAWideColumn() {
        ColumnDefinition last = TestRegistry.table("", "Event").columns().get(9);

        assertThat(last).extracting("name", "format", "priority").containsExactly("Name", "name", 1);
    }

    @Test
    void ageIsAStringColumnDescribedAsTheCreationTimestamp() {
        ColumnDefinition age = TestRegistry.table("", "Namespace").columns().get(2);

        assertThat(age.name()).isEqualTo("Age");
        assertThat(age.type()).isEqualTo("string");
        assertThat(age.format()).isEmpty();
        assertThat(age.description()).startsWith("CreationTimestamp is a timestamp representing the server time");
    }

    @Test
    void defaultTableShowsCreatedAtAsADate() {
        assertThat(TestRegistry.table("example.com", "Widget").columns())
                .extracting(ColumnDefinition::name, ColumnDefinition::type, ColumnDefinition::format)
                .containsExactly(tuple("Name", "string", "name"), tuple("Created At", "date", ""));
    }

    @Test
    void columnTypesFollowUpstream() {
        assertThat(TestRegistry.table("", "Pod").columns())
                .extracting(ColumnDefinition::type)
                .containsExactly(
                        "string", "string", "string", "string", "string", "string", "string", "string", "string");
        assertThat(TestRegistry.table("apps", "ReplicaSet").columns())
                .extracting(ColumnDefinition::type)
                .containsExactly("string", "integer", "integer", "integer", "string", "string", "string", "string");
        assertThat(TestRegistry.table("batch", "CronJob").columns())
                .extracting(ColumnDefinition::type)
                .containsExactly(
                        "string", "string", "string", "boolean", "integer", "string", "string", "string", "string",
                        "string");
        assertThat(TestRegistry.table("scheduling.k8s.io", "PriorityClass").columns())
                .extracting(ColumnDefinition::type)
                .containsExactly("string", "integer", "boolean", "string", "string");
    }

    @Test
    void wellKnownDescriptionsComeFromTheApiDocs() {
        assertThat(TestRegistry.table("", "Service").columns().get(2).description())
                .startsWith("clusterIP is the IP address of the service");
        assertThat(TestRegistry.table("", "Pod").columns().get(1).description())
                .isEqualTo("The aggregate readiness state of this pod for accepting traffic.");
        assertThat(TestRegistry.table("apps", "Deployment").columns().get(5).description())
                .isEqualTo("Names of each container in the template.");
    }
}
