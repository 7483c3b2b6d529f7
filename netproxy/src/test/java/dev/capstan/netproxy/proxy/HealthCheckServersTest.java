package dev.capstan.netproxy.proxy;

import static dev.capstan.netproxy.proxy.Fixtures.NODE;
import static dev.capstan.netproxy.proxy.Fixtures.port;
import static dev.capstan.netproxy.proxy.Fixtures.ready;
import static dev.capstan.netproxy.proxy.Fixtures.service;
import static dev.capstan.netproxy.proxy.Fixtures.slice;
import static dev.capstan.netproxy.proxy.Fixtures.slicePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthCheckServersTest {
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static ProxyInputs inputs(Service service, EndpointSlice slice) {
        return new ProxyInputs(List.of(service), List.of(slice), NODE, List.of("127.0.0.1"));
    }

    private static HttpResponse<String> get(int port) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void answersWithTheLocalEndpointCountAsUpstream() throws Exception {
        int hc = freePort();
        Service lb = service("edge", "ingress", "10.96.4.1", port("http", "TCP", 80, 8080, 30001))
                .editSpec()
                .withType("LoadBalancer")
                .withExternalTrafficPolicy("Local")
                .withHealthCheckNodePort(hc)
                .endSpec()
                .build();
        var ports = List.of(slicePort("http", "TCP", 8080));
        try (HealthCheckServers servers = new HealthCheckServers()) {
            servers.sync(inputs(
                    lb,
                    slice(
                            "edge",
                            "ingress",
                            "i-1",
                            ports,
                            ready("10.244.1.5", NODE),
                            ready("10.244.1.6", NODE),
                            ready("10.244.2.5", "node-b"))));
            HttpResponse<String> ok = get(hc);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body())
                    .isEqualTo("{\"service\":{\"namespace\":\"edge\",\"name\":\"ingress\"},\"localEndpoints\":2}");

            servers.sync(inputs(lb, slice("edge", "ingress", "i-1", ports, ready("10.244.2.5", "node-b"))));
            HttpResponse<String> none = get(hc);
            assertThat(none.statusCode()).isEqualTo(503);
            assertThat(none.body()).contains("\"localEndpoints\":0");

            Service cluster = service("edge", "ingress", "10.96.4.1", port("http", "TCP", 80, 8080, 30001))
                    .editSpec()
                    .withType("LoadBalancer")
                    .withExternalTrafficPolicy("Cluster")
                    .endSpec()
                    .build();
            servers.sync(inputs(cluster, slice("edge", "ingress", "i-1", ports, ready("10.244.1.5", NODE))));
            assertThatThrownBy(() -> get(hc)).isInstanceOf(IOException.class);
        }
    }
}
