package dev.capstan.node.pods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PodWorkersTest {

    /** Records the calls; the first sync blocks until released, so that updates can pile up behind it. */
    private static final class RecordingSyncer implements PodSyncer {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public Duration syncPod(Pod pod) {
            calls.add("sync " + pod.getMetadata().getResourceVersion());
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }

        @Override
        public void syncTerminatingPod(Pod pod, long gracePeriodSeconds) {
            calls.add("terminating " + gracePeriodSeconds);
        }

        @Override
        public void syncTerminatedPod(Pod pod) {
            calls.add("terminated");
        }
    }

    private static Pod pod(String uid, String rv) {
        return new PodBuilder()
                .withNewMetadata()
                .withName("p")
                .withNamespace("ns")
                .withUid(uid)
                .withResourceVersion(rv)
                .endMetadata()
                .withNewSpec()
                .endSpec()
                .build();
    }

    @Test
    void updatesDuringASyncCollapseToTheLatest() {
        var syncer = new RecordingSyncer();
        try (var workers = new PodWorkers(syncer)) {
            workers.update(pod("u", "1"));
            await().until(() -> syncer.calls.size() == 1);
            workers.update(pod("u", "2"));
            workers.update(pod("u", "3"));
            workers.update(pod("u", "4"));
            syncer.release.countDown();
            await().until(() -> syncer.calls.size() == 2);
            assertThat(workers.state("u")).isEqualTo(PodWorkers.State.SYNCING);
            await().during(Duration.ofMillis(200)).until(() -> syncer.calls.size() == 2);
            assertThat(syncer.calls).containsExactly("sync 1", "sync 4");
        }
    }

    @Test
    void aDeletedPodTerminatesWithItsGracePeriodThenTheWorkerEnds() {
        var syncer = new RecordingSyncer();
        syncer.release.countDown();
        try (var workers = new PodWorkers(syncer)) {
            workers.update(pod("u", "1"));
            Pod deleted = new PodBuilder(pod("u", "2"))
                    .editMetadata()
                    .withDeletionTimestamp("2026-01-01T00:00:00Z")
                    .withDeletionGracePeriodSeconds(7L)
                    .endMetadata()
                    .build();
            workers.update(deleted);
            await().until(() -> workers.isFinished("u"));
            assertThat(syncer.calls).endsWith("terminating 7", "terminated");
            assertThat(workers.state("u")).isNull();
            workers.update(deleted);
            assertThat(workers.size())
                    .as("a finished pod's late updates start nothing")
                    .isZero();
        }
    }

    @Test
    void aPodThatVanishesFromTheApiIsTerminatedToo() {
        var syncer = new RecordingSyncer();
        syncer.release.countDown();
        try (var workers = new PodWorkers(syncer)) {
            workers.update(pod("v", "1"));
            workers.remove(pod("v", "1"));
            await().until(() -> syncer.calls.contains("terminated"));
            assertThat(syncer.calls).contains("terminating 30");
        }
    }

    @Test
    void aStatusOnlyUpdateIsKeptForTheNextSyncWithoutOne() {
        var syncer = new RecordingSyncer();
        syncer.release.countDown();
        try (var workers = new PodWorkers(syncer)) {
            workers.update(pod("w", "1"));
            await().until(() -> syncer.calls.size() == 1);
            Pod statusOnly = new PodBuilder(pod("w", "2"))
                    .withNewStatus()
                    .withPhase("Running")
                    .endStatus()
                    .build();
            assertThat(PodManager.differsSemantically(pod("w", "1"), statusOnly))
                    .isFalse();
            workers.refresh(statusOnly);
            await().during(Duration.ofMillis(200)).until(() -> syncer.calls.size() == 1);
            workers.wake("w"); // the PLEG saw a container change: the sync sees the refreshed version
            await().until(() -> syncer.calls.size() == 2);
            assertThat(syncer.calls).containsExactly("sync 1", "sync 2");
            Pod relabelled = new PodBuilder(statusOnly)
                    .editMetadata()
                    .addToLabels("tier", "web")
                    .endMetadata()
                    .build();
            assertThat(PodManager.differsSemantically(statusOnly, relabelled)).isTrue();
        }
    }
}
