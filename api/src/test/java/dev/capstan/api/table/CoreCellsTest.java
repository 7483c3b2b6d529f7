package dev.capstan.api.table;

import static dev.capstan.api.table.Fixtures.cells;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CoreCellsTest {

    @Test
    void clusterIpService() {
        List<Object> row = cells("", "Service", """
                {"metadata": {"name": "web", "creationTimestamp": "2025-06-01T07:00:00Z"},
                 "spec": {"type": "ClusterIP", "clusterIP": "10.96.0.10", "clusterIPs": ["10.96.0.10"],
                          "ports": [{"name": "dns", "port": 53, "protocol": "UDP"},
                                    {"name": "dns-tcp", "port": 53, "protocol": "TCP"}],
                          "selector": {"k8s-app": "kube-dns"}}}
                """);

        assertThat(row)
                .containsExactly("web", "ClusterIP", "10.96.0.10", "<none>", "53/UDP,53/TCP", "5h", "k8s-app=kube-dns");
    }

    @Test
    void nodePortServiceShowsBothPortsAndSortedSelector() {
        List<Object> row = cells("", "Service", """
                {"metadata": {"name": "web", "creationTimestamp": "2025-05-01T12:00:00Z"},
                 "spec": {"type": "NodePort", "clusterIPs": ["10.96.12.7"],
                          "ports": [{"port": 80, "nodePort": 30080, "protocol": "TCP", "targetPort": 8080}],
                          "selector": {"tier": "frontend", "app": "web"}}}
                """);

        assertThat(row)
                .containsExactly(
                        "web", "NodePort", "10.96.12.7", "<none>", "80:30080/TCP", "31d", "app=web,tier=frontend");
    }

    @Test
    void loadBalancerServiceWithIngressIp() {
        List<Object> row = cells("", "Service", """
                {"metadata": {"name": "lb", "creationTimestamp": "2025-06-01T07:00:00Z"},
                 "spec": {"type": "LoadBalancer", "clusterIPs": ["10.96.3.3"],
                          "ports": [{"port": 443, "nodePort": 31443, "protocol": "TCP"}]},
                 "status": {"loadBalancer": {"ingress": [{"ip": "203.0.113.10"}]}}}
                """);

        assertThat(row)
                .containsExactly("lb", "LoadBalancer", "10.96.3.3", "203.0.113.10", "443:31443/TCP", "5h", "<none>");
    }

    @Test
    void loadBalancerServiceWithoutIngressIsPending() {
        List<Object> row = cells("", "Service", """
                {"metadata": {"name": "lb"},
                 "spec": {"type": "LoadBalancer", "clusterIPs": ["10.96.3.4"], "ports": [{"port": 80}]}}
                """);

        assertThat(row.subList(1, 5)).containsExactly("LoadBalancer", "10.96.3.4", "<pending>", "80/TCP");
    }

    @Test
    void loadBalancerIngressesAreSortedAndExternalIpsAppendedUnclipped() {
        List<Object> row = cells("", "Service", """
                {"metadata": {"name": "lb"},
                 "spec": {"type": "LoadBalancer", "externalIPs": ["198.51.100.1"], "ports": [{"port": 80}]},
                 "status": {"loadBalancer": {"ingress": [{"hostname": "a1234567890.elb.example.com"},
                                                         {"ip": "203.0.113.20"}]}}}
                """);

        assertThat(row.get(3)).isEqualTo("203.0.113.20,a1234567890.elb.example.com,198.51.100.1");
    }

    @Test
    void externalNameService() {
        List<Object> row = cells("", "Service", """
                {"metadata": {"name": "db"}, "spec": {"type": "ExternalName", "externalName": "db.example.com"}}
                """);

        assertThat(row)
                .containsExactly("db", "ExternalName", "<none>", "db.example.com", "<none>", "<unknown>", "<none>");
    }

    @Test
    void headlessServiceWithoutTypeDefaultsToClusterIp() {
        List<Object> row = cells("", "Service", """
                {"metadata": {"name": "db"}, "spec": {"clusterIP": "None", "ports": [{"port": 5432}]}}
                """);

        assertThat(row.subList(1, 5)).containsExactly("ClusterIP", "None", "<none>", "5432/TCP");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"Active", "Terminating"})
    void namespace(String phase) {
        List<Object> row = cells("", "Namespace", """
                {"metadata": {"name": "team-a", "creationTimestamp": "2025-06-01T07:00:00Z"},
                 "status": {"phase": "%s"}}
                """.formatted(phase));

        assertThat(row).containsExactly("team-a", phase, "5h");
    }

    @Test
    void configMapCountsDataAndBinaryData() {
        List<Object> row = cells("", "ConfigMap", """
                {"metadata": {"name": "settings", "creationTimestamp": "2025-06-01T11:59:00Z"},
                 "data": {"a.conf": "x", "b.conf": "y"}, "binaryData": {"logo.png": "iVBORw0KGgo="}}
                """);

        assertThat(row).containsExactly("settings", 3L, "60s");
    }

    @Test
    void secretShowsTypeAndDataCount() {
        List<Object> row = cells("", "Secret", """
                {"metadata": {"name": "tls", "creationTimestamp": "2025-06-01T07:00:00Z"},
                 "type": "kubernetes.io/tls", "data": {"tls.crt": "Y3J0", "tls.key": "a2V5"}}
                """);

        assertThat(row).containsExactly("tls", "kubernetes.io/tls", 2L, "5h");
    }

    @Test
    void secretWithoutTypeIsOpaque() {
        List<Object> row = cells("", "Secret", """
                {"metadata": {"name": "creds"}, "stringData": {"password": "hunter2"}}
                """);

        assertThat(row).containsExactly("creds", "Opaque", 1L, "<unknown>");
    }

    @Test
    void serviceAccountCountsSecrets() {
        List<Object> row = cells("", "ServiceAccount", """
                {"metadata": {"name": "default", "creationTimestamp": "2025-06-01T07:00:00Z"},
                 "secrets": [{"name": "default-token"}]}
                """);

        assertThat(row).containsExactly("default", 1L, "5h");
    }

    @Test
    void readyControlPlaneNodeWithRoles() {
        List<Object> row = cells("", "Node", """
                {"metadata": {"name": "cp-1", "creationTimestamp": "2025-05-01T12:00:00Z",
                              "labels": {"node-role.kubernetes.io/control-plane": "",
                                         "node-role.kubernetes.io/master": "",
                                         "kubernetes.io/hostname": "cp-1"}},
                 "spec": {},
                 "status": {"conditions": [{"type": "MemoryPressure", "status": "False"},
                                           {"type": "Ready", "status": "True"}],
                            "addresses": [{"type": "InternalIP", "address": "192.168.1.10"},
                                          {"type": "Hostname", "address": "cp-1"}],
                            "nodeInfo": {"kubeletVersion": "v1.32.1", "osImage": "Ubuntu 24.04.1 LTS",
                                         "kernelVersion": "6.8.0-51-generic",
                                         "containerRuntimeVersion": "containerd://1.7.24"}}}
                """);

        assertThat(row)
                .containsExactly(
                        "cp-1",
                        "Ready",
                        "control-plane,master",
                        "31d",
                        "v1.32.1",
                        "192.168.1.10",
                        "<none>",
                        "Ubuntu 24.04.1 LTS",
                        "6.8.0-51-generic",
                        "containerd://1.7.24");
    }

    @Test
    void cordonedNotReadyWorkerNode() {
        List<Object> row = cells("", "Node", """
                {"metadata": {"name": "w-1", "creationTimestamp": "2025-06-01T04:00:00Z",
                              "labels": {"kubernetes.io/role": "worker"}},
                 "spec": {"unschedulable": true},
                 "status": {"conditions": [{"type": "Ready", "status": "Unknown"}],
                            "addresses": [{"type": "ExternalIP", "address": "203.0.113.4"}],
                            "nodeInfo": {"kubeletVersion": "v1.31.4"}}}
                """);

        assertThat(row)
                .containsExactly(
                        "w-1",
                        "NotReady,SchedulingDisabled",
                        "worker",
                        "8h",
                        "v1.31.4",
                        "<none>",
                        "203.0.113.4",
                        "<unknown>",
                        "<unknown>",
                        "<unknown>");
    }

    @Test
    void nodeWithoutReadyConditionIsUnknown() {
        List<Object> row = cells("", "Node", """
                {"metadata": {"name": "fresh"}}
                """);

        assertThat(row.subList(0, 3)).containsExactly("fresh", "Unknown", "<none>");
    }

    @Test
    void endpointsListUpToThreeAddressPortPairs() {
        List<Object> row = cells("", "Endpoints", """
                {"metadata": {"name": "web", "creationTimestamp": "2025-06-01T07:00:00Z"},
                 "subsets": [{"addresses": [{"ip": "10.0.0.1"}, {"ip": "10.0.0.2"}], "ports": [{"port": 8080}]},
                             {"addresses": [{"ip": "10.0.0.3"}, {"ip": "fd00::4"}], "ports": [{"port": 8443}]}]}
                """);

        assertThat(row).containsExactly("web", "10.0.0.1:8080,10.0.0.2:8080,10.0.0.3:8443 + 1 more...", "5h");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "[]|<none>",
                "[{\"addresses\": [{\"ip\": \"10.0.0.1\"}]}]|10.0.0.1",
                "[{\"addresses\": [{\"ip\": \"fd00::1\"}], \"ports\": [{\"port\": 80}]}]|[fd00::1]:80",
            })
    void endpointsEdgeCases(String subsets, String expected) {
        List<Object> row = cells("", "Endpoints", """
                {"metadata": {"name": "e"}, "subsets": %s}
                """.formatted(subsets));

        assertThat(row.get(1)).isEqualTo(expected);
    }

    @Test
    void resourceQuotaSplitsRequestsAndLimits() {
        List<Object> row = cells("", "ResourceQuota", """
                {"metadata": {"name": "compute", "creationTimestamp": "2025-06-01T07:00:00Z"},
                 "status": {"hard": {"requests.cpu": "1", "requests.memory": "1Gi", "limits.cpu": "2",
                                     "limits.memory": "2Gi", "pods": "10"},
                            "used": {"requests.cpu": "500m", "requests.memory": "536870912", "limits.cpu": "1",
                                     "pods": "3"}}}
                """);

        assertThat(row)
                .containsExactly(
                        "compute",
                        "pods: 3/10, requests.cpu: 500m/1, requests.memory: 536870912/1Gi",
                        "limits.cpu: 1/2, limits.memory: 0/2Gi",
                        "5h");
    }

    @Test
    void limitRangeUsesTheDefaultTable() {
        List<Object> row = cells("", "LimitRange", """
                {"metadata": {"name": "limits", "creationTimestamp": "2025-06-01T07:00:00Z"},
                 "spec": {"limits": [{"type": "Container"}]}}
                """);

        assertThat(row).containsExactly("limits", "2025-06-01T07:00:00Z");
    }
}
