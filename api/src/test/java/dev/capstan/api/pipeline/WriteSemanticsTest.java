package dev.capstan.api.pipeline;

import static dev.capstan.api.pipeline.Pipeline.body;
import static dev.capstan.api.pipeline.Pipeline.ctx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.ApiException;
import dev.capstan.api.patch.Patches;
import dev.capstan.api.request.FieldValidation;
import dev.capstan.api.request.WriteOptions;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Updates as upstream's generic store and the kinds' strategies make them. */
class WriteSemanticsTest {
    private final Pipeline api = new Pipeline();
    private final String ns = api.namespace("writes");

    private static String pod(String name, String cpu, String image) {
        return """
                {"metadata":{"name":"%s"},"spec":{"containers":[{"name":"c","image":"%s",
                 "resources":{"requests":{"cpu":"%s","memory":"64Mi"},"limits":{"cpu":"%s","memory":"64Mi"}}}]}}""".formatted(name, image, cpu, cpu);
    }

    @Test
    void aWriteThatChangesNothingKeepsTheResourceVersion() {
        ObjectNode cm =
                api.create("", "v1", "configmaps", ns, "{\"metadata\":{\"name\":\"c\"},\"data\":{\"a\":\"1\"}}");
        int writes = api.store.writes();
        var configmaps = api.type("", "v1", "configmaps");

        ObjectNode put = api.handlers
                .update(ctx(), configmaps, ns, "c", "", body(cm.toString()))
                .object();
        ObjectNode patched = api.handlers.patch(
                ctx(), configmaps, ns, "c", "", Patches.MERGE_PATCH, bytes("{\"data\":{\"a\":\"1\"}}"));

        assertThat(put.at("/metadata/resourceVersion")).isEqualTo(cm.at("/metadata/resourceVersion"));
        assertThat(patched.at("/metadata/resourceVersion")).isEqualTo(cm.at("/metadata/resourceVersion"));
        assertThat(api.store.writes()).isEqualTo(writes);
    }

    @Test
    void qosClassIsTheSameForEqualQuantitiesWrittenDifferently() {
        ObjectNode created = api.create("", "v1", "pods", ns, pod("p", "1", "nginx:1"));
        assertThat(created.at("/status/qosClass").asText()).isEqualTo("Guaranteed");

        ObjectNode update = Pipeline.json(pod("p", "1000m", "nginx:2"));
        update.withObjectProperty("metadata")
                .put("resourceVersion", created.at("/metadata/resourceVersion").asText());
        ObjectNode updated = api.handlers
                .update(ctx(), api.type("", "v1", "pods"), ns, "p", "", body(update.toString()))
                .object();

        assertThat(updated.at("/spec/containers/0/image").asText()).isEqualTo("nginx:2");
        assertThat(updated.at("/status/qosClass").asText()).isEqualTo("Guaranteed");
    }

    @Test
    void generationCountsSpecChangesOfKindsThatTrackIt() {
        ObjectNode d = api.create("apps", "v1", "deployments", ns, """
                {"metadata":{"name":"d"},"spec":{"selector":{"matchLabels":{"a":"b"}},
                 "template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}""");
        assertThat(d.at("/metadata/generation").asInt()).isEqualTo(1);
        var deployments = api.type("apps", "v1", "deployments");
        ObjectNode labelled = api.handlers.patch(
                ctx(),
                deployments,
                ns,
                "d",
                "",
                Patches.MERGE_PATCH,
                bytes("{\"metadata\":{\"labels\":{\"x\":\"y\"}}}"));
        assertThat(labelled.at("/metadata/generation").asInt()).isEqualTo(1);
        ObjectNode scaled = api.handlers.patch(
                ctx(), deployments, ns, "d", "", Patches.MERGE_PATCH, bytes("{\"spec\":{\"replicas\":3}}"));
        assertThat(scaled.at("/metadata/generation").asInt()).isEqualTo(2);

        ObjectNode cm = api.create("", "v1", "configmaps", ns, "{\"metadata\":{\"name\":\"g\"}}");
        assertThat(cm.at("/metadata/generation").isMissingNode()).isTrue();
    }

