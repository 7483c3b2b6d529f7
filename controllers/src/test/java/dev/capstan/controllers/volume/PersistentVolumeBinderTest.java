package dev.capstan.controllers.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.capstan.client.Kinds;
import dev.capstan.client.events.FakeEventRecorder;
import dev.capstan.client.fake.FakeApiClient;
import dev.capstan.client.informer.InformerFactory;
import dev.capstan.client.workqueue.ReconcileLoop;
import dev.capstan.client.workqueue.WorkQueue;
import dev.capstan.controllers.ControllerContext;
import dev.capstan.model.meta.ObjectKey;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PersistentVolumeBinderTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final FakeApiClient api = new FakeApiClient();
    private final FakeEventRecorder events = new FakeEventRecorder();
    private final InformerFactory informers = new InformerFactory(api, Duration.ZERO);
    private final WorkQueue<ObjectKey> queue = WorkQueue.create(PersistentVolumeBinder.NAME);
    private ReconcileLoop<ObjectKey> loop;

    @BeforeEach
    void start() {
        var binder =
                new PersistentVolumeBinder(new ControllerContext(api, informers, events, Clock.systemUTC()), queue);
        informers.start();
        loop = new ReconcileLoop<>(PersistentVolumeBinder.NAME, queue, binder, 2, null);
        loop.start();
    }

    @AfterEach
    void stop() {
        loop.close();
        informers.close();
    }

    private void volume(String name, String size, String className, String node) {
        var b = new PersistentVolumeBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withCapacity(Map.of("storage", new Quantity(size)))
                .withAccessModes("ReadWriteOnce")
                .withStorageClassName(className)
                .withPersistentVolumeReclaimPolicy("Retain")
                .withNewLocal()
                .withPath("/mnt/" + name)
                .endLocal()
                .endSpec();
        if (node != null) {
            b.editSpec()
                    .withNewNodeAffinity()
                    .withNewRequired()
                    .addNewNodeSelectorTerm()
                    .addNewMatchExpression()
                    .withKey("kubernetes.io/hostname")
                    .withOperator("In")
                    .withValues(node)
                    .endMatchExpression()
                    .endNodeSelectorTerm()
                    .endRequired()
                    .endNodeAffinity()
                    .endSpec();
        }
        api.resources(Kinds.PERSISTENT_VOLUMES).create(b.build());
    }

    private void claim(String name, String size, String className) {
        api.resources(Kinds.PERSISTENT_VOLUME_CLAIMS)
                .create(new PersistentVolumeClaimBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace("default")
                        .endMetadata()
                        .withNewSpec()
                        .withAccessModes("ReadWriteOnce")
                        .withStorageClassName(className)
                        .withNewResources()
                        .withRequests(Map.of("storage", new Quantity(size)))
                        .endResources()
                        .endSpec()
                        .build());
    }

    private PersistentVolumeClaim claim(String name) {
        return api.resources(Kinds.PERSISTENT_VOLUME_CLAIMS)
                .get("default", name)
                .orElseThrow();
    }

    private PersistentVolume volume(String name) {
        return api.resources(Kinds.PERSISTENT_VOLUMES).get("", name).orElseThrow();
    }

    private static String phase(PersistentVolumeClaim c) {
        return c.getStatus() == null ? null : c.getStatus().getPhase();
    }

    private static String phase(PersistentVolume v) {
        return v.getStatus() == null ? null : v.getStatus().getPhase();
    }

    @Test
    void aClaimBindsToTheSmallestVolumeThatFitsAndBothTurnBound() {
        volume("big", "10Gi", "local", null);
        volume("small", "2Gi", "local", null);
        volume("tiny", "500Mi", "local", null);
        volume("other-class", "2Gi", "fast", null);
        claim("data", "1Gi", "local");

        await().atMost(WAIT).until(() -> "Bound".equals(phase(claim("data"))));
        PersistentVolumeClaim bound = claim("data");
        assertThat(bound.getSpec().getVolumeName()).isEqualTo("small");
        assertThat(bound.getMetadata().getAnnotations())
                .containsEntry("pv.kubernetes.io/bind-completed", "yes")
                .containsEntry("pv.kubernetes.io/bound-by-controller", "yes");
        assertThat(bound.getStatus().getCapacity().get("storage")).isEqualTo(new Quantity("2Gi"));
        await().atMost(WAIT).until(() -> "Bound".equals(phase(volume("small"))));
        assertThat(volume("small").getSpec().getClaimRef().getUid())
                .isEqualTo(bound.getMetadata().getUid());
        await().atMost(WAIT).until(() -> "Available".equals(phase(volume("big"))));

        // Deleting the claim releases a Retain volume; its claimRef stays for the administrator.
        api.resources(Kinds.PERSISTENT_VOLUME_CLAIMS).delete("default", "data");
        await().atMost(WAIT).until(() -> "Released".equals(phase(volume("small"))));
    }

    @Test
    void aClaimWithoutAMatchWaitsAndBindsWhenAVolumeAppears() {
        claim("later", "1Gi", "");
        await().atMost(WAIT).until(() -> "Pending".equals(phase(claim("later"))));
        assertThat(events.strings())
                .contains("Normal FailedBinding no persistent volumes available for this claim and no storage class is"
                        + " set");
        volume("arrives", "1Gi", "", null);
        await().atMost(WAIT).until(() -> "Bound".equals(phase(claim("later"))));
        assertThat(claim("later").getSpec().getVolumeName()).isEqualTo("arrives");
    }

    @Test
    void waitForFirstConsumerBindsOnlyOnceAPodIsOnANodeTheVolumeAdmits() {
        api.resources(Kinds.STORAGE_CLASSES)
                .create(new StorageClassBuilder()
                        .withNewMetadata()
                        .withName("local-storage")
                        .endMetadata()
                        .withProvisioner("kubernetes.io/no-provisioner")
                        .withVolumeBindingMode("WaitForFirstConsumer")
                        .build());
        api.resources(Kinds.NODES)
                .create(new NodeBuilder()
                        .withNewMetadata()
                        .withName("node-b")
                        .withLabels(Map.of("kubernetes.io/hostname", "node-b"))
                        .endMetadata()
                        .build());
        volume("on-a", "1Gi", "local-storage", "node-a");
        volume("on-b", "5Gi", "local-storage", "node-b");
        claim("wffc", "1Gi", "local-storage");
        await().atMost(WAIT).until(() -> "Pending".equals(phase(claim("wffc"))));
        assertThat(events.strings())
                .contains("Normal WaitForFirstConsumer waiting for first consumer to be created before binding");

        api.resources(Kinds.PODS)
                .create(new PodBuilder()
                        .withNewMetadata()
                        .withName("user")
                        .withNamespace("default")
                        .endMetadata()
                        .withNewSpec()
                        .withNodeName("node-b")
                        .addNewContainer()
                        .withName("c")
                        .withImage("busybox")
                        .endContainer()
                        .addNewVolume()
                        .withName("data")
                        .withNewPersistentVolumeClaim()
                        .withClaimName("wffc")
                        .endPersistentVolumeClaim()
                        .endVolume()
                        .endSpec()
                        .build());
        await().atMost(WAIT).until(() -> "Bound".equals(phase(claim("wffc"))));
        assertThat(claim("wffc").getSpec().getVolumeName())
                .as("the volume on the pod's node")
                .isEqualTo("on-b");
    }
}
