package dev.capstan.api.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.ApiException;
import dev.capstan.api.Json;
import dev.capstan.api.handlers.RequestPipeline;
import dev.capstan.api.request.RequestInfo;
import dev.capstan.api.request.UserInfo;
import dev.capstan.api.request.Verb;
import dev.capstan.api.request.WriteOptions;
import dev.capstan.api.resourcemetrics.MetricsApi;
import dev.capstan.api.resourcemetrics.MetricsJson;
import dev.capstan.api.resourcemetrics.MetricsTable;
import java.util.List;

/**
 * The URLs of metrics.k8s.io/v1beta1: {@code nodes[/NAME]}, {@code pods} and {@code namespaces/NS/pods[/NAME]},
 * GET only, authorized through the pipeline as resource requests of that group; everything else under the group is
 * a 404 (a method other than GET, 405). Answers are JSON (kubectl top), or a Table when asked (kubectl get
 * nodemetrics).
 */
final class MetricsEndpoints {
    static final ServedGroup GROUP = new ServedGroup(
            MetricsJson.GROUP,
            MetricsJson.VERSION,
            List.of(
                    new ServedGroup.Resource("nodes", "", "NodeMetrics", false, List.of("get", "list")),
                    new ServedGroup.Resource("pods", "", "PodMetrics", true, List.of("get", "list"))));

    private final RequestPipeline pipeline;
    private final MetricsApi api;

    MetricsEndpoints(RequestPipeline pipeline, MetricsApi api) {
        this.pipeline = pipeline;
        this.api = api;
    }

    static boolean serves(ResourcePath path) {
        return path.group().equals(GROUP.group()) && path.version().equals(GROUP.version());
    }

    void handle(Exchange ex, UserInfo user, ResourcePath path) throws InterruptedException {
        boolean nodes = path.plural().equals("nodes") && path.namespace() == null;
        boolean pods = path.plural().equals("pods");
        if ((!nodes && !pods)
                || path.subresource() != null
                || (pods && path.name() != null && path.namespace() == null)) {
            throw ResourceEndpoints.notFound();
        }
        Verb verb = path.name() == null ? Verb.LIST : Verb.GET;
        pipeline.authorize(
                user,
                RequestInfo.resource(
                        ex.request().path(),
                        verb,
                        GROUP.group(),
                        GROUP.version(),
                        path.plural(),
                        "",
                        path.namespace(),
                        path.name()),
                WriteOptions.DEFAULT);
        // metrics-server serves get and list only: no writes, no watch
        if ((!ex.method().equals("GET") && !ex.method().equals("HEAD")) || ex.flag("watch")) {
            throw ApiException.methodNotAllowed();
        }
        ObjectNode answer;
        if (path.name() != null) {
            answer = nodes ? api.getNode(path.name()) : api.getPod(path.namespace(), path.name());
        } else {
            var selectors = MetricsApi.selectors(ex.param("labelSelector"), ex.param("fieldSelector"), pods);
            answer = nodes ? api.listNodes(selectors) : api.listPods(path.namespace(), selectors);
        }
        if (Tables.wanted(ex.header("Accept"))) {
            ex.send(200, Tables.CONTENT_TYPE, Json.bytes(MetricsTable.of(answer)));
        } else {
            ex.json(200, answer);
        }
    }
}
