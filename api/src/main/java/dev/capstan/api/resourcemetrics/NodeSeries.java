package dev.capstan.api.resourcemetrics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The last two samples of one node and of the containers of the pods on it, kept by metrics-server's storage rules
 * (pkg/storage node.go and pod.go): a new sample moves the stored one to "previous" only if it is newer and, for a
 * container, the container has not restarted since; a container that started within the last resolution (but at
 * least 10 s ago) gets its start as a zero-CPU previous sample, so a new pod shows up a scrape sooner. Not
 * thread-safe: {@link MetricsScraper} serialises access per node.
 */
final class NodeSeries {
    private static final Duration FRESH_CONTAINER_MIN = Duration.ofSeconds(10);

    private final Duration resolution;
    private MetricsPoint lastNode;
    private MetricsPoint prevNode;
    private Map<PodKey, Map<String, MetricsPoint>> lastPods = Map.of();
    private Map<PodKey, Map<String, MetricsPoint>> prevPods = Map.of();
    /** When the agent last answered, by the API server's clock; null before the first scrape. */
    private Instant scrapedAt;

    NodeSeries(Duration resolution) {
        this.resolution = resolution;
    }

    Instant scrapedAt() {
        return scrapedAt;
    }

    void store(ScrapeBatch batch, Instant now) {
        scrapedAt = now;
        storeNode(batch.node());
        Map<PodKey, Map<String, MetricsPoint>> newLast = new HashMap<>();
        Map<PodKey, Map<String, MetricsPoint>> newPrev = new HashMap<>();
        batch.pods().forEach((pod, containers) -> {
            Map<String, MetricsPoint> prev = new HashMap<>();
            Map<String, MetricsPoint> storedLast = lastPods.getOrDefault(pod, Map.of());
            Map<String, MetricsPoint> storedPrev = prevPods.getOrDefault(pod, Map.of());
            containers.forEach((name, point) -> {
                MetricsPoint last = storedLast.get(name);
                Duration age = point.startTime() == null
                        ? Duration.ZERO
                        : Duration.between(point.startTime(), point.timestamp());
                if (point.startTime() != null
                        && point.startTime().isBefore(point.timestamp())
                        && age.compareTo(resolution) < 0
                        && age.compareTo(FRESH_CONTAINER_MIN) >= 0) {
                    prev.put(name, new MetricsPoint(point.startTime(), point.startTime(), 0, point.memoryBytes()));
                } else if (last != null && startedBefore(point, last.timestamp())) {
                    if (point.timestamp().isAfter(last.timestamp())) {
                        prev.put(name, last);
                    } else if (storedPrev.containsKey(name)
                            && storedPrev.get(name).timestamp().isBefore(point.timestamp())) {
                        prev.put(name, storedPrev.get(name));
                    }
                }
            });
            newLast.put(pod, containers);
            if (!prev.isEmpty()) {
                newPrev.put(pod, prev);
            }
        });
        lastPods = newLast;
        prevPods = newPrev;
    }

    private static boolean startedBefore(MetricsPoint point, Instant instant) {
        return point.startTime() == null || point.startTime().isBefore(instant);
    }

    private void storeNode(MetricsPoint point) {
        if (point == null) {
            lastNode = null;
            prevNode = null;
            return;
        }
        MetricsPoint prev = null;
        if (lastNode != null) {
            if (point.timestamp().isAfter(lastNode.timestamp())) {
                prev = lastNode;
            } else if (prevNode != null && prevNode.timestamp().isBefore(point.timestamp())) {
                prev = prevNode;
            }
        }
        lastNode = point;
        prevNode = prev;
    }

    /** Forgets everything: the agent did not answer, so nothing it said before is current. */
    void clear(Instant now) {
        scrapedAt = now;
        lastNode = null;
        prevNode = null;
        lastPods = Map.of();
        prevPods = Map.of();
    }

    /** Whether the node or a pod has a last sample without a previous one: one more scrape would give a rate. */
    boolean lacksPrevious() {
        if (lastNode != null && prevNode == null) {
            return true;
        }
        for (var pod : lastPods.entrySet()) {
            var prev = prevPods.getOrDefault(pod.getKey(), Map.of());
            if (!prev.keySet().containsAll(pod.getValue().keySet())) {
                return true;
            }
        }
        return false;
    }

    Optional<Usage> node() {
        return lastNode == null || prevNode == null ? Optional.empty() : Usage.between(lastNode, prevNode);
    }

    /**
     * The pod's containers' usage, by name, with the earliest of their timestamps and its window (metrics-server's
     * choice); absent unless every container has two samples.
     */
    Optional<PodUsage> pod(PodKey pod) {
        Map<String, MetricsPoint> last = lastPods.get(pod);
        Map<String, MetricsPoint> prev = prevPods.get(pod);
        if (last == null || prev == null) {
            return Optional.empty();
        }
        List<PodUsage.Container> containers = new ArrayList<>();
        Usage earliest = null;
        for (var entry : last.entrySet()) {
            MetricsPoint before = prev.get(entry.getKey());
            if (before == null) {
                return Optional.empty();
            }
            Optional<Usage> usage = Usage.between(entry.getValue(), before);
            if (usage.isEmpty()) {
                continue;
            }
            containers.add(new PodUsage.Container(entry.getKey(), usage.get()));
            if (earliest == null || earliest.timestamp().isAfter(usage.get().timestamp())) {
                earliest = usage.get();
            }
        }
        if (earliest == null) {
            return Optional.empty();
        }
        containers.sort(Comparator.comparing(PodUsage.Container::name));
        return Optional.of(new PodUsage(earliest.timestamp(), earliest.window(), containers));
    }

    /** The pods this node reported last. */
    java.util.Set<PodKey> pods() {
        return lastPods.keySet();
    }
}
