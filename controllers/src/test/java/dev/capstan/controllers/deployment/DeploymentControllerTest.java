package dev.capstan.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capstan.client.Kinds;
import dev.capstan.client.workqueue.Result;
import dev.capstan.controllers.expectations.ControllerTestBed.RecordedEvent;
import dev.capstan.model.meta.ObjectKey;
import dev.capstan.model.meta.OwnerReferences;
import dev.capstan.model.pod.PodConditions;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeploymentControllerTest {
    private Cluster cluster;

    @BeforeEach
    void setUp() throws InterruptedException {
        cluster = new Cluster();
    }

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    private DeploymentCondition condition(String type) {
        return DeploymentStatuses.get(cluster.deployment().getStatus(), type).orElseThrow();
    }

    private void rollOut() throws Exception {
        for (int step = 0; step < 100; step++) {
            cluster.converge();
            if (!cluster.readyOne()) {
                cluster.converge();
                return;
            }
        }
        throw new AssertionError("rollout did not finish");
    }

    @Test
    void newDeploymentCreatesRevisionOneReplicaSetAndCompletes() throws Exception {
        cluster.create(Cluster.deployment(3, "nginx:1"));
        cluster.converge();
        ReplicaSet rs = cluster.replicaSets().getFirst();
        String hash = rs.getMetadata().getLabels().get(DeploymentUtil.HASH_LABEL);
        assertThat(rs.getMetadata().getName()).isEqualTo("web-" + hash);
        assertThat(rs.getSpec().getSelector().getMatchLabels()).containsEntry(DeploymentUtil.HASH_LABEL, hash);
        assertThat(rs.getSpec().getTemplate().getMetadata().getLabels()).containsEntry(DeploymentUtil.HASH_LABEL, hash);
        assertThat(rs.getMetadata().getAnnotations())
                .containsEntry(DeploymentUtil.REVISION, "1")
                .containsEntry(DeploymentUtil.DESIRED_REPLICAS, "3")
                .containsEntry(DeploymentUtil.MAX_REPLICAS, "4");
        assertThat(OwnerReferences.isControlledBy(
                        rs, cluster.deployment().getMetadata().getUid()))
                .isTrue();
        assertThat(cluster.deployment().getMetadata().getAnnotations()).containsEntry(DeploymentUtil.REVISION, "1");
        // as upstream, the revision goes with the status: the Deployment itself is never written, so its
        // generation stays 1 and `kubectl rollout status` has no spec update to wait for
        assertThat(cluster.bed.api.actions().stream()
                        .filter(a -> a.resource().equals("deployments"))
                        .map(a -> a.verb()))
                .containsOnly("create", "updateStatus");
        assertThat(cluster.bed.events("ScalingReplicaSet"))
                .extracting(RecordedEvent::message)
                .containsExactly("Scaled up replica set " + rs.getMetadata().getName() + " from 0 to 3");
        assertThat(cluster.podsOf(rs))
                .hasSize(3)
                .allSatisfy(
                        p -> assertThat(p.getMetadata().getLabels()).containsEntry(DeploymentUtil.HASH_LABEL, hash));
        assertThat(condition("Available").getReason()).isEqualTo("MinimumReplicasUnavailable");

        cluster.readyAll();
        cluster.converge();
        Deployment d = cluster.deployment();
        assertThat(d.getStatus().getObservedGeneration())
                .isEqualTo(d.getMetadata().getGeneration());
        assertThat(d.getStatus().getReplicas()).isEqualTo(3);
        assertThat(d.getStatus().getUpdatedReplicas()).isEqualTo(3);
        assertThat(d.getStatus().getReadyReplicas()).isEqualTo(3);
        assertThat(d.getStatus().getAvailableReplicas()).isEqualTo(3);
        assertThat(d.getStatus().getUnavailableReplicas()).isZero();
        assertThat(condition("Available").getReason()).isEqualTo("MinimumReplicasAvailable");
        assertThat(condition("Available").getMessage()).isEqualTo("Deployment has minimum availability.");
        DeploymentCondition progressing = condition("Progressing");
        assertThat(progressing.getStatus()).isEqualTo("True");
        assertThat(progressing.getReason()).isEqualTo("NewReplicaSetAvailable");
        assertThat(progressing.getMessage())
                .isEqualTo("ReplicaSet \"" + rs.getMetadata().getName() + "\" has successfully progressed.");
    }

    @Test
    void rollingUpdateKeepsAvailabilityAndSurgeBoundsAtEveryStep() throws Exception {
        Deployment d = Cluster.deployment(4, "nginx:1");
        cluster.create(d);
        rollOut();
        ReplicaSet v1 = cluster.replicaSetWithImage("nginx:1");
        cluster.check(c -> {
            long active = c.activePods().size();
            long available =
                    c.activePods().stream().filter(PodConditions::isReady).count();
            assertThat(active).as("pods never exceed replicas + maxSurge").isLessThanOrEqualTo(5);
            assertThat(available)
                    .as("available never below replicas - maxUnavailable")
                    .isGreaterThanOrEqualTo(3);
        });
        cluster.setImage("nginx:2");
        rollOut();

        ReplicaSet v2 = cluster.replicaSetWithImage("nginx:2");
        assertThat(v2.getMetadata().getAnnotations()).containsEntry(DeploymentUtil.REVISION, "2");
        assertThat(cluster.deployment().getMetadata().getAnnotations()).containsEntry(DeploymentUtil.REVISION, "2");
        assertThat(cluster.podsOf(v2)).hasSize(4);
        assertThat(cluster.replicaSetWithImage("nginx:1").getSpec().getReplicas())
                .isZero();
        assertThat(cluster.podsOf(v1)).isEmpty();
        assertThat(condition("Progressing").getMessage())
                .isEqualTo("ReplicaSet \"" + v2.getMetadata().getName() + "\" has successfully progressed.");
        assertThat(cluster.bed.events("ScalingReplicaSet"))
                .extracting(RecordedEvent::message)
                .contains("Scaled up replica set " + v2.getMetadata().getName() + " from 0 to 1")
                .anyMatch(m -> m.startsWith(
                        "Scaled down replica set " + v1.getMetadata().getName() + " from 4 to"));
    }

    @Test
    void anOldReplicaSetWhoseStatusLagsItsScaleDownIsNeverScaledBackUp() throws Exception {
        cluster.create(Cluster.deployment(4, "nginx:1"));
        rollOut();
        ObjectKey web = new ObjectKey("ns", "web");
        cluster.setImage("nginx:2");
        cluster.bed.settle();
        // new ReplicaSet to 1, old to 3; the old one's status still says 4 available
        cluster.controller.reconcile(web);
        cluster.bed.settle();
        ReplicaSet v1 = cluster.replicaSetWithImage("nginx:1");
        ReplicaSet v2 = cluster.replicaSetWithImage("nginx:2");
        assertThat(v1.getSpec().getReplicas()).isEqualTo(3);
        assertThat(v1.getStatus().getAvailableReplicas()).isEqualTo(4);
        // the new pod starts and is ready; the old ReplicaSet's controller has not run yet
        cluster.rsController.reconcile(ObjectKey.of(v2));
        cluster.bed.settle();
        assertThat(cluster.readyOne()).isTrue();
        cluster.bed.settle();
        cluster.rsController.reconcile(ObjectKey.of(v2));
        cluster.bed.settle();

        // this pass scales the new ReplicaSet up to 2 and ends there
        cluster.controller.reconcile(web);
        cluster.bed.settle();
        assertThat(cluster.replicaSetWithImage("nginx:2").getSpec().getReplicas())
                .isEqualTo(2);
        // the next one cleans up unhealthy replicas: spec 3 < available 4 is upstream's error, not a scale-up to 4
        assertThatThrownBy(() -> cluster.controller.reconcile(web))
                .hasMessage("when cleaning up unhealthy replicas, got invalid request to scale down ns/"
                        + v1.getMetadata().getName() + " 3 -> 4");
        cluster.bed.settle();
        assertThat(cluster.replicaSetWithImage("nginx:1").getSpec().getReplicas())
                .isEqualTo(3);
        assertThat(cluster.replicaSets().stream()
                        .mapToInt(rs -> rs.getSpec().getReplicas())
                        .sum())
                .as("replicas + maxSurge")
                .isLessThanOrEqualTo(5);
    }

    @Test
    void undoByTemplateReusesTheOldReplicaSetWithTheNextRevision() throws Exception {
        cluster.create(Cluster.deployment(2, "nginx:1"));
        rollOut();
        cluster.setImage("nginx:2");
        rollOut();
        // what kubectl rollout undo does: the template of revision 1 written back
        cluster.setImage("nginx:1");
        rollOut();
        assertThat(cluster.replicaSets()).hasSize(2);
        ReplicaSet v1 = cluster.replicaSetWithImage("nginx:1");
        assertThat(v1.getMetadata().getAnnotations())
                .containsEntry(DeploymentUtil.REVISION, "3")
                .containsEntry(DeploymentUtil.REVISION_HISTORY, "1");
        assertThat(cluster.podsOf(v1)).hasSize(2);
        assertThat(cluster.deployment().getMetadata().getAnnotations()).containsEntry(DeploymentUtil.REVISION, "3");
    }

    @Test
    void recreateStopsOldPodsBeforeStartingNewOnes() throws Exception {
        Deployment d = Cluster.deployment(3, "nginx:1");
        d.getSpec().getStrategy().setType("Recreate");
        d.getSpec().getStrategy().setRollingUpdate(null);
        cluster.create(d);
        rollOut();
        ReplicaSet v1 = cluster.replicaSetWithImage("nginx:1");
        cluster.check(c -> {
            var rss = c.replicaSets();
            var old = rss.stream()
                    .filter(rs ->
                            rs.getMetadata().getUid().equals(v1.getMetadata().getUid()))
                    .toList();
            var others = rss.stream().filter(rs -> !old.contains(rs)).toList();
            boolean newPods = others.stream().anyMatch(rs -> !c.podsOf(rs).isEmpty());
            boolean oldPods = old.stream().anyMatch(rs -> !c.podsOf(rs).isEmpty());
            assertThat(newPods && oldPods)
                    .as("old and new pods never run together")
                    .isFalse();
        });
        cluster.setImage("nginx:2");
        rollOut();
        assertThat(cluster.podsOf(cluster.replicaSetWithImage("nginx:2"))).hasSize(3);
        assertThat(cluster.podsOf(v1)).isEmpty();
    }

    @Test
    void pauseStopsTheRolloutButNotScaling() throws Exception {
        cluster.create(Cluster.deployment(2, "nginx:1"));
        rollOut();
        cluster.patch("{\"spec\":{\"paused\":true}}");
        cluster.setImage("nginx:2");
        cluster.converge();
        assertThat(cluster.replicaSets()).hasSize(1);
        DeploymentCondition paused = condition("Progressing");
        assertThat(paused.getStatus()).isEqualTo("Unknown");
        assertThat(paused.getReason()).isEqualTo("DeploymentPaused");
        assertThat(paused.getMessage()).isEqualTo("Deployment is paused");

        cluster.patch("{\"spec\":{\"replicas\":3}}");
        cluster.converge();
        assertThat(cluster.replicaSetWithImage("nginx:1").getSpec().getReplicas())
                .isEqualTo(3);

        cluster.patch("{\"spec\":{\"paused\":false}}");
        rollOut();
        assertThat(cluster.podsOf(cluster.replicaSetWithImage("nginx:2"))).hasSize(3);
        assertThat(condition("Progressing").getReason()).isEqualTo("NewReplicaSetAvailable");
    }

    @Test
    void revisionHistoryLimitDeletesTheOldestIdleReplicaSets() throws Exception {
        Deployment d = Cluster.deployment(1, "nginx:1");
        d.getSpec().setRevisionHistoryLimit(1);
        cluster.create(d);
        rollOut();
        for (String image : new String[] {"nginx:2", "nginx:3", "nginx:4"}) {
            cluster.setImage(image);
            rollOut();
        }
        assertThat(cluster.replicaSets())
                .extracting(rs -> rs.getMetadata().getAnnotations().get(DeploymentUtil.REVISION))
                .containsExactlyInAnyOrder("3", "4");
    }

    @Test
    void progressDeadlineExceededSetsTheCondition() throws Exception {
        Deployment d = Cluster.deployment(2, "nginx:1");
        d.getSpec().setProgressDeadlineSeconds(60);
        cluster.create(d);
        cluster.controller.reconcile(new ObjectKey("ns", "web"));
        ReplicaSet rs = cluster.replicaSets().getFirst();
        assertThat(condition("Progressing").getReason()).isEqualTo("NewReplicaSetCreated");
        assertThat(condition("Progressing").getMessage())
                .isEqualTo("Created new replica set \"" + rs.getMetadata().getName() + "\"");
        cluster.converge();
        assertThat(condition("Progressing").getReason()).isEqualTo("ReplicaSetUpdated");
        assertThat(condition("Progressing").getMessage())
                .isEqualTo("ReplicaSet \"" + rs.getMetadata().getName() + "\" is progressing.");
        cluster.bed.settle();
        Result result = cluster.controller.reconcile(new ObjectKey("ns", "web"));
        assertThat(result).isInstanceOf(Result.RequeueAfter.class);

        cluster.bed.clock.advance(Duration.ofSeconds(61));
        cluster.converge();
        DeploymentCondition progressing = condition("Progressing");
        assertThat(progressing.getStatus()).isEqualTo("False");
        assertThat(progressing.getReason()).isEqualTo("ProgressDeadlineExceeded");
        assertThat(progressing.getMessage())
                .isEqualTo("ReplicaSet \"" + rs.getMetadata().getName() + "\" has timed out progressing.");
    }

    @Test
    void adoptsAMatchingOrphanReplicaSet() throws Exception {
        Deployment d = cluster.create(Cluster.deployment(1, "nginx:1"));
        cluster.converge();
        ReplicaSet owned = cluster.replicaSets().getFirst();
        cluster.bed
                .api
                .resources(Kinds.REPLICA_SETS)
                .patch(
                        "ns",
                        owned.getMetadata().getName(),
                        dev.capstan.client.PatchType.MERGE,
                        "{\"metadata\":{\"ownerReferences\":null}}");
        cluster.converge();
        ReplicaSet again = cluster.replicaSets().getFirst();
        assertThat(OwnerReferences.isControlledBy(again, d.getMetadata().getUid()))
                .isTrue();
        assertThat(cluster.replicaSets()).hasSize(1);
    }
}
