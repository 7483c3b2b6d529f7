package dev.capstan.netproxy.proxy;

import static dev.capstan.netproxy.proxy.Fixtures.NODE;
import static dev.capstan.netproxy.proxy.Fixtures.endpoint;
import static dev.capstan.netproxy.proxy.Fixtures.port;
import static dev.capstan.netproxy.proxy.Fixtures.ready;
import static dev.capstan.netproxy.proxy.Fixtures.service;
import static dev.capstan.netproxy.proxy.Fixtures.slice;
import static dev.capstan.netproxy.proxy.Fixtures.slicePort;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;
import java.util.Map;

/** The inputs of the golden files under golden/proxy/, one per case name. */
final class GoldenCases {
    private GoldenCases() {}

    /** The cases one after another, each kind of part coming and going, the table ending where it began. */
    static final List<String> SEQUENCE = List.of(
            "clusterip",
            "traffic-policy-local",
            "session-affinity",
            "edge-cases",
            "nodeport-loadbalancer",
            "session-affinity",
            "clusterip");

    static final Map<String, ProxyInputs> CASES = Map.of(
            "clusterip", clusterIp(),
            "nodeport-loadbalancer", nodePortAndLoadBalancer(),
            "traffic-policy-local", trafficPolicyLocal(),
            "session-affinity", sessionAffinity(),
            "edge-cases", edgeCases());

    /** Two ports, one by name (targetPort "http" = 8080 in the slice), a not-ready endpoint left out. */
    private static ProxyInputs clusterIp() {
        Service web = service("default", "web", "10.96.0.20", port("http", 80, "http"), port("metrics", 9090, 9090))
                .build();
        EndpointSlice slice = slice(
                "default",
                "web",
                "web-abc12",
                List.of(slicePort("http", "TCP", 8080), slicePort("metrics", "TCP", 9090)),
                ready("10.244.1.5", NODE),
                ready("10.244.2.7", "node-b"),
                endpoint("10.244.2.8", "node-b", false, false, false));
        Service dns = service(
                        "kube-system",
                        "kube-dns",
                        "10.96.0.10",
                        port("dns", "UDP", 53, 53, null),
                        port("dns-tcp", "TCP", 53, 53, null))
                .build();
        EndpointSlice dnsSlice = slice(
                "kube-system",
                "kube-dns",
                "kube-dns-x1",
                List.of(slicePort("dns", "UDP", 53), slicePort("dns-tcp", "TCP", 53)),
                ready("192.168.50.10", NODE));
        return Fixtures.inputs(List.of(web, dns), List.of(slice, dnsSlice));
    }

    /** NodePort and LoadBalancer with externalTrafficPolicy Cluster: masquerade all external traffic. */
    private static ProxyInputs nodePortAndLoadBalancer() {
        Service np = service("shop", "front", "10.96.3.1", port("", "TCP", 80, 8080, 30080))
                .editSpec()
                .withType("NodePort")
                .withExternalTrafficPolicy("Cluster")
                .endSpec()
                .build();
        Service lb = service("shop", "api", "10.96.3.2", port("https", "TCP", 443, 8443, 31443))
                .editSpec()
                .withType("LoadBalancer")
                .withExternalTrafficPolicy("Cluster")
                .endSpec()
                .build();
        return Fixtures.inputs(
                List.of(np, lb),
                List.of(
                        slice(
                                "shop",
                                "front",
                                "front-1",
                                List.of(slicePort("", "TCP", 8080)),
                                ready("10.244.2.9", "node-b")),
                        slice(
                                "shop",
                                "api",
                                "api-1",
                                List.of(slicePort("https", "TCP", 8443)),
                                ready("10.244.1.3", NODE),
                                ready("10.244.3.4", "node-c"))));
    }

