package dev.capstan.controllers.replicaset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capstan.client.ApiError;
import dev.capstan.client.Kinds;
import dev.capstan.client.workqueue.Result;
import dev.capstan.controllers.expectations.ControllerTestBed;
import dev.capstan.model.meta.ObjectKey;
import dev.capstan.model.meta.OwnerReferences;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReplicaSetControllerTest {
    private static final ObjectKey KEY = new ObjectKey("ns", "web");

    private ControllerTestBed bed;
    private ReplicaSetController controller;

    @BeforeEach
    void setUp() throws InterruptedException {
        bed = new ControllerTestBed();
        controller = new ReplicaSetController(bed.ctx, bed.queue);
        bed.start();
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    static ReplicaSet rs(int replicas, int minReadySeconds) {
        return new ReplicaSetBuilder()
                .withNewMetadata()
                .withNamespace("ns")
                .withName("web")
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withMinReadySeconds(minReadySeconds)
                .withNewSelector()
                .withMatchLabels(Map.of("app", "web"))
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(Map.of("app", "web", "tier", "front"))
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("c")
                .withImage("nginx")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    private ReplicaSet create(int replicas, int minReadySeconds) {
        ReplicaSet created = bed.api.resources(Kinds.REPLICA_SETS).create(rs(replicas, minReadySeconds));
        bed.settle();
        return created;
    }

    private ReplicaSet stored() {
        return bed.api.resources(Kinds.REPLICA_SETS).get("ns", "web").orElseThrow();
    }

    private Result sync() throws Exception {
        bed.settle();
        return controller.reconcile(KEY);
    }

    private void scale(int replicas) {
        bed.api
                .resources(Kinds.REPLICA_SETS)
                .patch("ns", "web", dev.capstan.client.PatchType.MERGE, "{\"spec\":{\"replicas\":" + replicas + "}}");
    }

    @Test
    void createsPodsFromTheTemplateWithControllerRefAndEvents() throws Exception {
        ReplicaSet rs = create(3, 0);
        sync();
        assertThat(bed.pods()).hasSize(3).allSatisfy(pod -> {
            assertThat(pod.getMetadata().getGenerateName()).isEqualTo("web-");
            assertThat(pod.getMetadata().getLabels()).containsEntry("tier", "front");
            var ref = OwnerReferences.controllerOf(pod).orElseThrow();
            assertThat(ref.getUid()).isEqualTo(rs.getMetadata().getUid());
            assertThat(ref.getKind()).isEqualTo("ReplicaSet");
            assertThat(ref.getApiVersion()).isEqualTo("apps/v1");
            assertThat(ref.getBlockOwnerDeletion()).isTrue();
        });
        assertThat(bed.events("SuccessfulCreate"))
                .extracting(ControllerTestBed.RecordedEvent::message)
                .containsExactlyInAnyOrderElementsOf(bed.pods().stream()
                        .map(p -> "Created pod: " + p.getMetadata().getName())
                        .toList());
        sync();
        assertThat(stored().getStatus().getReplicas()).isEqualTo(3);
        assertThat(stored().getStatus().getFullyLabeledReplicas()).isEqualTo(3);
        assertThat(stored().getStatus().getObservedGeneration()).isEqualTo(1L);
    }

    @Test
    void slowStartStopsAtTheFirstFailingBatch() throws Exception {
        create(10, 0);
        bed.gated.failPodCreatesAfter(3);
        assertThatThrownBy(this::sync).isInstanceOf(ApiError.class);
        // batches 1 and 2 succeed; the batch of 4 fails on its first create and no batch of 8 follows
        assertThat(bed.pods()).hasSize(3);
        assertThat(bed.events("SuccessfulCreate")).hasSize(3);
        assertThat(bed.events("FailedCreate"))
                .hasSize(4)
                .allSatisfy(e -> assertThat(e.message()).startsWith("Error creating: pods is forbidden"));
        // the 7 creates that failed or never ran are not expected; the 3 made are, until the cache shows them
        assertThat(controller.expectations().pending("ns/web")[0]).isLessThanOrEqualTo(3);
        var condition = stored().getStatus().getConditions().getFirst();
        assertThat(condition.getType()).isEqualTo("ReplicaFailure");
        assertThat(condition.getReason()).isEqualTo("FailedCreate");
        assertThat(condition.getMessage()).contains("exceeded quota");

        bed.gated.failPodCreatesAfter(Integer.MAX_VALUE);
        sync();
        assertThat(bed.pods()).hasSize(10);
        sync();
        assertThat(stored().getStatus().getConditions()).isNullOrEmpty();
    }

    @Test
    void neverCreatesMoreWhileTheCacheLagsBehindItsOwnCreates() throws Exception {
        create(4, 0);
        bed.gated.close();
        controller.reconcile(KEY);
        controller.reconcile(KEY);
        controller.reconcile(KEY);
        assertThat(bed.pods()).hasSize(4);
        assertThat(controller.expectations().satisfied("ns/web")).isFalse();

        bed.gated.open();
        sync();
        assertThat(controller.expectations().satisfied("ns/web")).isTrue();
        assertThat(bed.pods()).hasSize(4);
    }

    @Test
    void expectationsExpireAfterFiveMinutesAsUpstream() throws Exception {
        create(2, 0);
        bed.gated.close();
        controller.reconcile(KEY);
        bed.clock.advance(Duration.ofMinutes(5));
        controller.reconcile(KEY);
        assertThat(bed.pods()).hasSize(2);
        bed.clock.advance(Duration.ofSeconds(1));
        // expired: the controller acts on its (stale) cache again, as upstream does
        controller.reconcile(KEY);
        assertThat(bed.pods()).hasSize(4);
    }

    @Test
    void deletesUnreadyAndShortestReadyPodsFirst() throws Exception {
        create(3, 0);
        sync();
        var pods = bed.pods();
        bed.markReady(pods.get(0), "node-a");
        bed.clock.advance(Duration.ofHours(1));
        bed.markReady(pods.get(1), "node-b");
        bed.clock.advance(Duration.ofHours(1));
        String oldestReady = pods.get(0).getMetadata().getName();

        scale(1);
        sync();
        assertThat(bed.pods()).extracting(p -> p.getMetadata().getName()).containsExactly(oldestReady);
        assertThat(bed.events("SuccessfulDelete"))
                .extracting(ControllerTestBed.RecordedEvent::message)
                .containsExactlyInAnyOrder(
                        "Deleted pod: " + pods.get(1).getMetadata().getName(),
                        "Deleted pod: " + pods.get(2).getMetadata().getName());
        sync();
        assertThat(stored().getStatus().getReplicas()).isEqualTo(1);
        assertThat(stored().getStatus().getReadyReplicas()).isEqualTo(1);
    }

    @Test
    void adoptsMatchingOrphansInsteadOfCreating() throws Exception {
        bed.api.resources(Kinds.PODS).create(orphan("orphan", Map.of("app", "web")));
        bed.api.resources(Kinds.PODS).create(orphan("stranger", Map.of("app", "db")));
        ReplicaSet rs = create(2, 0);
        sync();
        Pod adopted = bed.api.resources(Kinds.PODS).get("ns", "orphan").orElseThrow();
        assertThat(OwnerReferences.isControlledBy(adopted, rs.getMetadata().getUid()))
                .isTrue();
        Pod stranger = bed.api.resources(Kinds.PODS).get("ns", "stranger").orElseThrow();
        assertThat(OwnerReferences.controllerOf(stranger)).isEmpty();
        assertThat(bed.pods()).hasSize(3);
        assertThat(bed.events("SuccessfulCreate")).hasSize(1);
    }

    @Test
    void releasesOwnedPodsThatNoLongerMatchAndReplacesThem() throws Exception {
        create(1, 0);
        sync();
        Pod pod = bed.pods().getFirst();
        bed.api
                .resources(Kinds.PODS)
                .patch(
                        "ns",
                        pod.getMetadata().getName(),
                        dev.capstan.client.PatchType.MERGE,
                        "{\"metadata\":{\"labels\":{\"app\":\"debug\"}}}");
        sync();
        Pod released = bed.api
                .resources(Kinds.PODS)
                .get("ns", pod.getMetadata().getName())
                .orElseThrow();
        assertThat(OwnerReferences.controllerOf(released)).isEmpty();
        sync();
        assertThat(bed.pods()).hasSize(2);
    }

    @Test
    void terminalAndDeletingPodsDoNotCount() throws Exception {
        create(2, 0);
        sync();
        Pod first = bed.pods().getFirst();
        bed.api
                .resources(Kinds.PODS)
                .patchStatus(
                        "ns",
                        first.getMetadata().getName(),
                        dev.capstan.client.PatchType.MERGE,
                        "{\"status\":{\"phase\":\"Failed\"}}");
        sync();
        assertThat(bed.pods()).hasSize(3);
        sync();
        assertThat(stored().getStatus().getReplicas()).isEqualTo(2);
    }

    @Test
    void availableReplicasWaitForMinReadySecondsAndRequeue() throws Exception {
        create(2, 30);
        sync();
        bed.pods().forEach(p -> bed.markReady(p, "node-a"));
        bed.clock.advance(Duration.ofSeconds(10));
        Result result = sync();
        assertThat(stored().getStatus().getReadyReplicas()).isEqualTo(2);
        assertThat(stored().getStatus().getAvailableReplicas()).isZero();
        assertThat(result).isEqualTo(Result.requeueAfter(Duration.ofSeconds(21)));

        bed.clock.advance(Duration.ofSeconds(21));
        assertThat(sync()).isEqualTo(Result.DONE);
        assertThat(stored().getStatus().getAvailableReplicas()).isEqualTo(2);
    }

    @Test
    void statusIsWrittenOnlyWhenItChanges() throws Exception {
        create(1, 0);
        sync();
        sync();
        bed.api.clearActions();
        sync();
        assertThat(bed.api.actions("updateStatus", "replicasets")).isEmpty();
    }

    @Test
    void deletedReplicaSetForgetsItsExpectations() throws Exception {
        create(2, 0);
        bed.gated.close();
        controller.reconcile(KEY);
        assertThat(controller.expectations().satisfied("ns/web")).isFalse();
        bed.gated.open();
        bed.api.resources(Kinds.REPLICA_SETS).delete("ns", "web");
        sync();
        assertThat(controller.expectations().pending("ns/web")).containsExactly(0, 0);
    }

    private static Pod orphan(String name, Map<String, String> labels) {
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace("ns")
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("c")
                .withImage("nginx")
                .endContainer()
                .endSpec()
                .build();
    }
}
