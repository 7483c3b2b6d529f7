package dev.capstan.api.resourcemetrics;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.ApiException;
import dev.capstan.api.Json;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.resources.ListOptions;
import dev.capstan.api.resources.Lister;
import dev.capstan.model.fields.FieldSelector;
import dev.capstan.model.labels.LabelSelector;
import dev.capstan.model.labels.SelectorParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The reads of metrics.k8s.io/v1beta1, as metrics-server answers them (pkg/api node.go, pod.go): the Nodes and Pods
 * that pass the selectors (from the watch cache), each with its usage from {@link MetricsScraper} when two samples
 * are held, else left out of a list; ordered by name (pods by namespace, then name). A get of an unknown object is
 * the object's own 404 ({@code nodes "x" not found}); of one without metrics, the metrics kind's 404
 * ({@code nodemetrics.metrics.k8s.io "x" not found}, {@code podmetrics.metrics.k8s.io "ns/x" not found}).
 * Field selectors may name only {@code metadata.name} (and {@code metadata.namespace} for pods), as upstream's
 * default field label conversion allows.
 */
public final class MetricsApi {
    private final Lister lister;
    private final ResourceType nodes;
    private final ResourceType pods;
    private final MetricsScraper scraper;
    private final Clock clock;

    public MetricsApi(Lister lister, ResourceType nodes, ResourceType pods, MetricsScraper scraper, Clock clock) {
        this.lister = lister;
        this.nodes = nodes;
        this.pods = pods;
        this.scraper = scraper;
        this.clock = clock;
    }

    /** The selectors of a list; a malformed one, or a field other than the object's name (and namespace), is a 400. */
    public static Selectors selectors(String labelSelector, String fieldSelector, boolean namespaced) {
        try {
            var labels = LabelSelector.parse(labelSelector == null ? "" : labelSelector);
            var fields = FieldSelector.parse(fieldSelector == null ? "" : fieldSelector);
            for (FieldSelector.Requirement term : fields.requirements()) {
                if (!term.field().equals("metadata.name")
                        && !(namespaced && term.field().equals("metadata.namespace"))) {
                    throw ApiException.badRequest("field label not supported: " + term.field());
                }
            }
            return new Selectors(labels, fields);
        } catch (SelectorParseException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    public record Selectors(LabelSelector labels, FieldSelector fields) {
        public static final Selectors EVERYTHING = new Selectors(LabelSelector.EVERYTHING, FieldSelector.EVERYTHING);
    }

    public ObjectNode listNodes(Selectors selectors) throws InterruptedException {
        List<ObjectNode> matching = list(nodes, null, selectors);
        scraper.refresh(matching.stream().map(MetricsApi::name).toList());
        Instant now = clock.instant();
        List<ObjectNode> items = new ArrayList<>();
        for (ObjectNode node : matching) {
            scraper.node(name(node)).ifPresent(usage -> items.add(MetricsJson.nodeMetrics(node, usage, now)));
        }
        return MetricsJson.list("NodeMetricsList", items);
    }

    public ObjectNode getNode(String name) throws InterruptedException {
        ObjectNode node = one(nodes, null, name).orElseThrow(() -> ApiException.notFound(nodes, name));
        scraper.refresh(List.of(name));
        Usage usage = scraper.node(name).orElseThrow(() -> noMetrics("nodemetrics", name));
        return MetricsJson.single("NodeMetrics", MetricsJson.nodeMetrics(node, usage, clock.instant()));
    }

    /** @param namespace null for every namespace */
    public ObjectNode listPods(String namespace, Selectors selectors) throws InterruptedException {
        List<ObjectNode> matching = list(pods, namespace, selectors);
        Set<String> onNodes = new LinkedHashSet<>();
        for (ObjectNode pod : matching) {
            nodeName(pod).ifPresent(onNodes::add);
        }
        scraper.refresh(onNodes);
        Instant now = clock.instant();
        List<ObjectNode> items = new ArrayList<>();
        matching.sort(Comparator.comparing(MetricsApi::key));
        for (ObjectNode pod : matching) {
            nodeName(pod)
                    .flatMap(node -> scraper.pod(node, key(pod)))
                    .ifPresent(usage -> items.add(MetricsJson.podMetrics(pod, usage, now)));
        }
        return MetricsJson.list("PodMetricsList", items);
    }

    public ObjectNode getPod(String namespace, String name) throws InterruptedException {
        ObjectNode pod = one(pods, namespace, name).orElseThrow(() -> ApiException.notFound(pods, name));
        var key = new PodKey(namespace, name);
        Optional<String> node = nodeName(pod);
        if (node.isPresent()) {
            scraper.refresh(List.of(node.get()));
        }
        PodUsage usage = node.flatMap(n -> scraper.pod(n, key))
                .orElseThrow(() -> noMetrics("podmetrics", namespace + "/" + name));
        return MetricsJson.single("PodMetrics", MetricsJson.podMetrics(pod, usage, clock.instant()));
    }

    private List<ObjectNode> list(ResourceType type, String namespace, Selectors selectors) {
        var options = new ListOptions(type, selectors.labels(), FieldSelector.EVERYTHING, 0, "", "0", "");
        List<ObjectNode> matching = new ArrayList<>();
        for (ObjectNode object : lister.list(type, namespace, options).items()) {
            var meta = object.path("metadata");
            boolean fieldsMatch = selectors.fields().matches(field -> switch (field) {
                case "metadata.name" -> meta.path("name").asText();
                case "metadata.namespace" -> meta.path("namespace").asText();
                default -> null;
            });
            if (fieldsMatch) {
                matching.add(object);
            }
        }
        return matching;
    }

    private Optional<ObjectNode> one(ResourceType type, String namespace, String name) {
        var options = new ListOptions(
                type, LabelSelector.EVERYTHING, FieldSelector.equal("metadata.name", name), 0, "", "0", "");
        return lister.list(type, namespace, options).items().stream().findFirst();
    }

    private static ApiException noMetrics(String resource, String name) {
        ObjectNode details =
                Json.object().put("name", name).put("group", MetricsJson.GROUP).put("kind", resource);
        return new ApiException(
                404, "NotFound", resource + "." + MetricsJson.GROUP + " \"" + name + "\" not found", details);
    }

    private static String name(ObjectNode object) {
        return object.path("metadata").path("name").asText();
    }

    private static PodKey key(ObjectNode pod) {
        return new PodKey(pod.path("metadata").path("namespace").asText(), name(pod));
    }

    private static Optional<String> nodeName(ObjectNode pod) {
        String node = pod.path("spec").path("nodeName").asText("");
        return node.isEmpty() ? Optional.empty() : Optional.of(node);
    }
}
