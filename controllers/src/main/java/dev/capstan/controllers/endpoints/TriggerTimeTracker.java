package dev.capstan.controllers.endpoints;

import dev.capstan.model.meta.ObjectKey;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upstream's TriggerTimeTracker: the value of {@code endpoints.kubernetes.io/last-change-trigger-time}, the earliest
 * trigger (a pod's Ready transition, the Service's creation) that changed since the previous sync of the Service, or
 * the Service's creation for a Service seen for the first time. Safe for concurrent calls on different keys; the work
 * queue never syncs one key twice at once.
 */
public final class TriggerTimeTracker {
    private record State(Map<String, Instant> podTriggers, Instant serviceTrigger) {}

    private static final java.time.format.DateTimeFormatter SECONDS = java.time.format.DateTimeFormatter.ofPattern(
                    "uuuu-MM-dd'T'HH:mm:ss")
            .withZone(java.time.ZoneOffset.UTC);

    private final Map<ObjectKey, State> states = new ConcurrentHashMap<>();

    /** The trigger time to export, or null to clear the annotation. */
    public Instant compute(Service service, List<Pod> pods) {
        ObjectKey key = ObjectKey.of(service);
        State previous = states.get(key);
        Map<String, Instant> lastPods = previous == null ? Map.of() : previous.podTriggers();
        Instant minChanged = null;
        Map<String, Instant> podTriggers = new HashMap<>();
        for (Pod pod : pods) {
            Instant t = parse(PodEndpoints.readyTransitionTime(pod));
            if (t != null) {
                podTriggers.put(pod.getMetadata().getName(), t);
                Instant last = lastPods.get(pod.getMetadata().getName());
                if (last == null || t.isAfter(last)) {
                    minChanged = min(minChanged, t);
                }
            }
        }
        Instant serviceTrigger = parse(service.getMetadata().getCreationTimestamp());
        Instant lastService = previous == null ? null : previous.serviceTrigger();
        if (serviceTrigger != null && (lastService == null || serviceTrigger.isAfter(lastService))) {
            minChanged = min(minChanged, serviceTrigger);
        }
        states.put(key, new State(podTriggers, serviceTrigger));
        return previous == null ? serviceTrigger : minChanged;
    }

    /** Go's RFC3339Nano in UTC: fractional seconds with trailing zeros trimmed, none when whole. */
    public static String format(Instant t) {
        String base = SECONDS.format(t);
        if (t.getNano() == 0) {
            return base + "Z";
        }
        String nanos = String.format("%09d", t.getNano()).replaceAll("0+$", "");
        return base + "." + nanos + "Z";
    }

    public void deleteService(ObjectKey key) {
        states.remove(key);
    }

    private static Instant min(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }

    private static Instant parse(String timestamp) {
        if (timestamp == null || timestamp.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(timestamp);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}
