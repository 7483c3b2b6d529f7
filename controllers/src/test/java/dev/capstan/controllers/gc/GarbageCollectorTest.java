package dev.capstan.controllers.gc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.capstan.client.DeleteOptions;
import dev.capstan.client.Kind;
import dev.capstan.client.Kinds;
import dev.capstan.client.MetadataOnly;
import dev.capstan.client.PatchType;
import dev.capstan.client.events.EventRecorder;
import dev.capstan.client.fake.FakeApiClient;
import dev.capstan.client.informer.InformerFactory;
import dev.capstan.client.workqueue.ReconcileLoop;
import dev.capstan.client.workqueue.WorkQueue;
import dev.capstan.controllers.ControllerContext;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The collector against the fake API, driven through a ReconcileLoop so that cascades run as in a cluster. */
class GarbageCollectorTest {
    private static final String NS = "default";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final FakeApiClient api = new FakeApiClient();
    private final InformerFactory informers = new InformerFactory(api, Duration.ZERO);
    private final WorkQueue<GcItem> queue = WorkQueue.create(GarbageCollector.NAME);
    private GarbageCollector gc;
    private ReconcileLoop<GcItem> loop;

    @BeforeEach
    void start() {
        gc = new GarbageCollector(new ControllerContext(api, informers, EventRecorder.NONE, Clock.systemUTC()), queue);
        informers.start();
        loop = new ReconcileLoop<>(GarbageCollector.NAME, queue, gc, 4, null);
        loop.start();
        await().atMost(WAIT).until(gc::hasSynced);
    }

    @AfterEach
    void stop() {
        loop.close();
        informers.close();
    }

    @Test
    void watchesEveryServedKindButEvents() {
        assertThat(gc.watched())
                .contains("pods", "replicasets.apps", "deployments.apps", "configmaps", "namespaces")
                .doesNotContain("events");
    }

    @Test
    void readsMetadataOnlyOfKindsNoOtherLoopWatches() {
        // only the GC uses this factory: it holds no ConfigMap's data, no Pod's spec
        assertThat(informers.typeOf("configmaps")).contains(MetadataOnly.class);
        assertThat(informers.typeOf("pods")).contains(MetadataOnly.class);
        api.resources(Kinds.CONFIG_MAPS)
                .create(new ConfigMapBuilder(configMap("big"))
                        .addToData("payload", "x".repeat(10_000))
                        .build());
        await().atMost(WAIT)
                .until(() -> informers
                        .informer(new Kind<>("", "v1", "configmaps", "ConfigMap", true, MetadataOnly.class))
                        .cache()
                        .list()
                        .stream()
                        .anyMatch(o -> o.getMetadata().getName().equals("big")));
    }

    @Test
    void sharesTheTypedInformerOfAKindAnotherLoopWatches() {
        FakeApiClient other = new FakeApiClient();
        try (InformerFactory shared = new InformerFactory(other, Duration.ZERO)) {
            WorkQueue<GcItem> otherQueue = WorkQueue.create(GarbageCollector.NAME);
            var collector = new GarbageCollector(
                    new ControllerContext(other, shared, EventRecorder.NONE, Clock.systemUTC()), otherQueue);
            shared.informer(Kinds.PODS); // as a loop built after the GC would, before the loops start
            shared.start();
            try (var otherLoop = new ReconcileLoop<>(GarbageCollector.NAME, otherQueue, collector, 1, null)) {
                otherLoop.start();
                await().atMost(WAIT).until(collector::hasSynced);
            }
            assertThat(shared.typeOf("pods")).contains(io.fabric8.kubernetes.api.model.Pod.class);
            assertThat(shared.typeOf("configmaps")).contains(MetadataOnly.class);
        }
    }

