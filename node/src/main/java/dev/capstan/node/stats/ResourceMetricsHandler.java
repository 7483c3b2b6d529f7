package dev.capstan.node.stats;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /metrics/resource}: a fresh {@link ResourceSnapshot} per request (no cache: the API server scrapes at
 * its own pace), gathered on a virtual thread because CRI calls block.
 */
public final class ResourceMetricsHandler implements Handler<RoutingContext> {
    public static final String PATH = "/metrics/resource";

    private final ResourceStatsCollector collector;

    public ResourceMetricsHandler(ResourceStatsCollector collector) {
        this.collector = collector;
    }

    @Override
    public void handle(RoutingContext ctx) {
        var response = ctx.response();
        Thread.ofVirtual().name("metrics-resource").start(() -> {
            String body;
            try {
                body = ResourceMetricsText.render(collector.collect());
            } catch (RuntimeException e) {
                response.setStatusCode(500).end("cannot gather resource metrics: " + e.getMessage());
                return;
            }
            response.putHeader("Content-Type", ResourceMetricsText.CONTENT_TYPE).end(body);
        });
    }
}
