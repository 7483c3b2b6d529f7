package dev.capstan.api.pipeline;

import static dev.capstan.api.pipeline.Pipeline.body;
import static dev.capstan.api.pipeline.Pipeline.ctx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.ApiException;
import dev.capstan.api.namespaces.NamespaceDeleter;
import dev.capstan.api.patch.Patches;
import dev.capstan.api.registry.GenericStore.DeleteResult;
import dev.capstan.api.registry.core.AllocationRepair;
import dev.capstan.api.request.DeleteOptions;
import dev.capstan.api.storage.RangeClaims;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Deletes as upstream's Store.Delete decides them: finalizers, grace periods, propagation and preconditions. */
class DeletionTest {
    private final Pipeline api = new Pipeline();
    private final String ns = api.namespace("del");

    private DeleteResult delete(String group, String version, String plural, String name, DeleteOptions options) {
        return api.handlers.delete(ctx(), api.type(group, version, plural), ns, name, options);
    }

    @Test
    void aFinalizerHoldsTheObjectUntilItIsRemoved() {
        api.create("", "v1", "configmaps", ns, "{\"metadata\":{\"name\":\"c\",\"finalizers\":[\"example.com/x\"]}}");
        DeleteResult result = delete("", "v1", "configmaps", "c", DeleteOptions.NONE);

        assertThat(result.deleted()).isFalse();
        assertThat(result.body().at("/metadata/deletionTimestamp").asText()).isNotEmpty();
        assertThat(result.body().at("/metadata/deletionGracePeriodSeconds").asInt())
                .isZero();
        assertThatThrownBy(() -> api.handlers.patch(
                        ctx(),
                        api.type("", "v1", "configmaps"),
                        ns,
                        "c",
                        "",
                        Patches.MERGE_PATCH,
                        bytes("{\"metadata\":{\"finalizers\":[\"example.com/x\",\"example.com/new\"]}}")))
                .isInstanceOf(ApiException.class);

        api.handlers.patch(
                ctx(),
                api.type("", "v1", "configmaps"),
                ns,
                "c",
                "",
                Patches.MERGE_PATCH,
                bytes("{\"metadata\":{\"finalizers\":null}}"));
        assertThatThrownBy(() -> api.get("", "v1", "configmaps", ns, "c"))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(404));
    }

    @Test
    void aPodOnANodeIsDeletedGracefullyAndOneWithoutAtOnce() {
        String pod = "{\"metadata\":{\"name\":\"%s\"},\"spec\":{\"terminationGracePeriodSeconds\":20,"
                + "\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}";
        api.create("", "v1", "pods", ns, pod.formatted("pending"));
        assertThat(delete("", "v1", "pods", "pending", DeleteOptions.NONE).deleted())
                .isTrue();

        api.create("", "v1", "pods", ns, pod.formatted("running"));
        api.subresources.bind(ctx(), api.type("", "v1", "pods"), ns, "running", body("{\"target\":{\"name\":\"n1\"}}"));
        DeleteResult graceful = delete("", "v1", "pods", "running", DeleteOptions.NONE);
        assertThat(graceful.deleted()).isFalse();
        assertThat(graceful.body().at("/metadata/deletionGracePeriodSeconds").asInt())
                .isEqualTo(20);

        // A longer grace period changes nothing; the node agent's grace-0 delete ends it.
        assertThat(delete("", "v1", "pods", "running", DeleteOptions.NONE.withGracePeriod(60L))
                        .body()
                        .at("/metadata/deletionGracePeriodSeconds")
                        .asInt())
                .isEqualTo(20);
        assertThat(delete("", "v1", "pods", "running", DeleteOptions.NONE.withGracePeriod(0L))
                        .deleted())
                .isTrue();
    }

    @Test
    void propagationPoliciesSetTheGarbageCollectorsFinalizers() {
        String deployment = """
                {"metadata":{"name":"%s"},"spec":{"selector":{"matchLabels":{"a":"b"}},
                 "template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}""";
        api.create("apps", "v1", "deployments", ns, deployment.formatted("orphan"));
        api.create("apps", "v1", "deployments", ns, deployment.formatted("fg"));
        api.create("apps", "v1", "deployments", ns, deployment.formatted("bg"));

        DeleteResult orphan =
                delete("apps", "v1", "deployments", "orphan", DeleteOptions.NONE.withPropagation("Orphan"));
        DeleteResult foreground =
                delete("apps", "v1", "deployments", "fg", DeleteOptions.NONE.withPropagation("Foreground"));
        DeleteResult background =
                delete("apps", "v1", "deployments", "bg", DeleteOptions.NONE.withPropagation("Background"));

        assertThat(orphan.body().at("/metadata/finalizers/0").asText()).isEqualTo("orphan");
        assertThat(orphan.body().at("/metadata/generation").asInt()).isEqualTo(2);
        assertThat(foreground.body().at("/metadata/finalizers/0").asText()).isEqualTo("foregroundDeletion");
        assertThat(background.deleted()).isTrue();
        assertThat(background.body().at("/kind").asText()).isEqualTo("Status");
        assertThat(background.body().at("/details/name").asText()).isEqualTo("bg");
    }

    @Test
    void preconditionsThatDoNotHoldConflict() {
        ObjectNode cm = api.create("", "v1", "configmaps", ns, "{\"metadata\":{\"name\":\"c\"}}");
        var wrongUid = new DeleteOptions(null, null, null, List.of(), "nope", null);
        var wrongRv = new DeleteOptions(null, null, null, List.of(), null, "1");

        assertThatThrownBy(() -> delete("", "v1", "configmaps", "c", wrongUid))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(409);
                    assertThat(e.getMessage())
                            .contains("the UID in the precondition (nope) does not match the UID in record ("
                                    + cm.at("/metadata/uid").asText() + ")");
                });
        assertThatThrownBy(() -> delete("", "v1", "configmaps", "c", wrongRv))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(409));
        assertThatThrownBy(() -> delete("", "v1", "configmaps", "c", DeleteOptions.NONE.withPropagation("Sideways")))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(422));
    }

    @Test
    void namespaceLifecycleGuardsContentAndTheSystemNamespaces() {
        assertThatThrownBy(() -> api.create("", "v1", "configmaps", "absent", "{\"metadata\":{\"name\":\"c\"}}"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(404);
                    assertThat(e.getMessage()).isEqualTo("namespaces \"absent\" not found");
                });
        api.namespace("default");
        assertThatThrownBy(() -> api.handlers.delete(
                        ctx(), api.type("", "v1", "namespaces"), null, "default", DeleteOptions.NONE))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(403);
                    assertThat(e.getMessage())
                            .isEqualTo("namespaces \"default\" is forbidden: this namespace may not be deleted");
                });

        DeleteResult marked =
                api.handlers.delete(ctx(), api.type("", "v1", "namespaces"), null, ns, DeleteOptions.NONE);
        assertThat(marked.deleted()).isFalse();
        assertThat(marked.body().at("/status/phase").asText()).isEqualTo("Terminating");
        assertThatThrownBy(() -> api.create("", "v1", "configmaps", ns, "{\"metadata\":{\"name\":\"late\"}}"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(403);
                    assertThat(e.getMessage()).contains("because it is being terminated");
                });
    }

    @Test
    void namespaceDeletionGoesThroughEveryObjectsDeleteAndFreesServiceAddresses() {
        api.create("", "v1", "services", ns, """
                {"metadata":{"name":"s"},"spec":{"type":"NodePort","clusterIP":"10.96.9.9",
                 "ports":[{"port":80,"nodePort":30999}]}}""");
        api.create("", "v1", "configmaps", ns, "{\"metadata\":{\"name\":\"held\",\"finalizers\":[\"example.com/x\"]}}");
        api.handlers.delete(ctx(), api.type("", "v1", "namespaces"), null, ns, DeleteOptions.NONE);
        var deleter = new NamespaceDeleter(
                api.registry, api.generic, api.type("", "v1", "namespaces"), ctx(), Clock.systemUTC());

        assertThat(deleter.sync(ns)).isEqualTo(NamespaceDeleter.Outcome.CONTENT_REMAINS);
        assertThat(api.store.list("/registry/ranges/", 0, 0, "").items()).isEmpty();
        ObjectNode terminating = api.get("", "v1", "namespaces", null, ns);
        assertThat(terminating.at("/status/conditions").toString())
                .contains(
                        "Some content in the namespace has finalizers remaining: example.com/x in 1 resource instances");
        // A later pass that finds the same keeps every condition's transition time: nothing is written.
        var later = new NamespaceDeleter(
                api.registry,
                api.generic,
                api.type("", "v1", "namespaces"),
                ctx(),
                Clock.offset(Clock.systemUTC(), Duration.ofMinutes(5)));
        assertThat(later.sync(ns)).isEqualTo(NamespaceDeleter.Outcome.CONTENT_REMAINS);
        assertThat(api.get("", "v1", "namespaces", null, ns).at("/metadata/resourceVersion"))
                .isEqualTo(terminating.at("/metadata/resourceVersion"));

        api.handlers.patch(
                ctx(),
                api.type("", "v1", "configmaps"),
                ns,
                "held",
                "",
                Patches.MERGE_PATCH,
                bytes("{\"metadata\":{\"finalizers\":null}}"));
        assertThat(deleter.sync(ns)).isEqualTo(NamespaceDeleter.Outcome.DONE);
        assertThatThrownBy(() -> api.get("", "v1", "namespaces", null, ns))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(404));

        // The freed address and port can be taken again.
        String other = api.namespace("other");
        api.create("", "v1", "services", other, """
                {"metadata":{"name":"s"},"spec":{"type":"NodePort","clusterIP":"10.96.9.9",
                 "ports":[{"port":80,"nodePort":30999}]}}""");
    }

    @Test
    void theRepairFreesClaimsNoServiceUsesOnceTheyAreOldEnough() {
        api.create("", "v1", "services", ns, "{\"metadata\":{\"name\":\"s\"},\"spec\":{\"ports\":[{\"port\":80}]}}");
        api.store.create("/registry/ranges/serviceips/10.96.1.1", "gone/leaked".getBytes(StandardCharsets.UTF_8));
        var services = api.type("", "v1", "services");

        var now = new AllocationRepair(api.storage, new RangeClaims(() -> api.store), services, Clock.systemUTC())
                .runOnce();
        assertThat(now.freed()).isEqualTo(1);
        // The Service named its namespace only in the URL; its claims still name it as their owner.
        assertThat(now.conflicts()).isZero();
        assertThat(api.store.get("/registry/ranges/serviceips/10.96.1.1")).isEmpty();
        // The Service's own claim stays.
        assertThat(api.store.list("/registry/ranges/serviceips/", 0, 0, "").items())
                .hasSize(1);

        // A claim younger than the grace may belong to a create under way: it stays.
        api.store.create(
                "/registry/ranges/servicenodeports/30001",
                ("x/y\n" + System.currentTimeMillis()).getBytes(StandardCharsets.UTF_8));
        var fresh = new AllocationRepair(api.storage, new RangeClaims(() -> api.store), services, Clock.systemUTC())
                .runOnce();
        assertThat(fresh.freed()).isZero();
        var later = new AllocationRepair(
                        api.storage,
                        new RangeClaims(() -> api.store),
                        services,
                        Clock.offset(Clock.systemUTC(), Duration.ofMinutes(2)))
                .runOnce();
        assertThat(later.freed()).isEqualTo(1);
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