    @Test
    void backgroundDeletionRemovesAChain() {
        Deployment d = api.resources(Kinds.DEPLOYMENTS).create(deployment("web"));
        ReplicaSet rs = api.resources(Kinds.REPLICA_SETS).create(replicaSet("web-1", ref(d, true)));
        api.resources(Kinds.PODS).create(pod("web-1-a", ref(rs, true)));
        api.resources(Kinds.PODS).create(pod("web-1-b", ref(rs, true)));
        Pod unrelated = api.resources(Kinds.PODS).create(pod("other"));

        api.resources(Kinds.DEPLOYMENTS).delete(NS, "web");

        await().atMost(WAIT).until(() -> !exists(Kinds.REPLICA_SETS, "web-1"));
        await().atMost(WAIT).until(() -> !exists(Kinds.PODS, "web-1-a") && !exists(Kinds.PODS, "web-1-b"));
        assertThat(api.actions("delete", "replicasets")).hasSize(1);
        assertThat(api.actions("delete", "pods")).hasSize(2);
        assertThat(exists(Kinds.PODS, unrelated.getMetadata().getName())).isTrue();
    }

    @Test
    void foregroundDeletionKeepsTheOwnerUntilBlockingDependentsAreGone() {
        Deployment d = api.resources(Kinds.DEPLOYMENTS).create(deployment("web"));
        ReplicaSet rs = api.resources(Kinds.REPLICA_SETS).create(replicaSet("web-1", ref(d, true)));
        Pod held = pod("web-1-a", ref(rs, true));
        held.getMetadata().setFinalizers(List.of("example.com/hold"));
        held = api.resources(Kinds.PODS).create(held);
        Pod free = api.resources(Kinds.PODS).create(pod("web-1-b", ref(rs, true)));
        // As in a cluster, the pods exist (and the collector has seen them) before the owner is deleted: informers
        // of different kinds deliver in no common order, and a graph without them would finish the cascade early.
        awaitObserved(d, rs, held, free);

        api.resources(Kinds.DEPLOYMENTS).delete(NS, "web", DeleteOptions.propagation("Foreground"));

        // The replica set is deleted in foreground too (it has dependents), the free pod goes, the held one waits.
        await().atMost(WAIT).until(() -> !exists(Kinds.PODS, "web-1-b"));
        await().atMost(WAIT).until(() -> deleting(Kinds.PODS, "web-1-a"));
        assertThat(get(Kinds.REPLICA_SETS, "web-1").getMetadata().getFinalizers())
                .containsExactly("foregroundDeletion");
        assertThat(deleting(Kinds.REPLICA_SETS, "web-1")).isTrue();
        assertThat(get(Kinds.DEPLOYMENTS, "web").getMetadata().getFinalizers()).containsExactly("foregroundDeletion");

        api.resources(Kinds.PODS).patch(NS, "web-1-a", PatchType.MERGE, "{\"metadata\":{\"finalizers\":null}}");

        await().atMost(WAIT).until(() -> !exists(Kinds.REPLICA_SETS, "web-1"));
        await().atMost(WAIT).until(() -> !exists(Kinds.DEPLOYMENTS, "web"));
    }

    @Test
    void aNonBlockingDependentDoesNotHoldTheOwner() {
        Deployment d = api.resources(Kinds.DEPLOYMENTS).create(deployment("web"));
        Pod lingering = pod("loose", ref(d, false));
        lingering.getMetadata().setFinalizers(List.of("example.com/hold"));
        lingering = api.resources(Kinds.PODS).create(lingering);
        awaitObserved(d, lingering);

        api.resources(Kinds.DEPLOYMENTS).delete(NS, "web", DeleteOptions.propagation("Foreground"));

        await().atMost(WAIT).until(() -> !exists(Kinds.DEPLOYMENTS, "web"));
        // still deleted, as a dependent of an owner deleted in foreground, but it did not block
        await().atMost(WAIT).until(() -> deleting(Kinds.PODS, "loose"));
    }

