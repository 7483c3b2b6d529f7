package dev.capstan.client.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.capstan.client.ApiError;
import dev.capstan.client.Kinds;
import dev.capstan.client.ListOptions;
import dev.capstan.client.fake.FakeApiClient;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiEventRecorderTest {
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00.123456789Z");

    private final MutableClock clock = new MutableClock(T0);
    private final FakeApiClient api = new FakeApiClient(clock);
    private ApiEventRecorder recorder;

    @AfterEach
    void close() {
        if (recorder != null) {
            recorder.close();
        }
    }

    private ApiEventRecorder recorder(dev.capstan.client.ApiClient client) {
        recorder = new ApiEventRecorder(client, "replicaset-controller", "", clock, Duration.ofMillis(1));
        return recorder;
    }

    private static Pod pod(String name) {
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace("web")
                .withName(name)
                .withUid("uid-" + name)
                .withResourceVersion("7")
                .endMetadata()
                .build();
    }

    private List<Event> written() {
        assertThat(recorder.flush(Duration.ofSeconds(10))).isTrue();
        return api.resources(Kinds.EVENTS).list("", ListOptions.ALL).items().stream()
                .sorted(Comparator.comparing(e -> e.getMetadata().getName()))
                .toList();
    }

    @Test
    void anEventNamesItsObjectAndCarriesUpstreamsFields() {
        recorder(api).event(pod("web-1"), EventRecorder.NORMAL, "SuccessfulCreate", "Created pod: web-1");

        List<Event> events = written();
        assertThat(events).hasSize(1);
        Event e = events.getFirst();
        assertThat(e.getMetadata().getName()).isEqualTo("web-1.1828a57a2c1e0d15"); // hex Unix nanoseconds
        assertThat(e.getMetadata().getNamespace()).isEqualTo("web");
        assertThat(e.getInvolvedObject().getKind()).isEqualTo("Pod");
        assertThat(e.getInvolvedObject().getApiVersion()).isEqualTo("v1");
        assertThat(e.getInvolvedObject().getNamespace()).isEqualTo("web");
        assertThat(e.getInvolvedObject().getName()).isEqualTo("web-1");
        assertThat(e.getInvolvedObject().getUid()).isEqualTo("uid-web-1");
        assertThat(e.getInvolvedObject().getResourceVersion()).isEqualTo("7");
        assertThat(e.getType()).isEqualTo("Normal");
        assertThat(e.getReason()).isEqualTo("SuccessfulCreate");
        assertThat(e.getMessage()).isEqualTo("Created pod: web-1");
        assertThat(e.getSource().getComponent()).isEqualTo("replicaset-controller");
        assertThat(e.getSource().getHost()).isNull();
        assertThat(e.getFirstTimestamp()).isEqualTo("2025-03-01T10:00:00Z");
        assertThat(e.getLastTimestamp()).isEqualTo("2025-03-01T10:00:00Z");
        assertThat(e.getCount()).isEqualTo(1);
        assertThat(e.getReportingComponent()).isEqualTo("replicaset-controller");
        assertThat(e.getReportingInstance()).isNull();
    }

    @Test
    void aClusterScopedObjectsEventsGoToTheDefaultNamespace() {
        Node node = new NodeBuilder()
                .withNewMetadata()
                .withName("n1")
                .withUid("u")
                .endMetadata()
                .build();
        recorder = new ApiEventRecorder(api, "kubelet", "n1", clock, Duration.ofMillis(1));
        recorder.eventf(node, EventRecorder.WARNING, "NodeNotReady", "Node %s status is now: %s", "n1", "NodeNotReady");

        Event e = written().getFirst();
        assertThat(e.getMetadata().getNamespace()).isEqualTo("default");
        assertThat(e.getInvolvedObject().getNamespace()).isNull();
        assertThat(e.getInvolvedObject().getKind()).isEqualTo("Node");
        assertThat(e.getMessage()).isEqualTo("Node n1 status is now: NodeNotReady");
        assertThat(e.getSource().getHost()).isEqualTo("n1");
        assertThat(e.getReportingInstance()).isEqualTo("n1");
    }

    @Test
    void identicalEventsBecomeOneEventWithACount() {
        recorder(api);
        for (int i = 0; i < 20; i++) {
            clock.advance(Duration.ofSeconds(1));
            recorder.event(pod("web-1"), EventRecorder.WARNING, "FailedCreate", "quota exceeded");
        }

        List<Event> events = written();
        assertThat(events).hasSize(1);
        assertThat(events.getFirst().getCount()).isEqualTo(20);
        assertThat(events.getFirst().getFirstTimestamp()).isEqualTo("2025-03-01T10:00:01Z");
        assertThat(events.getFirst().getLastTimestamp()).isEqualTo("2025-03-01T10:00:20Z");
        assertThat(api.actions("create", "events")).hasSize(1);
        assertThat(api.actions("patch", "events")).hasSize(19);
    }

    /**
     * 100 identical events from a hot loop: one Event. Upstream's correlator applies the spam filter (25 per object)
     * after counting, so the API sees count 25 at first; the skipped 75 are still counted, and the next repeat that
     * the budget lets through (one per five minutes) carries the full count.
     */
    @Test
    void aHotLoopOfIdenticalEventsIsOneEventAndEveryRepeatIsCounted() {
        recorder(api);
        for (int i = 0; i < 100; i++) {
            recorder.event(pod("web-1"), EventRecorder.WARNING, "FailedCreate", "quota exceeded");
        }
        List<Event> events = written();
        assertThat(events).hasSize(1);
        assertThat(events.getFirst().getCount()).isEqualTo(25);

        clock.advance(Duration.ofMinutes(5));
        recorder.event(pod("web-1"), EventRecorder.WARNING, "FailedCreate", "quota exceeded");
        events = written();
        assertThat(events).hasSize(1);
        assertThat(events.getFirst().getCount()).isEqualTo(101);
        assertThat(events.getFirst().getFirstTimestamp()).isEqualTo("2025-03-01T10:00:00Z");
        assertThat(events.getFirst().getLastTimestamp()).isEqualTo("2025-03-01T10:05:00Z");
    }

    @Test
    void manyMessagesForOneReasonAreCombined() {
        recorder(api);
        for (int i = 1; i <= 12; i++) {
            clock.advance(Duration.ofSeconds(1));
            recorder.event(pod("web-1"), EventRecorder.WARNING, "FailedMount", "volume " + i + " not found");
        }

        List<Event> events = written();
        // the first 9 distinct messages are Events of their own; from the 10th on they are one combined Event
        assertThat(events).hasSize(10);
        List<Event> combined = events.stream()
                .filter(e -> e.getMessage().startsWith("(combined from similar events): "))
                .toList();
        assertThat(combined).hasSize(1);
        assertThat(combined.getFirst().getMessage()).isEqualTo("(combined from similar events): volume 12 not found");
        assertThat(combined.getFirst().getCount()).isEqualTo(3);
        assertThat(combined.getFirst().getReason()).isEqualTo("FailedMount");

        clock.advance(Duration.ofSeconds(601)); // past the aggregation window: a new message stands alone again
        recorder.event(pod("web-1"), EventRecorder.WARNING, "FailedMount", "volume 13 not found");
        assertThat(written()).hasSize(11).anyMatch(e -> e.getMessage().equals("volume 13 not found"));
    }

    @Test
    void theSpamFilterCapsEachObject() {
        recorder(api);
        for (int i = 0; i < 30; i++) {
            clock.advance(Duration.ofMillis(1)); // Event names hold the time: at one instant they would collide
            recorder.event(pod("web-1"), EventRecorder.NORMAL, "Reason" + i, "message");
        }
        recorder.event(pod("web-2"), EventRecorder.NORMAL, "Reason0", "message");
        List<Event> events = written();
        assertThat(events)
                .filteredOn(e -> e.getInvolvedObject().getName().equals("web-1"))
                .hasSize(25);
        assertThat(events)
                .filteredOn(e -> e.getInvolvedObject().getName().equals("web-2"))
                .hasSize(1);

        clock.advance(Duration.ofMinutes(5)); // one token back
        recorder.event(pod("web-1"), EventRecorder.NORMAL, "Later1", "message");
        clock.advance(Duration.ofMillis(1));
        recorder.event(pod("web-1"), EventRecorder.NORMAL, "Later2", "message");
        assertThat(written())
                .filteredOn(e -> e.getInvolvedObject().getName().equals("web-1"))
                .hasSize(26);
    }

    @Test
    void aRepeatOfADeletedEventCreatesItAgain() {
        recorder(api);
        recorder.event(pod("web-1"), EventRecorder.NORMAL, "Pulled", "image pulled");
        String name = written().getFirst().getMetadata().getName();
        api.resources(Kinds.EVENTS).delete("web", name);

        recorder.event(pod("web-1"), EventRecorder.NORMAL, "Pulled", "image pulled");
        List<Event> events = written();
        assertThat(events).hasSize(1);
        assertThat(events.getFirst().getMetadata().getName()).isEqualTo(name);
        assertThat(events.getFirst().getCount()).isEqualTo(2);
    }

    @Test
    void aFailingApiNeverReachesTheCaller() {
        var faulty = new FaultyApiClient(api);
        AtomicInteger tries = new AtomicInteger();
        faulty.before((verb, kind) -> {
            tries.incrementAndGet();
            throw FaultyApiClient.unavailable();
        });
        recorder(faulty);

        assertThatCode(() -> {
                    for (int i = 0; i < 50; i++) {
                        recorder.event(pod("web-" + i), EventRecorder.WARNING, "FailedCreate", "boom");
                    }
                })
                .doesNotThrowAnyException();
        assertThat(written()).isEmpty();
        assertThat(tries.get()).isEqualTo(50 * ApiEventRecorder.MAX_TRIES); // transient: retried, then given up

        faulty.heal();
        recorder.event(pod("web-1"), EventRecorder.NORMAL, "Recovered", "ok");
        assertThat(written()).extracting(Event::getReason).containsExactly("Recovered");
    }

    @ParameterizedTest
    @CsvSource({"422, Invalid, 1", "403, Forbidden, 1", "409, AlreadyExists, 1", "503, ServiceUnavailable, 12"})
    void onlyTransientFailuresAreRetried(int code, String reason, int expectedTries) {
        var faulty = new FaultyApiClient(api);
        AtomicInteger tries = new AtomicInteger();
        faulty.before((verb, kind) -> {
            tries.incrementAndGet();
            throw new ApiError(code, reason, "injected", null);
        });
        recorder(faulty).event(pod("web-1"), EventRecorder.WARNING, "FailedCreate", "boom");
        assertThat(recorder.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(tries.get()).isEqualTo(expectedTries);
    }

    @Test
    void aFullQueueDropsAndCountsWithoutBlocking() throws InterruptedException {
        var faulty = new FaultyApiClient(api);
        var entered = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        faulty.before((verb, kind) -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        recorder(faulty);
        recorder.event(pod("web-0"), EventRecorder.NORMAL, "Blocked", "the writer holds this one");
        entered.await();

        long start = System.nanoTime();
        for (int i = 1; i <= ApiEventRecorder.QUEUE_LENGTH + 5; i++) {
            recorder.event(pod("web-" + i), EventRecorder.NORMAL, "Queued", "event " + i);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(recorder.dropped()).isEqualTo(5);

        release.countDown();
        assertThat(written()).hasSize(ApiEventRecorder.QUEUE_LENGTH + 1);
    }

    @Test
    void unsupportedTypesAndObjectsWithoutMetadataAreDropped() {
        recorder(api);
        recorder.event(pod("web-1"), "Info", "Something", "not a type upstream accepts");
        recorder.event(new Pod(), EventRecorder.NORMAL, "Something", "no metadata");
        recorder.event((HasMetadata) null, EventRecorder.NORMAL, "Something", "no object");
        assertThat(written()).isEmpty();
    }

    @Test
    void closeWritesWhatIsQueued() {
        var faulty = new FaultyApiClient(api);
        faulty.before((verb, kind) -> sleep(5));
        recorder(faulty);
        for (int i = 0; i < 20; i++) {
            recorder.event(pod("web-" + i), EventRecorder.NORMAL, "Created", "pod " + i);
        }
        recorder.close();
        assertThat(api.resources(Kinds.EVENTS).list("", ListOptions.ALL).items())
                .hasSize(20);
        recorder.event(pod("web-1"), EventRecorder.NORMAL, "Late", "after close");
        assertThat(api.actions("create", "events")).hasSize(20);
    }

    @Test
    void worksWithTheSystemClock() {
        recorder = new ApiEventRecorder(api, "deployment-controller", "", Clock.systemUTC());
        recorder.event(pod("web-1"), EventRecorder.NORMAL, "ScalingReplicaSet", "Scaled up replica set web-1 to 3");
        assertThat(written()).extracting(Event::getReason).containsExactly("ScalingReplicaSet");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
