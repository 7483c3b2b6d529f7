package dev.capstan.client.events;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Keeps events in memory for unit tests of loops that record them (client-go's record.FakeRecorder): assert on
 * {@link #strings()} ("Normal SuccessfulCreate Created pod: web-1", upstream's format) or on {@link #events()}.
 * Thread-safe; nothing is correlated or dropped.
 */
public final class FakeEventRecorder implements EventRecorder {
    /** One recorded event and the object it is about. */
    public record Recorded(String type, String reason, String message, String kind, String namespace, String name) {
        /** "type reason message", as upstream's FakeRecorder writes to its channel. */
        @Override
        public String toString() {
            return type + " " + reason + " " + message;
        }
    }

    private final List<Recorded> events = new CopyOnWriteArrayList<>();

    @Override
    public void event(HasMetadata regarding, String type, String reason, String message) {
        var meta = regarding == null ? null : regarding.getMetadata();
        events.add(new Recorded(
                type,
                reason,
                message,
                regarding == null ? "" : regarding.getKind(),
                meta == null || meta.getNamespace() == null ? "" : meta.getNamespace(),
                meta == null || meta.getName() == null ? "" : meta.getName()));
    }

    /** Everything recorded so far, in order. */
    public List<Recorded> events() {
        return List.copyOf(events);
    }

    /** Everything recorded so far as "type reason message". */
    public List<String> strings() {
        return events.stream().map(Recorded::toString).toList();
    }

    /** The events about one object. */
    public List<Recorded> about(HasMetadata object) {
        String namespace = object.getMetadata().getNamespace() == null
                ? ""
                : object.getMetadata().getNamespace();
        return events.stream()
                .filter(e -> e.kind().equals(object.getKind())
                        && e.namespace().equals(namespace)
                        && e.name().equals(object.getMetadata().getName()))
                .toList();
    }

    public void clear() {
        events.clear();
    }
}
