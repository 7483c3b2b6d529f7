package dev.capstan.client.events;

import dev.capstan.client.ApiClient;
import dev.capstan.client.ApiError;
import dev.capstan.client.Kinds;
import dev.capstan.client.PatchType;
import dev.capstan.client.ResourceClient;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Writes core/v1 Events, as client-go's record.EventBroadcaster with StartRecordingToSink does, so that
 * {@code kubectl describe} shows them.
 *
 * <p>{@link #event} only builds the Event and offers it to a queue of {@link #QUEUE_LENGTH} (upstream's channel);
 * when the queue is full the event is dropped and counted ({@link #dropped()}). One virtual thread drains the queue:
 * it passes each event through the {@link EventCorrelator} (repeats become patches of count and lastTimestamp,
 * floods of similar messages one combined Event, a per-object spam budget) and writes it, falling back from a patch
 * to a create when the Event was deleted, and retrying a transient failure up to {@link #MAX_TRIES} times, 10 s
 * apart as upstream. Neither a full queue nor a failing API ever reaches the caller.
 */
public final class ApiEventRecorder implements EventRecorder, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ApiEventRecorder.class);

    public static final int QUEUE_LENGTH = 1000;
    static final int MAX_TRIES = 12;
    static final Duration RETRY_SLEEP = Duration.ofSeconds(10);
    /** How long close() lets the writer drain what is queued. */
    private static final Duration DRAIN = Duration.ofSeconds(5);

    private final ResourceClient<Event> events;
    private final String component;
    private final String host;
    private final Clock clock;
    private final Duration retrySleep;
    private final EventCorrelator correlator;
    private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(QUEUE_LENGTH);
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong enqueued = new AtomicLong();
    private final Object progress = new Object();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Thread writer;
    private long processed; // guarded by progress
    private volatile boolean closed;

    /**
     * @param component the source component, such as {@code default-scheduler} or {@code deployment-controller}; also
     *     the reportingComponent
     * @param host the source host ("" for the control plane's controllers, the node name for a node agent); also the
     *     reportingInstance
     */
    public ApiEventRecorder(ApiClient api, String component, String host, Clock clock) {
        this(api, component, host, clock, RETRY_SLEEP);
    }

    ApiEventRecorder(ApiClient api, String component, String host, Clock clock, Duration retrySleep) {
        this.events = api.resources(Kinds.EVENTS);
        this.component = component;
        this.host = host == null ? "" : host;
        this.clock = clock;
        this.retrySleep = retrySleep;
        this.correlator = new EventCorrelator(clock);
        this.writer = Thread.ofVirtual().name("event-recorder-" + component).start(this::drain);
    }

    @Override
    public void event(HasMetadata regarding, String type, String reason, String message) {
        try {
            if (!NORMAL.equals(type) && !WARNING.equals(type)) {
                LOG.errorf("Unsupported event type: '%s'", type);
                return;
            }
            if (regarding == null || regarding.getMetadata() == null) {
                LOG.errorf(
                        "Could not construct reference to an object without metadata for event %s: %s",
                        reason, message);
                return;
            }
            if (closed) {
                LOG.debugf("event recorder closed, dropped event %s: %s", reason, message);
                return;
            }
            Event event = makeEvent(regarding, type, reason, message);
            if (queue.offer(event)) {
                enqueued.incrementAndGet();
            } else {
                long n = dropped.incrementAndGet();
                if (n == 1 || n % 100 == 0) {
                    LOG.warnf(
                            "unable to record event: too many queued events (%d), dropped event %s %s: %s "
                                    + "(%d dropped so far)",
                            QUEUE_LENGTH, reason, ref(event), message, n);
                }
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "unable to record event %s: %s", reason, message);
        }
    }

    /** Events dropped because the queue was full. */
    public long dropped() {
        return dropped.get();
    }

    /** Waits until every event queued before this call has been written, skipped or given up; false on timeout. */
    public boolean flush(Duration timeout) {
        long target = enqueued.get();
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (processed < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(progress, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /** Stops taking events, lets the writer drain the queue for a few seconds (no more retries), then stops it. */
    @Override
    public void close() {
        closed = true;
        closing.countDown();
        try {
            if (!writer.join(DRAIN)) {
                writer.interrupt();
                writer.join(DRAIN);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** client-go's makeEvent: named after the object and the time in hex nanoseconds, in the object's namespace. */
    private Event makeEvent(HasMetadata regarding, String type, String reason, String message) {
        Instant now = clock.instant();
        ObjectMeta meta = regarding.getMetadata();
        String namespace =
                meta.getNamespace() == null || meta.getNamespace().isEmpty() ? "default" : meta.getNamespace();
        String timestamp = timestamp(now);
        ObjectReference involved = new ObjectReferenceBuilder()
                .withKind(regarding.getKind())
                .withApiVersion(regarding.getApiVersion())
                .withNamespace(emptyToNull(meta.getNamespace()))
                .withName(meta.getName())
                .withUid(emptyToNull(meta.getUid()))
                .withResourceVersion(emptyToNull(meta.getResourceVersion()))
                .build();
        return new EventBuilder()
                .withNewMetadata()
                .withName(eventName(meta.getName(), now))
                .withNamespace(namespace)
                .endMetadata()
                .withInvolvedObject(involved)
                .withReason(reason)
                .withMessage(message)
                .withFirstTimestamp(timestamp)
                .withLastTimestamp(timestamp)
                .withCount(1)
                .withType(type)
                .withNewSource()
                .withComponent(component)
                .withHost(emptyToNull(host))
                .endSource()
                .withReportingComponent(component)
                .withReportingInstance(emptyToNull(host))
                .build();
    }

    static String eventName(String objectName, Instant now) {
        long nanos = Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
        return objectName + "." + Long.toHexString(nanos);
    }

    /** metav1.Time: RFC 3339 in whole seconds, UTC. */
    static String timestamp(Instant time) {
        return DateTimeFormatter.ISO_INSTANT.format(time.truncatedTo(ChronoUnit.SECONDS));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static String ref(Event e) {
        ObjectReference o = e.getInvolvedObject();
        return o.getKind() + " " + (o.getNamespace() == null ? "" : o.getNamespace() + "/") + o.getName();
    }

    private void drain() {
        while (!(closed && queue.isEmpty())) {
            Event event;
            try {
                event = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (event == null) {
                continue;
            }
            try {
                record(event);
            } catch (RuntimeException e) {
                LOG.errorf(e, "unable to write event %s", event.getMetadata().getName());
            } finally {
                synchronized (progress) {
                    processed++;
                    progress.notifyAll();
                }
            }
        }
    }

    /** client-go's recordToSink: correlate, then write with retries; a skipped event is not written at all. */
    private void record(Event event) {
        EventCorrelator.Result result = correlator.correlate(event);
        if (result.skip()) {
            return;
        }
        for (int tries = 1; !write(result.event(), result.patch()); tries++) {
            if (tries >= MAX_TRIES) {
                LOG.errorf("Unable to write event %s (retry limit exceeded!)", ref(event));
                return;
            }
            Duration delay = tries == 1
                    ? Duration.ofNanos((long)
                            (retrySleep.toNanos() * ThreadLocalRandom.current().nextDouble()))
                    : retrySleep;
            try {
                if (closing.await(delay.toNanos(), TimeUnit.NANOSECONDS)) {
                    LOG.errorf("Unable to write event %s (the recorder is closed)", ref(event));
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * client-go's recordEvent: patch a repeat (create it again if it was deleted), create a new one; answers whether
     * the event is done with (written, or refused for good) rather than worth another try.
     */
    private boolean write(Event event, String patch) {
        try {
            Event written = null;
            boolean repeat = event.getCount() != null && event.getCount() > 1 && patch != null;
            if (repeat) {
                try {
                    written = events.patch(
                            event.getMetadata().getNamespace(),
                            event.getMetadata().getName(),
                            PatchType.MERGE,
                            patch);
                } catch (ApiError e) {
                    if (!e.isNotFound()) {
                        throw e;
                    }
                }
            }
            if (written == null) {
                Event fresh = new EventBuilder(event).build();
                fresh.getMetadata().setResourceVersion(null);
                written = events.create(fresh);
            }
            correlator.updateState(written);
            return true;
        } catch (ApiError e) {
            if (e.isTransient()) {
                LOG.errorf("Unable to write event %s: %s (may retry after sleeping)", ref(event), e.getMessage());
                return false;
            }
            if (e.isAlreadyExists() || String.valueOf(e.getMessage()).contains("is being terminated")) {
                LOG.debugf("Server rejected event %s: %s (will not retry!)", ref(event), e.getMessage());
            } else {
                LOG.errorf("Server rejected event %s: %s (will not retry!)", ref(event), e.getMessage());
            }
            return true;
        } catch (RuntimeException e) {
            LOG.errorf(e, "Unable to write event %s (may retry after sleeping)", ref(event));
            return false;
        }
    }
}
