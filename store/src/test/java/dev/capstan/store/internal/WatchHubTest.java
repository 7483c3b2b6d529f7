package dev.capstan.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.store.KeyValue;
import dev.capstan.store.WatchEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The replay-to-live handover and the slow-watcher rule, against an in-memory change log. */
class WatchHubTest {
    private final List<WatchEvent.Change> log = new ArrayList<>();
    private long compacted;

    private LogPage read(String start, String end, long after, long upTo, int limit) {
        KeyRange range = new KeyRange(start, end);
        return new LogPage(
                compacted,
                log.stream()
                        .filter(c -> c.revision() > after && c.revision() <= upTo && range.contains(c.key()))
                        .limit(limit)
                        .toList());
    }

    private WatchEvent.Change append(String key) {
        long revision = log.size() + 1;
        var change = new WatchEvent.Created(new KeyValue(key, new byte[] {1}, revision, revision));
        log.add(change);
        return change;
    }

    @Test
    void aWatchReplaysTheLogUpToTheHubPositionThenContinuesLive() throws Exception {
        for (int i = 0; i < 5; i++) {
            append("/a/" + i);
        }
        var hub = new WatchHub(5, this::read, 100);
        var watch = hub.subscribe("/a/", 2);
        assertThat(watch.progressRevision()).as("the replay is not done").isEqualTo(-1);
        var live = append("/a/live");
        hub.publish(List.of(live));

        List<Long> revisions = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            revisions.add(((WatchEvent.Change) watch.poll(Duration.ofSeconds(1))).revision());
        }
        assertThat(revisions).containsExactly(3L, 4L, 5L, 6L);
        assertThat(watch.poll(Duration.ofMillis(10))).isNull();
        assertThat(watch.progressRevision()).isEqualTo(6);
        hub.publish(List.of(append("/a/later")));
        assertThat(watch.progressRevision()).as("an event is waiting").isEqualTo(-1);
        hub.publish(List.of(append("/b/elsewhere")));
        watch.next();
        assertThat(watch.progressRevision())
                .as("changes elsewhere move progress too")
                .isEqualTo(8);
    }

    @Test
    void aWatchFromACompactedRevisionExpires() throws Exception {
        for (int i = 0; i < 5; i++) {
            append("/a/" + i);
        }
        compacted = 3;
        var hub = new WatchHub(5, this::read, 100);
        assertThat(hub.subscribe("/a/", 1).next()).isEqualTo(new WatchEvent.Expired(1, 3));
        assertThat(hub.subscribe("/a/", 3).next()).isInstanceOf(WatchEvent.Created.class);
    }

    @Test
    void aWatcherThatFallsBehindIsClosedWhileOthersKeepEverything() throws Exception {
        var hub = new WatchHub(0, this::read, 3);
        var slow = hub.subscribe("/a/", 0);
        var fast = hub.subscribe("/a/", 0);
        for (int i = 0; i < 10; i++) {
            hub.publish(List.of(append("/a/" + i)));
            assertThat(fast.next()).isInstanceOf(WatchEvent.Created.class);
        }
        assertThat(slow.next()).isInstanceOf(WatchEvent.Closed.class);
        assertThat(slow.next()).isInstanceOf(WatchEvent.Closed.class);
        assertThat(hub.size()).isEqualTo(1);
    }

    @Test
    void eventsOutsideThePrefixAreNotDelivered() throws Exception {
        var hub = new WatchHub(0, this::read, 10);
        var watch = hub.subscribe("/a/", 0);
        hub.publish(List.of(append("/b/x"), append("/a/y")));
        assertThat(((WatchEvent.Change) watch.next()).key()).isEqualTo("/a/y");
    }
}