    @Test
    void statusWritesKeepTheSpecAndAreValidated() {
        api.create("apps", "v1", "deployments", ns, """
                {"metadata":{"name":"d"},"spec":{"replicas":2,"selector":{"matchLabels":{"a":"b"}},
                 "template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}""");
        var deployments = api.type("apps", "v1", "deployments");
        ObjectNode written = api.handlers.patch(
                ctx(),
                deployments,
                ns,
                "d",
                "status",
                Patches.MERGE_PATCH,
                bytes("{\"spec\":{\"replicas\":7},\"status\":{\"replicas\":2}}"));
        assertThat(written.at("/spec/replicas").asInt()).isEqualTo(2);
        assertThat(written.at("/status/replicas").asInt()).isEqualTo(2);

        assertThatThrownBy(() -> api.handlers.patch(
                        ctx(),
                        deployments,
                        ns,
                        "d",
                        "status",
                        Patches.MERGE_PATCH,
                        bytes("{\"status\":{\"replicas\":-1}}")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(422);
                    assertThat(e.getMessage()).contains("status.replicas");
                });
    }

    @Test
    void mainResourceWritesNeverChangeStatus() {
        ObjectNode svc = api.create(
                "", "v1", "services", ns, "{\"metadata\":{\"name\":\"s\"},\"spec\":{\"ports\":[{\"port\":80}]}}");
        svc.putObject("status")
                .putObject("loadBalancer")
                .putArray("ingress")
                .addObject()
                .put("ip", "1.2.3.4");
        ObjectNode updated = api.handlers
                .update(ctx(), api.type("", "v1", "services"), ns, "s", "", body(svc.toString()))
                .object();
        assertThat(updated.at("/status/loadBalancer/ingress").isMissingNode()).isTrue();
    }

