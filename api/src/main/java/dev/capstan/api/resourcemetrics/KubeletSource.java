package dev.capstan.api.resourcemetrics;

import dev.capstan.api.kubelet.KubeletClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Reads {@code GET /metrics/resource} from a node's agent through {@link KubeletClient}, within a deadline. */
public final class KubeletSource implements MetricsScraper.Source {
    /** The node agent's resource metrics path, as metrics-server's default. */
    public static final String PATH = "/metrics/resource";

    private final KubeletClient kubelets;
    private final Duration timeout;

    public KubeletSource(KubeletClient kubelets, Duration timeout) {
        this.kubelets = kubelets;
        this.timeout = timeout;
    }

    @Override
    public String scrape(String nodeName) throws Exception {
        KubeletClient.Endpoint endpoint = kubelets.endpoint(nodeName);
        var request = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost(endpoint.host())
                .setPort(endpoint.port())
                .setURI(PATH)
                .setHeaders(kubelets.headers())
                .setIdleTimeout(timeout.toMillis());
        // The body's handler is set as the headers arrive, on the event loop: one added later, from this thread, can
        // come after a short answer has ended.
        var answer = kubelets.http()
                .request(request)
                .compose(sent -> {
                    var read = sent.response()
                            .compose(response -> response.body().map(body -> new Answer(response, body.toString())));
                    sent.end();
                    return read;
                })
                .toCompletionStage()
                .toCompletableFuture()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (answer.response().statusCode() != 200) {
            throw new IOException("the agent of node " + nodeName + " at " + endpoint + " answered "
                    + answer.response().statusCode() + ": " + answer.body().strip());
        }
        return answer.body();
    }

    private record Answer(HttpClientResponse response, String body) {}
}
