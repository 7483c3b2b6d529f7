package dev.capstan.controllers.expectations;

import static org.awaitility.Awaitility.await;

import dev.capstan.client.Kind;
import dev.capstan.client.Kinds;
import dev.capstan.client.ListOptions;
import dev.capstan.client.events.EventRecorder;
import dev.capstan.client.fake.FakeApiClient;
import dev.capstan.client.informer.Indexer;
import dev.capstan.client.informer.InformerFactory;
import dev.capstan.client.workqueue.WorkQueue;
import dev.capstan.controllers.ControllerContext;
import dev.capstan.model.meta.ObjectKey;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** A FakeApiClient with real informers over it (through a gate), a recording EventRecorder and a test clock. */
public final class ControllerTestBed implements AutoCloseable {
    /** An event as recorded: about which object, its type, reason and message. */
    public record RecordedEvent(String regarding, String type, String reason, String message) {}

    public final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    public final FakeApiClient api = new FakeApiClient(clock);
    public final GatedApiClient gated = new GatedApiClient(api);
    public final InformerFactory informers = new InformerFactory(gated, Duration.ZERO);
    public final List<RecordedEvent> events = new CopyOnWriteArrayList<>();
    public final WorkQueue<ObjectKey> queue = WorkQueue.create("test");
    public final ControllerContext ctx;

    public ControllerTestBed() {
        EventRecorder recorder = (regarding, type, reason, message) ->
                events.add(new RecordedEvent(regarding.getMetadata().getName(), type, reason, message));
        ctx = new ControllerContext(gated, informers, recorder, clock);
    }

    public void start() throws InterruptedException {
        informers.start();
        if (!informers.waitForSync(Duration.ofSeconds(10))) {
            throw new IllegalStateException("informers did not sync");
        }
    }

    /** Waits until the informer caches of pods, ReplicaSets and Deployments hold exactly what the API holds. */
    public void settle() {
        for (Kind<?> kind : List.of(Kinds.PODS, Kinds.REPLICA_SETS, Kinds.DEPLOYMENTS)) {
            await().pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(2))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> versions(kind).equals(cached(kind)));
        }
    }

    private Map<String, String> versions(Kind<?> kind) {
        return api.resources(kind).list("", ListOptions.ALL).items().stream()
                .collect(Collectors.toMap(
                        Indexer::keyOf, o -> o.getMetadata().getResourceVersion(), (a, b) -> a, TreeMap::new));
    }

    private Map<String, String> cached(Kind<?> kind) {
        return informers.informer(kind).cache().list().stream()
                .collect(Collectors.toMap(
                        Indexer::keyOf, o -> o.getMetadata().getResourceVersion(), (a, b) -> a, TreeMap::new));
    }

    public <T extends HasMetadata> List<T> list(Kind<T> kind) {
        return api.resources(kind).list("", ListOptions.ALL).items();
    }

    public List<Pod> pods() {
        return list(Kinds.PODS);
    }

    /** Marks a pod Running and Ready since now, on {@code node} when not null (as a kubelet would report it). */
    public void markReady(Pod pod, String node) {
        String now = clock.instant().toString();
        String spec = node == null ? "" : ",\"spec\":{\"nodeName\":\"" + node + "\"}";
        if (node != null) {
            api.resources(Kinds.PODS)
                    .patch(
                            pod.getMetadata().getNamespace(),
                            pod.getMetadata().getName(),
                            dev.capstan.client.PatchType.MERGE,
                            "{" + spec.substring(1) + "}");
        }
        api.resources(Kinds.PODS)
                .patchStatus(
                        pod.getMetadata().getNamespace(),
                        pod.getMetadata().getName(),
                        dev.capstan.client.PatchType.MERGE,
                        "{\"status\":{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\","
                                + "\"lastTransitionTime\":\"" + now + "\"}]}}");
    }

    public List<RecordedEvent> events(String reason) {
        return events.stream().filter(e -> e.reason().equals(reason)).toList();
    }

    @Override
    public void close() {
        gated.open();
        queue.shutDown();
        informers.close();
    }
}