    @Test
    void putCreatesOnlyForKindsThatAllowIt() {
        var endpoints = api.type("", "v1", "endpoints");
        var result = api.handlers.update(ctx(), endpoints, ns, "e", "", body("{\"metadata\":{\"name\":\"e\"}}"));
        assertThat(result.created()).isTrue();

        assertThatThrownBy(() -> api.handlers.update(
                        ctx(),
                        api.type("", "v1", "configmaps"),
                        ns,
                        "nope",
                        "",
                        body("{\"metadata\":{\"name\":\"nope\"}}")))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(404));
    }

    @Test
    void aLeaseUpdateMustNameItsResourceVersion() {
        var leases = api.type("coordination.k8s.io", "v1", "leases");
        api.handlers.update(
                ctx(),
                leases,
                ns,
                "l",
                "",
                body("{\"metadata\":{\"name\":\"l\"},\"spec\":{\"holderIdentity\":\"a\"}}"));
        assertThatThrownBy(() -> api.handlers.update(
                        ctx(),
                        leases,
                        ns,
                        "l",
                        "",
                        body("{\"metadata\":{\"name\":\"l\"},\"spec\":{\"holderIdentity\":\"b\"}}")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(422);
                    assertThat(e.getMessage())
                            .contains("metadata.resourceVersion: Invalid value: 0x0: must be specified");
                });
    }

    @Test
    void aStaleResourceVersionConflicts() {
        ObjectNode cm = api.create("", "v1", "configmaps", ns, "{\"metadata\":{\"name\":\"c\"}}");
        var configmaps = api.type("", "v1", "configmaps");
        api.handlers.patch(ctx(), configmaps, ns, "c", "", Patches.MERGE_PATCH, bytes("{\"data\":{\"a\":\"1\"}}"));
        assertThatThrownBy(() -> api.handlers.update(ctx(), configmaps, ns, "c", "", body(cm.toString())))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(409);
                    assertThat(e.getMessage())
                            .endsWith("the object has been modified; please apply your changes to"
                                    + " the latest version and try again");
                });
    }

    @Test
    void aNodeKeepsTheStatusItIsCreatedWith() {
        ObjectNode node = api.create("", "v1", "nodes", null, """
                {"metadata":{"name":"n1"},"status":{"capacity":{"cpu":"2","pods":"110"},
                 "conditions":[{"type":"Ready","status":"True"}]}}""");
        assertThat(node.at("/status/conditions/0/type").asText()).isEqualTo("Ready");
        assertThat(node.at("/status/allocatable/cpu").asText()).isEqualTo("2");
    }

    @Test
    void aBindingAssignsTheNodeOnceAndMarksThePodScheduled() {
        api.create("", "v1", "pods", ns, pod("p", "100m", "nginx"));
        var pods = api.type("", "v1", "pods");
        api.subresources.bind(
                ctx(),
                pods,
                ns,
                "p",
                body("{\"metadata\":{\"name\":\"p\"},\"target\":{\"kind\":\"Node\",\"name\":\"n1\"}}"));

        ObjectNode bound = api.get("", "v1", "pods", ns, "p");
        assertThat(bound.at("/spec/nodeName").asText()).isEqualTo("n1");
        assertThat(bound.at("/status/conditions/0/type").asText()).isEqualTo("PodScheduled");
        assertThat(bound.at("/status/conditions/0/status").asText()).isEqualTo("True");
        assertThatThrownBy(() -> api.subresources.bind(
                        ctx(), pods, ns, "p", body("{\"target\":{\"kind\":\"Node\",\"name\":\"n2\"}}")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(409);
                    assertThat(e.getMessage()).contains("pod p is already assigned to node \"n1\"");
                });
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aPutThatNamedItsResourceVersionConflictsWhenAnotherWriteWinsTheRace() {
        ObjectNode cm =
                api.create("", "v1", "configmaps", ns, "{\"metadata\":{\"name\":\"r\"},\"data\":{\"a\":\"1\"}}");
        var configmaps = api.type("", "v1", "configmaps");
        api.store.raceNextUpdate(() -> api.handlers.patch(
                ctx(), configmaps, ns, "r", "", Patches.MERGE_PATCH, bytes("{\"data\":{\"b\":\"racer\"}}")));
        ObjectNode mine = cm.deepCopy();
        mine.withObjectProperty("data").put("a", "mine");

        // The write is retried on what is stored now, where the resourceVersion it named no longer holds.
        assertThatThrownBy(() -> api.handlers.update(ctx(), configmaps, ns, "r", "", body(mine.toString())))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(409));
        assertThat(api.get("", "v1", "configmaps", ns, "r").at("/data/b").asText())
                .isEqualTo("racer");

        // Without a resourceVersion the retry applies to the racer's object.
        api.store.raceNextUpdate(() -> api.handlers.patch(
                ctx(), configmaps, ns, "r", "", Patches.MERGE_PATCH, bytes("{\"data\":{\"c\":\"racer\"}}")));
        ObjectNode unconditional = Pipeline.json("{\"metadata\":{\"name\":\"r\"},\"data\":{\"a\":\"last\"}}");
        api.handlers.update(ctx(), configmaps, ns, "r", "", body(unconditional.toString()));
        assertThat(api.get("", "v1", "configmaps", ns, "r").at("/data/a").asText())
                .isEqualTo("last");
    }

    @Test
    void aPatchRetriedAfterARaceWarnsOfAnUnknownFieldOnce() {
        api.create("", "v1", "configmaps", ns, "{\"metadata\":{\"name\":\"w\"}}");
        var configmaps = api.type("", "v1", "configmaps");
        api.store.raceNextUpdate(() -> api.handlers.patch(
                ctx(), configmaps, ns, "w", "", Patches.MERGE_PATCH, bytes("{\"data\":{\"b\":\"racer\"}}")));
        var request = ctx().withOptions(new WriteOptions(false, "test", FieldValidation.WARN));

        api.handlers.patch(
                request, configmaps, ns, "w", "", Patches.MERGE_PATCH, bytes("{\"data\":{\"a\":\"1\"},\"bogus\":1}"));

        assertThat(request.warnings()).containsExactly("unknown field \"bogus\"");
        assertThat(api.get("", "v1", "configmaps", ns, "w").at("/data").toString())
                .isEqualTo("{\"b\":\"racer\",\"a\":\"1\"}");
    }

    @Test
    void workloadUpdatesDropTemplateFieldsOfFeaturesOffIn132AndDeploymentsCountAnnotations() {
        for (String plural : java.util.List.of("deployments", "replicasets")) {
            api.create("apps", "v1", plural, ns, """
                    {"metadata":{"name":"t"},"spec":{"selector":{"matchLabels":{"a":"b"}},
                     "template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}""");
            var type = api.type("apps", "v1", plural);
            // hostUsers belongs to UserNamespacesSupport, beta and off by default in 1.32.
            ObjectNode updated = api.handlers.patch(
                    ctx(),
                    type,
                    ns,
                    "t",
                    "",
                    Patches.MERGE_PATCH,
                    bytes("{\"spec\":{\"template\":{\"spec\":{\"hostUsers\":false}}}}"));
            assertThat(updated.at("/spec/template/spec").has("hostUsers"))
                    .as(plural)
                    .isFalse();
            ObjectNode annotated = api.handlers.patch(
                    ctx(),
                    type,
                    ns,
                    "t",
                    "",
                    Patches.MERGE_PATCH,
                    bytes("{\"metadata\":{\"annotations\":{\"x\":\"y\"}}}"));
            assertThat(annotated.at("/metadata/generation").asInt())
                    .as(plural)
                    .isEqualTo(plural.equals("deployments") ? 2 : 1);
        }
    }
}
