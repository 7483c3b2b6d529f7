package dev.capstan.client.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.KubeJson;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.EventSource;
import io.fabric8.kubernetes.api.model.ObjectReference;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * client-go's EventCorrelator (tools/record/events_cache.go), in its order: the aggregator collapses more than
 * {@link #MAX_EVENTS} − 1 distinct messages for one source, object, type and reason within
 * {@link #MAX_INTERVAL} into one "(combined from similar events)" Event; the logger turns a repeat of an Event it
 * has seen into a patch of that Event's count, lastTimestamp and message; last, the spam filter, a token bucket per
 * source and object ({@link #SPAM_BURST}, refilled one per five minutes), skips the write. A skipped repeat is
 * still counted, so the next one that passes carries the full count. Every cache is an LRU of {@link #LRU_SIZE}.
 * Thread-safe; the recorder calls it from its writer thread.
 */
final class EventCorrelator {
    static final int LRU_SIZE = 4096;
    static final int MAX_EVENTS = 10;
    static final Duration MAX_INTERVAL = Duration.ofSeconds(600);
    static final int SPAM_BURST = 25;
    static final double SPAM_QPS = 1.0 / 300;
    static final String COMBINED = "(combined from similar events): ";

    /** What to write: a new Event (patch null) or a patch of the Event named in it; or nothing. */
    record Result(Event event, String patch, boolean skip) {
        static final Result SKIP = new Result(null, null, true);
    }

    private record Observation(int count, String firstTimestamp, String name, String resourceVersion) {}

    private static final class Aggregate {
        final Set<String> messages = new HashSet<>();
        Instant last = Instant.MIN;
    }

    private final Clock clock;
    private final Lru<Aggregate> aggregates = new Lru<>();
    private final Lru<Observation> observations = new Lru<>();
    private final Lru<TokenBucket> spam = new Lru<>();

    EventCorrelator(Clock clock) {
        this.clock = clock;
    }

    synchronized Result correlate(Event event) {
        String key = eventKey(event);
        Event aggregated = aggregate(event);
        if (aggregated != event) {
            key = aggregateKey(event);
        }
        Result observed = observe(aggregated, key);
        TokenBucket bucket = spam.computeIfAbsent(spamKey(event), k -> new TokenBucket(clock.instant()));
        return bucket.tryAccept(clock.instant()) ? observed : Result.SKIP;
    }

    /** Records what the server answered, so that later patches name the Event and carry its count. */
    synchronized void updateState(Event written) {
        observations.put(
                eventKey(written),
                new Observation(
                        written.getCount() == null ? 1 : written.getCount(),
                        written.getFirstTimestamp(),
                        written.getMetadata().getName(),
                        written.getMetadata().getResourceVersion()));
    }

    /** client-go's EventAggregate: the event itself, or a combined one once too many messages came for its reason. */
    private Event aggregate(Event event) {
        Instant now = clock.instant();
        String key = aggregateKey(event);
        Aggregate record = aggregates.get(key);
        if (record == null || Duration.between(record.last, now).compareTo(MAX_INTERVAL) > 0) {
            record = new Aggregate();
        }
        record.messages.add(Objects.toString(event.getMessage(), ""));
        record.last = now;
        aggregates.put(key, record);
        if (record.messages.size() < MAX_EVENTS) {
            return event;
        }
        Iterator<String> any = record.messages.iterator(); // keep the set from growing past the threshold
        any.next();
        any.remove();
        String timestamp = ApiEventRecorder.timestamp(now);
        return new EventBuilder()
                .withNewMetadata()
                .withName(ApiEventRecorder.eventName(event.getInvolvedObject().getName(), now))
                .withNamespace(event.getMetadata().getNamespace())
                .endMetadata()
                .withCount(1)
                .withFirstTimestamp(timestamp)
                .withLastTimestamp(timestamp)
                .withInvolvedObject(event.getInvolvedObject())
                .withMessage(COMBINED + event.getMessage())
                .withType(event.getType())
                .withReason(event.getReason())
                .withSource(event.getSource())
                .withReportingComponent(event.getReportingComponent())
                .withReportingInstance(event.getReportingInstance())
                .build();
    }

    /** client-go's eventObserve: a repeat takes the name, first timestamp and count + 1 of what was seen before. */
    private Result observe(Event event, String key) {
        Event observed = new EventBuilder(event).build();
        Observation last = observations.get(key);
        String patch = null;
        if (last != null && last.count() > 0) {
            observed.getMetadata().setName(last.name());
            observed.getMetadata().setResourceVersion(last.resourceVersion());
            observed.setFirstTimestamp(last.firstTimestamp());
            observed.setCount(last.count() + 1);
            ObjectNode json = KubeJson.object()
                    .put("count", observed.getCount())
                    .put("lastTimestamp", observed.getLastTimestamp());
            if (observed.getMessage() != null && !observed.getMessage().isEmpty()) {
                json.put("message", observed.getMessage());
            }
            patch = json.toString();
        }
        observations.put(
                key,
                new Observation(
                        observed.getCount(),
                        observed.getFirstTimestamp(),
                        observed.getMetadata().getName(),
                        observed.getMetadata().getResourceVersion()));
        return new Result(observed, patch, false);
    }

    /** Identical events: same source, object (with field path), type, reason and message. */
    static String eventKey(Event e) {
        ObjectReference o = e.getInvolvedObject();
        return join(
                source(e).getComponent(),
                source(e).getHost(),
                o.getKind(),
                o.getNamespace(),
                o.getName(),
                o.getFieldPath(),
                o.getUid(),
                o.getApiVersion(),
                e.getType(),
                e.getReason(),
                e.getMessage());
    }

    /** Similar events (EventAggregatorByReasonFunc): the same but for the message. */
    static String aggregateKey(Event e) {
        ObjectReference o = e.getInvolvedObject();
        return join(
                source(e).getComponent(),
                source(e).getHost(),
                o.getKind(),
                o.getNamespace(),
                o.getName(),
                o.getUid(),
                o.getApiVersion(),
                e.getType(),
                e.getReason(),
                e.getReportingComponent(),
                e.getReportingInstance());
    }

    /** One spam budget per source and object. */
    static String spamKey(Event e) {
        ObjectReference o = e.getInvolvedObject();
        return join(
                source(e).getComponent(),
                source(e).getHost(),
                o.getKind(),
                o.getNamespace(),
                o.getName(),
                o.getUid(),
                o.getApiVersion());
    }

    private static EventSource source(Event e) {
        return e.getSource() == null ? new EventSource() : e.getSource();
    }

    /** Upstream joins with no separator; a NUL keeps "ab"+"c" and "a"+"bc" apart. */
    private static String join(String... parts) {
        StringBuilder key = new StringBuilder();
        for (String part : parts) {
            key.append(part == null ? "" : part).append('\0');
        }
        return key.toString();
    }

    /** A bounded map that forgets the least recently used key (k8s.io/utils/lru). */
    private static final class Lru<V> extends LinkedHashMap<String, V> {
        private static final long serialVersionUID = 1L;

        Lru() {
            super(16, 0.75f, true);
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
            return size() > LRU_SIZE;
        }
    }

    /** flowcontrol's passive token bucket: starts full at the burst, refills at SPAM_QPS, never waits. */
    private static final class TokenBucket {
        private double tokens = SPAM_BURST;
        private Instant last;

        TokenBucket(Instant now) {
            this.last = now;
        }

        boolean tryAccept(Instant now) {
            if (now.isAfter(last)) {
                double seconds = Duration.between(last, now).toNanos() / 1e9;
                tokens = Math.min(SPAM_BURST, tokens + seconds * SPAM_QPS);
                last = now;
            }
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }
}
