package dev.capstan.api.pipeline;

import static dev.capstan.api.pipeline.Pipeline.body;
import static dev.capstan.api.pipeline.Pipeline.ctx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.ApiException;
import dev.capstan.api.patch.Patches;
import dev.capstan.api.request.DeleteOptions;
import dev.capstan.api.resources.ListOptions;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** dryRun=All on every write is fully validated and admitted, answers what would be stored, and writes nothing. */
class DryRunTest {
    private static final String DEPLOYMENT = """
            {"metadata":{"name":"web"},"spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},
             "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx"}]}}}}""";

    private final Pipeline api = new Pipeline();
    private final String ns = api.namespace("dry");

    private ObjectNode deployment() {
        return api.create("apps", "v1", "deployments", ns, DEPLOYMENT);
    }

    @Test
    void createAnswersTheObjectAndStoresNothing() {
        int writes = api.store.writes();
        ObjectNode created = api.handlers.create(
                ctx(true), api.type("", "v1", "configmaps"), ns, body("{\"metadata\":{\"name\":\"c1\"}}"));

        assertThat(created.at("/metadata/uid").asText()).isNotEmpty();
        assertThat(created.at("/metadata/creationTimestamp").asText()).isNotEmpty();
        assertThat(api.store.writes()).isEqualTo(writes);
        assertThatThrownBy(() -> api.get("", "v1", "configmaps", ns, "c1"))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(404));
    }

    @Test
    void createIsStillValidatedAndAdmitted() {
        assertThatThrownBy(() -> api.handlers.create(
                        ctx(true),
                        api.type("", "v1", "configmaps"),
                        ns,
                        body("{\"metadata\":{\"name\":\"Bad_Name\"}}")))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(422));
        assertThatThrownBy(() -> api.handlers.create(
                        ctx(true),
                        api.type("", "v1", "configmaps"),
                        "missing",
                        body("{\"metadata\":{\"name\":\"c\"}}")))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(404));
    }

    @Test
    void aServiceDryRunClaimsNoAddressOrPort() {
        String svc = """
                {"metadata":{"name":"s1"},"spec":{"type":"NodePort","clusterIP":"10.96.7.7",
                 "ports":[{"port":80,"nodePort":30777}]}}""";
        int writes = api.store.writes();
        ObjectNode answered = api.handlers.create(ctx(true), api.type("", "v1", "services"), ns, body(svc));
        assertThat(answered.at("/spec/clusterIP").asText()).isEqualTo("10.96.7.7");
        assertThat(api.store.writes()).isEqualTo(writes);
        assertThat(api.store.list("/registry/ranges/", 0, 0, "").items()).isEmpty();

        // The same address and port are free for a real create.
        ObjectNode real = api.create("", "v1", "services", ns, svc);
        assertThat(real.at("/spec/ports/0/nodePort").asInt()).isEqualTo(30777);
    }

    @Test
    void updatePatchStatusAndScaleChangeNothing() {
        ObjectNode stored = deployment();
        String rv = stored.at("/metadata/resourceVersion").asText();
        int writes = api.store.writes();
        var deployments = api.type("apps", "v1", "deployments");

        ObjectNode replaced = stored.deepCopy();
        replaced.withObjectProperty("spec").put("replicas", 5);
        ObjectNode put = api.handlers
                .update(ctx(true), deployments, ns, "web", "", body(replaced.toString()))
                .object();
        assertThat(put.at("/spec/replicas").asInt()).isEqualTo(5);
        assertThat(put.at("/metadata/generation").asInt()).isEqualTo(2);

        for (String type : List.of(Patches.MERGE_PATCH, Patches.STRATEGIC_MERGE_PATCH)) {
            ObjectNode patched = api.handlers.patch(
                    ctx(true), deployments, ns, "web", "", type, bytes("{\"metadata\":{\"labels\":{\"x\":\"y\"}}}"));
            assertThat(patched.at("/metadata/labels/x").asText()).isEqualTo("y");
        }
        api.handlers.patch(
                ctx(true),
                deployments,
                ns,
                "web",
                "",
                Patches.JSON_PATCH,
                bytes("[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":3}]"));
        api.handlers.patch(
                ctx(true),
                deployments,
                ns,
                "web",
                "status",
                Patches.MERGE_PATCH,
                bytes("{\"status\":{\"replicas\":1}}"));
        ObjectNode scaled = api.subresources.patchScale(
                ctx(true), deployments, ns, "web", Patches.MERGE_PATCH, bytes("{\"spec\":{\"replicas\":9}}"));
        assertThat(scaled.at("/spec/replicas").asInt()).isEqualTo(9);
        api.subresources.updateScale(
                ctx(true), deployments, ns, "web", body("{\"metadata\":{\"name\":\"web\"},\"spec\":{\"replicas\":4}}"));

        assertThat(api.store.writes()).isEqualTo(writes);
        ObjectNode after = api.get("apps", "v1", "deployments", ns, "web");
        assertThat(after.at("/metadata/resourceVersion").asText()).isEqualTo(rv);
        assertThat(after.at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(after.at("/metadata/labels").isMissingNode()).isTrue();
    }

    @Test
    void deleteAndCollectionDeleteKeepTheObjects() {
        deployment();
        int writes = api.store.writes();
        var deployments = api.type("apps", "v1", "deployments");
        var dryRun = new DeleteOptions(null, null, null, List.of("All"), null, null);

        assertThat(api.handlers.delete(ctx(), deployments, ns, "web", dryRun).deleted())
                .isTrue();
        api.handlers.deleteCollection(
                ctx(), deployments, ns, ListOptions.parse(deployments, "", "", 0, "", "", ""), dryRun);
        // A dry run of a delete that would only mark the object (orphaning) marks nothing either.
        api.handlers.delete(ctx(true), deployments, ns, "web", DeleteOptions.NONE.withPropagation("Orphan"));

        assertThat(api.store.writes()).isEqualTo(writes);
        assertThat(api.get("apps", "v1", "deployments", ns, "web")
                        .at("/metadata/deletionTimestamp")
                        .isMissingNode())
                .isTrue();
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
