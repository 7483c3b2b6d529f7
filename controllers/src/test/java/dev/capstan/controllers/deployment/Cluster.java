package dev.capstan.controllers.deployment;

import dev.capstan.client.Kinds;
import dev.capstan.client.PatchType;
import dev.capstan.controllers.expectations.ControllerTestBed;
import dev.capstan.controllers.replicaset.PodStates;
import dev.capstan.controllers.replicaset.ReplicaSetController;
import dev.capstan.model.meta.ObjectKey;
import dev.capstan.model.pod.PodConditions;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The Deployment and ReplicaSet controllers over one test bed, run in turns as a controller manager would: every
 * ReplicaSet until nothing changes, then every Deployment, until the whole settles. A check runs after every single
 * reconcile, so invariants hold at each intermediate state, not only at the end.
 */
final class Cluster implements AutoCloseable {
    final ControllerTestBed bed = new ControllerTestBed();
    final ReplicaSetController rsController = new ReplicaSetController(bed.ctx, bed.queue);
    final DeploymentController controller = new DeploymentController(bed.ctx, bed.queue);
    private final List<Consumer<Cluster>> checks = new ArrayList<>();

    Cluster() throws InterruptedException {
        bed.start();
    }

    void check(Consumer<Cluster> invariant) {
        checks.add(invariant);
    }

    static Deployment deployment(int replicas, String image) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withNamespace("ns")
                .withName("web")
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withProgressDeadlineSeconds(600)
                .withRevisionHistoryLimit(10)
                .withNewSelector()
                .withMatchLabels(Map.of("app", "web"))
                .endSelector()
                .withNewStrategy()
                .withType("RollingUpdate")
                .withNewRollingUpdate()
                .withNewMaxSurge(1)
                .withNewMaxUnavailable(1)
                .endRollingUpdate()
                .endStrategy()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(Map.of("app", "web"))
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage(image)
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    Deployment create(Deployment d) {
        Deployment created = bed.api.resources(Kinds.DEPLOYMENTS).create(d);
        bed.settle();
        return created;
    }

    void patch(String mergePatch) {
        bed.api.resources(Kinds.DEPLOYMENTS).patch("ns", "web", PatchType.MERGE, mergePatch);
    }

    void setImage(String image) {
        patch("{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"" + image + "\"}]}}}}");
    }

    Deployment deployment() {
        return bed.api.resources(Kinds.DEPLOYMENTS).get("ns", "web").orElseThrow();
    }

    List<ReplicaSet> replicaSets() {
        return bed.list(Kinds.REPLICA_SETS);
    }

    ReplicaSet replicaSetWithImage(String image) {
        return replicaSets().stream()
                .filter(rs -> rs.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .getFirst()
                        .getImage()
                        .equals(image))
                .findFirst()
                .orElseThrow();
    }

    List<Pod> activePods() {
        return bed.pods().stream().filter(PodStates::isActive).toList();
    }

    List<Pod> podsOf(ReplicaSet rs) {
        return activePods().stream()
                .filter(p -> p.getMetadata().getOwnerReferences().stream()
                        .anyMatch(r -> r.getUid().equals(rs.getMetadata().getUid())))
                .toList();
    }

    /** Runs the controllers in turns until a full round writes nothing; bounded, so a livelock fails the test. */
    void converge() throws Exception {
        for (int round = 0; round < 50; round++) {
            int before = bed.api.actions().size();
            for (int rsRound = 0; rsRound < 20; rsRound++) {
                int rsBefore = bed.api.actions().size();
                for (ReplicaSet rs : replicaSets()) {
                    bed.settle();
                    rsController.reconcile(ObjectKey.of(rs));
                    checks.forEach(c -> c.accept(this));
                }
                if (bed.api.actions().size() == rsBefore) {
                    break;
                }
            }
            bed.settle();
            controller.reconcile(new ObjectKey("ns", "web"));
            checks.forEach(c -> c.accept(this));
            if (bed.api.actions().size() == before) {
                return;
            }
        }
        throw new AssertionError("the controllers did not settle");
    }

    /** Marks one not-ready active pod ready, as a kubelet would; false when every pod is ready already. */
    boolean readyOne() {
        for (Pod pod : activePods()) {
            if (!PodConditions.isReady(pod)) {
                bed.markReady(pod, "node-1");
                return true;
            }
        }
        return false;
    }

    void readyAll() {
        while (readyOne()) {
            // one at a time, each its own write
        }
    }

    @Override
    public void close() {
        bed.close();
    }
}
