package dev.capstan.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.capstan.client.Kinds;
import dev.capstan.client.PatchType;
import dev.capstan.client.workqueue.ReconcileLoop;
import dev.capstan.client.workqueue.WorkQueue;
import dev.capstan.controllers.expectations.ControllerTestBed;
import dev.capstan.controllers.replicaset.PodStates;
import dev.capstan.controllers.replicaset.ReplicaSetController;
import dev.capstan.model.meta.ObjectKey;
import dev.capstan.model.pod.PodConditions;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Both controllers as the controller manager runs them: their own queues fed only by their informer handlers, worked
 * by ReconcileLoops. Nothing calls reconcile directly, so this shows the handlers enqueue what each step needs.
 */
class ReconcileLoopRolloutTest {
    @Test
    void handlersDriveACreateAndARollingUpdateToCompletion() throws Exception {
        try (ControllerTestBed bed = new ControllerTestBed()) {
            WorkQueue<ObjectKey> rsQueue = WorkQueue.create("replicaset");
            WorkQueue<ObjectKey> dQueue = WorkQueue.create("deployment");
            var rsController = new ReplicaSetController(bed.ctx, rsQueue);
            var dController = new DeploymentController(bed.ctx, dQueue);
            bed.start();
            try (var rsLoop = new ReconcileLoop<>(ReplicaSetController.NAME, rsQueue, rsController, 2, null);
                    var dLoop = new ReconcileLoop<>(DeploymentController.NAME, dQueue, dController, 2, null)) {
                rsLoop.start();
                dLoop.start();
                bed.api.resources(Kinds.DEPLOYMENTS).create(Cluster.deployment(3, "nginx:1"));
                awaitComplete(bed, "nginx:1");

                bed.api
                        .resources(Kinds.DEPLOYMENTS)
                        .patch(
                                "ns",
                                "web",
                                PatchType.MERGE,
                                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"nginx:2\"}]}}}}");
                awaitComplete(bed, "nginx:2");
                List<ReplicaSet> rss = bed.list(Kinds.REPLICA_SETS);
                assertThat(rss).hasSize(2);
                assertThat(rss)
                        .filteredOn(rs -> rs.getSpec().getReplicas() == 3)
                        .hasSize(1);
                assertThat(bed.pods()).hasSize(3);
            }
        }
    }

    /** Plays the kubelet (every pod becomes ready) until the Deployment reports the image's rollout complete. */
    private static void awaitComplete(ControllerTestBed bed, String image) {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    bed.pods().stream()
                            .filter(p -> PodStates.isActive(p) && !PodConditions.isReady(p))
                            .forEach(p -> {
                                try {
                                    bed.markReady(p, "node-1");
                                } catch (RuntimeException gone) {
                                    // deleted meanwhile
                                }
                            });
                    Deployment d = bed.api
                            .resources(Kinds.DEPLOYMENTS)
                            .get("ns", "web")
                            .orElseThrow();
                    var progressing = DeploymentStatuses.get(d.getStatus(), DeploymentStatuses.PROGRESSING);
                    return d.getSpec()
                                    .getTemplate()
                                    .getSpec()
                                    .getContainers()
                                    .getFirst()
                                    .getImage()
                                    .equals(image)
                            && d.getStatus() != null
                            && d.getStatus().getObservedGeneration() != null
                            && d.getStatus()
                                    .getObservedGeneration()
                                    .equals(d.getMetadata().getGeneration())
                            && Integer.valueOf(3).equals(d.getStatus().getUpdatedReplicas())
                            && Integer.valueOf(3).equals(d.getStatus().getAvailableReplicas())
                            && Integer.valueOf(3).equals(d.getStatus().getReplicas())
                            && progressing
                                    .map(c -> DeploymentStatuses.NEW_RS_AVAILABLE.equals(c.getReason()))
                                    .orElse(false);
                });
    }
}
