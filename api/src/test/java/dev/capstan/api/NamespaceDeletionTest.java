package dev.capstan.api;

import static dev.capstan.api.TestApi.api;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.capstan.api.http.ApiServer;
import dev.capstan.model.grpc.ApiGrpc;
import dev.capstan.model.grpc.DeleteRequest;
import dev.capstan.model.grpc.ResourceRef;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Namespace deletion through the generic delete of every object in it, whichever way the namespace was deleted:
 * finalizers hold it, Service addresses are freed.
 */
@QuarkusTest
class NamespaceDeletionTest {
    @Inject
    ApiServer server;

    private static String service(String ip, int nodePort) {
        return """
                {"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},
                 "spec":{"type":"NodePort","clusterIP":"%s","ports":[{"port":80,"nodePort":%d}]}}""".formatted(ip, nodePort);
    }

    /** A NodePort Service's allocated address and node port. */
    private record Allocated(String ip, int nodePort) {}

    private Allocated serviceIn(String ns) {
        var created = api(server)
                .body("{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"s\"},"
                        + "\"spec\":{\"type\":\"NodePort\",\"ports\":[{\"port\":80}]}}")
                .post("/api/v1/namespaces/" + ns + "/services")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        return new Allocated(created.getString("spec.clusterIP"), created.getInt("spec.ports[0].nodePort"));
    }

    private void awaitGone(String ns) {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> api(server).get("/api/v1/namespaces/" + ns).then().statusCode(404));
    }

    /** After the namespace is gone its Service's address and node port can be claimed again. */
    private void claimAgain(Allocated allocated) {
        String other = TestApi.namespace(server);
        api(server)
                .body(service(allocated.ip(), allocated.nodePort()))
                .post("/api/v1/namespaces/" + other + "/services")
                .then()
                .statusCode(201);
    }

    @Test
    void deletedOverRestItsServiceAddressesAreFreeAgain() {
        String ns = TestApi.namespace(server);
        Allocated allocated = serviceIn(ns);

        api(server)
                .delete("/api/v1/namespaces/" + ns)
                .then()
                .statusCode(200)
                .body("status.phase", equalTo("Terminating"));
        awaitGone(ns);
        claimAgain(allocated);
    }

    @Test
    void deletedOverGrpcItsServiceAddressesAreFreeAgain() throws Exception {
        String ns = TestApi.namespace(server);
        Allocated allocated = serviceIn(ns);

        ManagedChannel channel = ManagedChannelBuilder.forAddress(
                        "127.0.0.1",
                        org.eclipse.microprofile.config.ConfigProvider.getConfig()
                                .getValue("quarkus.grpc.server.test-port", Integer.class))
                .usePlaintext()
                .build();
        try {
            // The controller manager's own identity, as that component will call it.
            String token = Files.readString(Path.of("target/capstan-test-data/tokens/controller-manager"))
                    .strip();
            Metadata headers = new Metadata();
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
            ApiGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                    .withDeadlineAfter(30, TimeUnit.SECONDS)
                    .delete(DeleteRequest.newBuilder()
                            .setRef(ResourceRef.newBuilder()
                                    .setVersion("v1")
                                    .setResource("namespaces")
                                    .setName(ns))
                            .build());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        awaitGone(ns);
        claimAgain(allocated);
    }

    @Test
    void anObjectWithAFinalizerKeepsItsNamespaceTerminatingUntilTheFinalizerGoes() {
        String ns = TestApi.namespace(server);
        String cm = "/api/v1/namespaces/" + ns + "/configmaps";
        api(server)
                .body("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"held\","
                        + "\"finalizers\":[\"example.com/hold\"]}}")
                .post(cm)
                .then()
                .statusCode(201);
        api(server).delete("/api/v1/namespaces/" + ns).then().statusCode(200);

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> api(server)
                        .get(cm + "/held")
                        .then()
                        .statusCode(200)
                        .body("metadata.deletionTimestamp", org.hamcrest.Matchers.notNullValue()));
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> api(server)
                        .get("/api/v1/namespaces/" + ns)
                        .then()
                        .statusCode(200)
                        .body("status.phase", equalTo("Terminating")));

        api(server)
                .contentType("application/merge-patch+json")
                .body("{\"metadata\":{\"finalizers\":null}}")
                .patch(cm + "/held")
                .then()
                .statusCode(200);
        awaitGone(ns);
    }

    @Test
    void namespacesRefuseACollectionDeleteAsUpstreamDoes() {
        String label = TestApi.randomName("batch");
        String ns = TestApi.randomName("ns");
        api(server)
                .body("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + ns
                        + "\",\"labels\":{\"batch\":\"" + label + "\"}}}")
                .post("/api/v1/namespaces")
                .then()
                .statusCode(201);
        api(server)
                .queryParam("labelSelector", "batch=" + label)
                .delete("/api/v1/namespaces")
                .then()
                .statusCode(405)
                .body("reason", equalTo("MethodNotAllowed"));
        api(server).get("/api/v1/namespaces/" + ns).then().statusCode(200).body("status.phase", equalTo("Active"));
        api(server)
                .get("/api/v1")
                .then()
                .body("resources.find { it.name == 'namespaces' }.verbs", not(hasItem("deletecollection")))
                .body("resources.find { it.name == 'configmaps' }.verbs", hasItem("deletecollection"));
    }
}
