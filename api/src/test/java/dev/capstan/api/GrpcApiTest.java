package dev.capstan.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import dev.capstan.api.http.ApiServer;
import dev.capstan.model.grpc.ApiGrpc;
import dev.capstan.model.grpc.BindRequest;
import dev.capstan.model.grpc.CreateRequest;
import dev.capstan.model.grpc.DeleteRequest;
import dev.capstan.model.grpc.GetRequest;
import dev.capstan.model.grpc.ListRequest;
import dev.capstan.model.grpc.ListResponse;
import dev.capstan.model.grpc.Object;
import dev.capstan.model.grpc.PatchRequest;
import dev.capstan.model.grpc.ResourceRef;
import dev.capstan.model.grpc.UpdateRequest;
import dev.capstan.model.grpc.WatchEvent;
import dev.capstan.model.grpc.WatchRequest;
import dev.capstan.model.grpc.WriteOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The internal gRPC API: list, watch, compare-and-swap update and bind, as the scheduler will use them. */
@QuarkusTest
class GrpcApiTest {
    @Inject
    ApiServer server;

    private ManagedChannel channel;
    private ApiGrpc.ApiBlockingStub api;
    private String ns;

    @BeforeEach
    void connect() {
        channel = ManagedChannelBuilder.forAddress(
                        "127.0.0.1",
                        org.eclipse.microprofile.config.ConfigProvider.getConfig()
                                .getValue("quarkus.grpc.server.test-port", Integer.class))
                .usePlaintext()
                .build();
        Metadata token = new Metadata();
        token.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + TestApi.token());
        // A deadline turns a call that never answers into a failure instead of a stuck build.
        api = ApiGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(token))
                .withDeadlineAfter(60, TimeUnit.SECONDS);
        ns = TestApi.namespace(server);
    }

    @AfterEach
    void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private ResourceRef pods(String name) {
        return ResourceRef.newBuilder()
                .setVersion("v1")
                .setResource("pods")
                .setNamespace(ns)
                .setName(name)
                .build();
    }

    private static Object json(String text) {
        return Object.newBuilder()
                .setData(ByteString.copyFromUtf8(text))
                .setEncoding("application/json")
                .build();
    }

    private static JsonNode parse(Object object) throws Exception {
        return Json.MAPPER.readTree(object.getData().toByteArray());
    }

    @Test
    void listWatchCompareAndSwapAndBind() throws Exception {
        api.create(
                CreateRequest.newBuilder().setRef(pods("")).setObject(json("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p1"},
                 "spec":{"containers":[{"name":"c","image":"busybox"}]}}""")).build());
        ListResponse list = api.list(ListRequest.newBuilder()
                .setRef(pods(""))
                .setFieldSelector("spec.nodeName=")
                .build());
        assertThat(list.getItemsList()).hasSize(1);
        Object p1 = list.getItems(0);
        assertThat(parse(p1).path("metadata").path("name").asText()).isEqualTo("p1");

        BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
        ApiGrpc.ApiBlockingStub watching = api;
        Thread watcher = Thread.ofVirtual().start(() -> {
            try {
                Iterator<WatchEvent> stream = watching.watch(WatchRequest.newBuilder()
                        .setRef(pods(""))
                        .setResourceVersion(list.getResourceVersion())
                        .setTimeoutSeconds(20)
                        .build());
                stream.forEachRemaining(events::add);
            } catch (StatusRuntimeException e) {
                // The channel closes at the end of the test.
            }
        });

        // A compare-and-swap update at the listed resourceVersion succeeds; the same one again conflicts.
        ObjectNode labelled = (ObjectNode) parse(p1);
        ((ObjectNode) labelled.path("metadata")).putObject("labels").put("tier", "web");
        Object updated = api.update(UpdateRequest.newBuilder()
                .setRef(pods("p1"))
                .setObject(json(labelled.toString()))
                .build());
        assertThat(Long.parseLong(updated.getResourceVersion())).isGreaterThan(Long.parseLong(p1.getResourceVersion()));
        assertThatThrownBy(() -> api.update(UpdateRequest.newBuilder()
                        .setRef(pods("p1"))
                        .setObject(json(labelled.toString()))
                        .build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
                    assertThat(e.getStatus().getDescription()).contains("\"reason\":\"Conflict\"");
                });

        // a binding decided for another incarnation of the pod (its UID as a precondition) is refused
        assertThatThrownBy(() -> api.bind(BindRequest.newBuilder()
                        .setNamespace(ns)
                        .setPod("p1")
                        .setUid("00000000-0000-0000-0000-000000000000")
                        .setNode("node-1")
                        .build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
                    assertThat(e.getStatus().getDescription())
                            .contains("Precondition failed: UID in precondition: 00000000-0000-0000-0000-000000000000");
                });
        String uid = parse(api.get(GetRequest.newBuilder().setRef(pods("p1")).build()))
                .path("metadata")
                .path("uid")
                .asText();
        api.bind(BindRequest.newBuilder()
                .setNamespace(ns)
                .setPod("p1")
                .setUid(uid)
                .setNode("node-1")
                .build());
        assertThat(parse(api.get(GetRequest.newBuilder().setRef(pods("p1")).build()))
                        .path("spec")
                        .path("nodeName")
                        .asText())
                .isEqualTo("node-1");
        assertThatThrownBy(() -> api.bind(BindRequest.newBuilder()
                        .setNamespace(ns)
                        .setPod("p1")
                        .setNode("node-2")
                        .build()))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED));

        WatchEvent labelEvent = events.poll(20, TimeUnit.SECONDS);
        WatchEvent bindEvent = events.poll(20, TimeUnit.SECONDS);
        assertThat(labelEvent.getType()).isEqualTo(WatchEvent.Type.MODIFIED);
        assertThat(parse(labelEvent.getObject())
                        .path("metadata")
                        .path("labels")
                        .path("tier")
                        .asText())
                .isEqualTo("web");
        assertThat(bindEvent.getType()).isEqualTo(WatchEvent.Type.MODIFIED);
        assertThat(parse(bindEvent.getObject()).path("spec").path("nodeName").asText())
                .isEqualTo("node-1");
        channel.shutdownNow();
        watcher.join(10_000);
    }

    @Test
    void discoveryListsEveryServedResourceWithItsScopeAndStorageVersion() {
        var resources = api.discover(dev.capstan.model.grpc.DiscoverRequest.getDefaultInstance())
                .getResourcesList();
        var deployments = resources.stream()
                .filter(r -> r.getGroup().equals("apps") && r.getResource().equals("deployments"))
                .findFirst()
                .orElseThrow();
        assertThat(deployments.getKind()).isEqualTo("Deployment");
        assertThat(deployments.getNamespaced()).isTrue();
        assertThat(deployments.getStorageVersion()).isTrue();
        assertThat(deployments.getVerbsList()).contains("watch", "delete");
        var nodes = resources.stream()
                .filter(r -> r.getGroup().isEmpty() && r.getResource().equals("nodes"))
                .findFirst()
                .orElseThrow();
        assertThat(nodes.getNamespaced()).isFalse();
        // A converted view (autoscaling/v1 next to the stored v2) is served but is not a storage version.
        assertThat(resources).anySatisfy(r -> assertThat(r.getStorageVersion()).isFalse());
    }

    @Test
    void errorsCarryTheKubernetesStatusAndCallsNeedTheToken() {
        assertThatThrownBy(() ->
                        api.get(GetRequest.newBuilder().setRef(pods("missing")).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).as("%s", e.getStatus()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(e.getStatus().getDescription()).contains("pods \\\"missing\\\" not found");
                });
        var anonymous = ApiGrpc.newBlockingStub(channel);
        assertThatThrownBy(() ->
                        anonymous.get(GetRequest.newBuilder().setRef(pods("x")).build()))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    }

    @Test
    void writesTakeTheSameOptionsAndGiveTheSameAnswersAsRest() throws Exception {
        ResourceRef configmaps = ResourceRef.newBuilder()
                .setVersion("v1")
                .setResource("configmaps")
                .setNamespace(ns)
                .build();
        Object body = Object.newBuilder()
                .setEncoding("application/json")
                .setData(ByteString.copyFromUtf8("{\"metadata\":{\"name\":\"c1\"},\"data\":{\"a\":\"1\"}}"))
                .build();

        // A dry run answers what would be stored and stores nothing, as over REST.
        Object dry = api.create(CreateRequest.newBuilder()
                .setRef(configmaps)
                .setObject(body)
                .setOptions(WriteOptions.newBuilder().setDryRun(true))
                .build());
        assertThat(parse(dry).path("metadata").path("uid").asText()).isNotEmpty();
        TestApi.api(server)
                .get("/api/v1/namespaces/" + ns + "/configmaps/c1")
                .then()
                .statusCode(404);

        Object created = api.create(
                CreateRequest.newBuilder().setRef(configmaps).setObject(body).build());
        ResourceRef c1 = configmaps.toBuilder().setName("c1").build();
        Object patched = api.patch(PatchRequest.newBuilder()
                .setRef(c1)
                .setPatchType("application/strategic-merge-patch+json")
                .setPatch(ByteString.copyFromUtf8("{\"data\":{\"b\":\"2\"}}"))
                .build());
        assertThat(parse(patched).path("data").toString()).isEqualTo("{\"a\":\"1\",\"b\":\"2\"}");
        Object unchanged = api.patch(PatchRequest.newBuilder()
                .setRef(c1)
                .setPatchType("application/merge-patch+json")
                .setPatch(ByteString.copyFromUtf8("{\"data\":{\"b\":\"2\"}}"))
                .build());
        assertThat(unchanged.getResourceVersion()).isEqualTo(patched.getResourceVersion());

        Object dryDelete =
                api.delete(DeleteRequest.newBuilder().setRef(c1).setDryRun(true).build());
        assertThat(parse(dryDelete).path("status").asText()).isEqualTo("Success");
        TestApi.api(server)
                .get("/api/v1/namespaces/" + ns + "/configmaps/c1")
                .then()
                .statusCode(200);
        String wrongUid = parse(created).path("metadata").path("uid").asText() + "x";
        assertThatThrownBy(() -> api.delete(
                        DeleteRequest.newBuilder().setRef(c1).setUid(wrongUid).build()))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED));
        // A bad policy is the same 422 Invalid as over REST, as a gRPC status, not an unhandled error.
        assertThatThrownBy(() -> api.delete(DeleteRequest.newBuilder()
                        .setRef(c1)
                        .setPropagationPolicy("Sometimes")
                        .build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).as("%s", e.getStatus()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("\"code\":422");
                });
        api.delete(DeleteRequest.newBuilder().setRef(c1).build());
        TestApi.api(server)
                .get("/api/v1/namespaces/" + ns + "/configmaps/c1")
                .then()
                .statusCode(404);
    }
}