    @Test
    void orphanRemovesTheOwnerReferenceAndKeepsDependents() {
        ReplicaSet rs = api.resources(Kinds.REPLICA_SETS).create(replicaSet("web-1"));
        Pod a = api.resources(Kinds.PODS).create(pod("web-1-a", ref(rs, true)));
        Pod b = api.resources(Kinds.PODS).create(pod("web-1-b", ref(rs, true)));
        // A pod the graph has not seen when the owner is already gone is dangling and collected, as upstream's
        // would be; in a cluster the pods are long known before anyone deletes their replica set.
        awaitObserved(rs, a, b);

        api.resources(Kinds.REPLICA_SETS).delete(NS, "web-1", DeleteOptions.propagation("Orphan"));

        await().atMost(WAIT).until(() -> !exists(Kinds.REPLICA_SETS, "web-1"));
        for (String name : List.of("web-1-a", "web-1-b")) {
            Pod p = get(Kinds.PODS, name);
            assertThat(p.getMetadata().getOwnerReferences()).isNullOrEmpty();
            assertThat(p.getMetadata().getDeletionTimestamp()).isNull();
        }
        assertThat(api.actions("delete", "pods")).isEmpty();
    }

    @Test
    void aDanglingReferenceToAMissingOwnerLeadsToDeletion() {
        OwnerReference ghost = new OwnerReferenceBuilder()
                .withApiVersion("apps/v1")
                .withKind("ReplicaSet")
                .withName("gone")
                .withUid(UUID.randomUUID().toString())
                .withController(true)
                .build();
        api.resources(Kinds.PODS).create(pod("orphaned", ghost));

        await().atMost(WAIT).until(() -> !exists(Kinds.PODS, "orphaned"));
    }

    @Test
    void aNamesakeWithAnotherUidIsNoOwner() {
        ReplicaSet namesake = api.resources(Kinds.REPLICA_SETS).create(replicaSet("web-1"));
        OwnerReference stale = ref(namesake, true);
        stale.setUid(UUID.randomUUID().toString());
        api.resources(Kinds.PODS).create(pod("stale", stale));

        await().atMost(WAIT).until(() -> !exists(Kinds.PODS, "stale"));
        assertThat(exists(Kinds.REPLICA_SETS, "web-1")).isTrue();
    }

    @Test
    void aDependentOfTwoOwnersSurvivesWhileOneRemains() {
        ReplicaSet a = api.resources(Kinds.REPLICA_SETS).create(replicaSet("a"));
        ReplicaSet b = api.resources(Kinds.REPLICA_SETS).create(replicaSet("b"));
        api.resources(Kinds.PODS).create(pod("shared", ref(a, false), ref(b, false)));

        api.resources(Kinds.REPLICA_SETS).delete(NS, "a");

        await().atMost(WAIT)
                .until(() -> get(Kinds.PODS, "shared")
                                .getMetadata()
                                .getOwnerReferences()
                                .size()
                        == 1);
        assertThat(get(Kinds.PODS, "shared").getMetadata().getOwnerReferences())
                .extracting(OwnerReference::getUid)
                .containsExactly(b.getMetadata().getUid());
        assertThat(deleting(Kinds.PODS, "shared")).isFalse();

        api.resources(Kinds.REPLICA_SETS).delete(NS, "b");
        await().atMost(WAIT).until(() -> !exists(Kinds.PODS, "shared"));
    }

    @Test
    void anyServedKindCanOwn() {
        ServiceAccount sa = api.resources(Kinds.SERVICE_ACCOUNTS)
                .create(new ServiceAccountBuilder()
                        .withNewMetadata()
                        .withName("builder")
                        .withNamespace(NS)
                        .endMetadata()
                        .build());
        api.resources(Kinds.CONFIG_MAPS).create(configMap("token-cache", ref(sa, false)));

        api.resources(Kinds.SERVICE_ACCOUNTS).delete(NS, "builder");

        await().atMost(WAIT).until(() -> !exists(Kinds.CONFIG_MAPS, "token-cache"));
    }

