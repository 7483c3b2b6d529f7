package dev.capstan.api.table;

import static dev.capstan.api.table.Fixtures.cells;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClusterCellsTest {

    @Test
    void ingressWithClassTlsAndAddress() {
        List<Object> row = cells("networking.k8s.io", "Ingress", """
                {"metadata": {"name": "web", "creationTimestamp": "2025-06-01T07:00:00Z"},
                 "spec": {"ingressClassName": "nginx",
                          "rules": [{"host": "example.com"}, {"host": "www.example.com"}],
                          "tls": [{"hosts": ["example.com"], "secretName": "web-tls"}]},
                 "status": {"loadBalancer": {"ingress": [{"ip": "203.0.113.7"}]}}}
                """);

        assertThat(row).containsExactly("web", "nginx", "example.com,www.example.com", "203.0.113.7", "80, 443", "5h");
    }

    @Test
    void bareIngress() {
        List<Object> row = cells("networking.k8s.io", "Ingress", """
                {"metadata": {"name": "catch-all"},
                 "spec": {"defaultBackend": {"service": {"name": "web", "port": {"number": 80}}},
                          "rules": [{"http": {"paths": []}}]}}
                """);

        assertThat(row).containsExactly("catch-all", "<none>", "*", "", "80", "<unknown>");
    }

    @Test
    void ingressWithManyHostsCountsTheRest() {
        List<Object> row = cells("networking.k8s.io", "Ingress", """
                {"metadata": {"name": "many"},
                 "spec": {"rules": [{"host": "a.example"}, {}, {"host": "b.example"}, {"host": "c.example"},
                                    {"host": "d.example"}, {"host": "e.example"}]}}
                """);

        assertThat(row.get(2)).isEqualTo("a.example,b.example,c.example + 3 more...");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"matchLabels\": {\"role\": \"db\"}}|role=db",
                "{}|<none>",
                "{\"matchExpressions\": [{\"key\": \"tier\", \"operator\": \"NotIn\", \"values\": [\"web\"]}]}"
                        + "|tier notin (web)",
                "{\"matchExpressions\": [{\"key\": \"tier\", \"operator\": \"Bogus\"}]}|<error>",
            })
    void networkPolicyPodSelector(String selector, String expected) {
        List<Object> row = cells("networking.k8s.io", "NetworkPolicy", """
                {"metadata": {"name": "db-access", "creationTimestamp": "2025-06-01T07:00:00Z"},
                 "spec": {"podSelector": %s, "policyTypes": ["Ingress"]}}
                """.formatted(selector));

        assertThat(row).containsExactly("db-access", expected, "5h");
    }

    @Test
    void endpointSlice() {
        List<Object> row = cells("discovery.k8s.io", "EndpointSlice", """
                {"metadata": {"name": "web-x7k2p", "creationTimestamp": "2025-06-01T07:00:00Z"},
                 "addressType": "IPv4",
                 "ports": [{"name": "http", "port": 80, "protocol": "TCP"}, {"name": "metrics"}, {}],
                 "endpoints": [{"addresses": ["10.0.0.1"]}, {"addresses": ["10.0.0.2", "10.0.0.3"]},
                               {"addresses": ["10.0.0.4"]}]}
                """);

        assertThat(row)
                .containsExactly("web-x7k2p", "IPv4", "80,metrics,*", "10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...", "5h");
    }

    @Test
    void emptyEndpointSlice() {
        List<Object> row = cells("discovery.k8s.io", "EndpointSlice", """
                {"metadata": {"name": "empty"}, "addressType": "IPv6", "endpoints": []}
                """);

        assertThat(row).containsExactly("empty", "IPv6", "<unset>", "<unset>", "<unknown>");
    }

    @Test
    void lease() {
        assertThat(cells("coordination.k8s.io", "Lease", """
                        {"metadata": {"name": "kube-scheduler", "creationTimestamp": "2025-06-01T07:00:00Z"},
                         "spec": {"holderIdentity": "cp-1_5f0c", "leaseDurationSeconds": 15}}
                        """)).containsExactly("kube-scheduler", "cp-1_5f0c", "5h");
        assertThat(cells("coordination.k8s.io", "Lease", """
                        {"metadata": {"name": "free"}, "spec": {}}
                        """)).containsExactly("free", "", "<unknown>");
    }

    @Test
    void roleBindingListsSubjectsByKind() {
        List<Object> row = cells("rbac.authorization.k8s.io", "RoleBinding", """
                {"metadata": {"name": "read-pods", "namespace": "default",
                              "creationTimestamp": "2025-06-01T07:00:00Z"},
                 "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "pod-reader"},
                 "subjects": [{"kind": "User", "name": "jane"},
                              {"kind": "ServiceAccount", "namespace": "default", "name": "ci"},
                              {"kind": "Group", "name": "devs"},
                              {"kind": "ServiceAccount", "namespace": "kube-system", "name": "bot"},
                              {"kind": "User", "name": "joe"}]}
                """);

        assertThat(row)
                .containsExactly(
                        "read-pods", "Role/pod-reader", "5h", "jane, joe", "devs", "default/ci, kube-system/bot");
    }

    @Test
    void clusterRoleBindingToGroup() {
        List<Object> row = cells("rbac.authorization.k8s.io", "ClusterRoleBinding", """
                {"metadata": {"name": "cluster-admin"},
                 "roleRef": {"kind": "ClusterRole", "name": "cluster-admin"},
                 "subjects": [{"kind": "Group", "name": "system:masters"}]}
                """);

        assertThat(row)
                .containsExactly("cluster-admin", "ClusterRole/cluster-admin", "<unknown>", "", "system:masters", "");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"Role", "ClusterRole"})
    void rolesUseTheDefaultTable(String kind) {
        List<Object> row = cells("rbac.authorization.k8s.io", kind, """
                {"metadata": {"name": "pod-reader", "creationTimestamp": "2025-06-01T10:00:00+02:00"},
                 "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}]}
                """);

        assertThat(row).containsExactly("pod-reader", "2025-06-01T08:00:00Z");
    }

    @Test
    void unknownKindWithoutTimestampShowsGoZeroTime() {
        assertThat(cells("example.com", "Widget", """
                        {"metadata": {"name": "w1"}}
                        """)).containsExactly("w1", "0001-01-01T00:00:00Z");
    }

    @Test
    void priorityClass() {
        assertThat(cells("scheduling.k8s.io", "PriorityClass", """
                        {"metadata": {"name": "high", "creationTimestamp": "2025-06-01T07:00:00Z"},
                         "value": 1000000, "globalDefault": false, "preemptionPolicy": "Never"}
                        """))
                .containsExactly("high", 1000000L, false, "5h", "Never");
        assertThat(cells("scheduling.k8s.io", "PriorityClass", """
                        {"metadata": {"name": "system-node-critical"}, "value": 2000001000, "globalDefault": true}
                        """))
                .containsExactly("system-node-critical", 2000001000L, true, "<unknown>", "PreemptLowerPriority");
    }
}
