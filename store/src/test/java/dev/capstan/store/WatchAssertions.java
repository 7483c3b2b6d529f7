package dev.capstan.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reading a known number of events from a watch, failing clearly when they do not come. */
final class WatchAssertions {
    private WatchAssertions() {}

    static List<WatchEvent> take(Watch watch, int count, Duration timeout) throws InterruptedException {
        List<WatchEvent> events = new ArrayList<>(count);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (events.size() < count) {
            long left = deadline - System.nanoTime();
            assertThat(left)
                    .as("only %d of %d events arrived in %s", events.size(), count, timeout)
                    .isPositive();
            WatchEvent event = watch.poll(Duration.ofNanos(left));
            if (event != null) {
                events.add(event);
                if (event instanceof WatchEvent.End) {
                    break;
                }
            }
        }
        return events;
    }

    static List<Long> revisions(List<WatchEvent> events) {
        return events.stream()
                .map(e -> switch (e) {
                    case WatchEvent.Change change -> change.revision();
                    case WatchEvent.End end -> -1L;
                })
                .toList();
    }
}