    /** externalTrafficPolicy Local (one local endpoint, one without), internalTrafficPolicy Local. */
    private static ProxyInputs trafficPolicyLocal() {
        Service etp = service("edge", "ingress", "10.96.4.1", port("http", "TCP", 80, 8080, 30001))
                .editSpec()
                .withType("LoadBalancer")
                .withExternalTrafficPolicy("Local")
                .withHealthCheckNodePort(32001)
                .endSpec()
                .build();
        Service etpRemote = service("edge", "remote-only", "10.96.4.2", port("http", "TCP", 80, 8080, 30002))
                .editSpec()
                .withType("NodePort")
                .withExternalTrafficPolicy("Local")
                .endSpec()
                .build();
        Service itp = service("edge", "node-local", "10.96.4.3", port("agent", 8125, 8125))
                .editSpec()
                .withInternalTrafficPolicy("Local")
                .endSpec()
                .build();
        return Fixtures.inputs(
                List.of(etp, etpRemote, itp),
                List.of(
                        slice(
                                "edge",
                                "ingress",
                                "ingress-1",
                                List.of(slicePort("http", "TCP", 8080)),
                                ready("10.244.1.20", NODE),
                                ready("10.244.2.20", "node-b")),
                        slice(
                                "edge",
                                "remote-only",
                                "remote-only-1",
                                List.of(slicePort("http", "TCP", 8080)),
                                ready("10.244.2.21", "node-b")),
                        slice(
                                "edge",
                                "node-local",
                                "node-local-1",
                                List.of(slicePort("agent", "TCP", 8125)),
                                ready("10.244.1.30", NODE),
                                ready("10.244.2.30", "node-b"))));
    }

    /** ClientIP affinity with a timeout; serving+terminating endpoints stand in when none is ready. */
    private static ProxyInputs sessionAffinity() {
        Service sticky = service("app", "sticky", "10.96.5.1", port("web", 80, 8080))
                .editSpec()
                .withSessionAffinity("ClientIP")
                .withNewSessionAffinityConfig()
                .withNewClientIP()
                .withTimeoutSeconds(600)
                .endClientIP()
                .endSessionAffinityConfig()
                .endSpec()
                .build();
        Service rolling =
                service("app", "rolling", "10.96.5.2", port("web", 80, 8080)).build();
        return Fixtures.inputs(
                List.of(sticky, rolling),
                List.of(
                        slice(
                                "app",
                                "sticky",
                                "sticky-1",
                                List.of(slicePort("web", "TCP", 8080)),
                                ready("10.244.1.40", NODE),
                                ready("10.244.2.40", "node-b")),
                        slice(
                                "app",
                                "rolling",
                                "rolling-1",
                                List.of(slicePort("web", "TCP", 8080)),
                                endpoint("10.244.1.50", NODE, false, true, true),
                                endpoint("10.244.2.50", "node-b", false, false, true))));
    }

    /** No endpoints (reject), headless (nothing), externalIPs, SCTP, an ExternalName Service (nothing). */
    private static ProxyInputs edgeCases() {
        Service empty = service("misc", "empty", "10.96.6.1", port("http", "TCP", 80, 8080, 30600))
                .editSpec()
                .withType("NodePort")
                .withExternalTrafficPolicy("Cluster")
                .withExternalIPs("203.0.113.7")
                .endSpec()
                .build();
        Service headless =
                service("misc", "headless", "None", port("http", 80, 8080)).build();
        Service external = service("misc", "ext", "10.96.6.3", port("sctp", "SCTP", 3868, 3868, null))
                .editSpec()
                .withExternalIPs("203.0.113.8")
                .withExternalTrafficPolicy("Cluster")
                .endSpec()
                .build();
        Service name = service("misc", "alias", null)
                .editSpec()
                .withType("ExternalName")
                .withExternalName("example.org")
                .endSpec()
                .build();
        return Fixtures.inputs(
                List.of(empty, headless, external, name),
                List.of(
                        slice(
                                "misc",
                                "headless",
                                "headless-1",
                                List.of(slicePort("http", "TCP", 8080)),
                                ready("10.244.1.60", NODE)),
                        slice(
                                "misc",
                                "ext",
                                "ext-1",
                                List.of(slicePort("sctp", "SCTP", 3868)),
                                ready("10.244.2.61", "node-b"))));
    }
}