    @Test
    void aKindServedLaterIsWatchedAfterTheNextDiscovery() {
        Kind<GenericKubernetesResource> widgets =
                new Kind<>("example.com", "v1", "widgets", "Widget", true, GenericKubernetesResource.class);
        GenericKubernetesResource w = new GenericKubernetesResource();
        w.setApiVersion("example.com/v1");
        w.setKind("Widget");
        w.setMetadata(meta("w1"));
        w = api.resources(widgets).create(w); // the fake serves a kind once it is used

        gc.reconcile(GcItem.RESYNC);

        assertThat(gc.watched()).contains("widgets.example.com");
        await().atMost(WAIT).until(gc::hasSynced);
        api.resources(Kinds.CONFIG_MAPS).create(configMap("widget-config", ref(w, true)));
        api.resources(widgets).delete(NS, "w1");
        await().atMost(WAIT).until(() -> !exists(Kinds.CONFIG_MAPS, "widget-config"));
    }

    @Test
    void anOwnerOfAKindNotServedIsNotTakenForAbsent() {
        OwnerReference unknown = new OwnerReferenceBuilder()
                .withApiVersion("example.com/v1")
                .withKind("Gadget")
                .withName("g1")
                .withUid(UUID.randomUUID().toString())
                .build();
        OwnerReference ghost = new OwnerReferenceBuilder()
                .withApiVersion("v1")
                .withKind("ServiceAccount")
                .withName("gone")
                .withUid(UUID.randomUUID().toString())
                .build();
        api.resources(Kinds.PODS).create(pod("kept", unknown));
        api.resources(Kinds.PODS).create(pod("collected", ghost));

        await().atMost(WAIT).until(() -> !exists(Kinds.PODS, "collected"));
        assertThat(exists(Kinds.PODS, "kept")).isTrue();
        assertThat(api.actions("delete", "pods")).hasSize(1);
    }

    // --- helpers

    private void awaitObserved(HasMetadata... objects) {
        for (HasMetadata o : objects) {
            await().atMost(WAIT).until(() -> gc.observed(o.getMetadata().getUid()));
        }
    }

    private <T extends HasMetadata> boolean exists(Kind<T> kind, String name) {
        return api.resources(kind).get(NS, name).isPresent();
    }

    private <T extends HasMetadata> T get(Kind<T> kind, String name) {
        return api.resources(kind).get(NS, name).orElseThrow();
    }

    private <T extends HasMetadata> boolean deleting(Kind<T> kind, String name) {
        return api.resources(kind)
                .get(NS, name)
                .map(o -> o.getMetadata().getDeletionTimestamp() != null)
                .orElse(false);
    }

    private static ObjectMeta meta(String name, OwnerReference... owners) {
        ObjectMeta meta = new ObjectMeta();
        meta.setName(name);
        meta.setNamespace(NS);
        if (owners.length > 0) {
            meta.setOwnerReferences(List.of(owners));
        }
        return meta;
    }

    private static OwnerReference ref(HasMetadata owner, boolean block) {
        return new OwnerReferenceBuilder()
                .withApiVersion(owner.getApiVersion())
                .withKind(owner.getKind())
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(block)
                .build();
    }

    private static Deployment deployment(String name) {
        return new DeploymentBuilder().withMetadata(meta(name)).build();
    }

    private static ReplicaSet replicaSet(String name, OwnerReference... owners) {
        return new ReplicaSetBuilder().withMetadata(meta(name, owners)).build();
    }

    private static Pod pod(String name, OwnerReference... owners) {
        return new PodBuilder().withMetadata(meta(name, owners)).build();
    }

    private static ConfigMap configMap(String name, OwnerReference... owners) {
        return new ConfigMapBuilder().withMetadata(meta(name, owners)).build();
    }
}
