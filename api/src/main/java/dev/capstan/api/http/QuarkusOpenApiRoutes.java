package dev.capstan.api.http;

import dev.capstan.api.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The OpenAPI v3 index and group-version documents also on Quarkus's own port, at {@code /q/openapi} and
 * {@code /q/openapi/api/v1}, {@code /q/openapi/apis/GROUP/VERSION}, where Quarkus tooling looks for them.
 */
@ApplicationScoped
public class QuarkusOpenApiRoutes {
    private final ApiServer server;

    QuarkusOpenApiRoutes(ApiServer server) {
        this.server = server;
    }

    void routes(@Observes Router router) {
        router.get("/q/openapi").handler(ctx -> answer(ctx, ""));
        router.get("/q/openapi/*").handler(ctx -> answer(ctx, ctx.pathParam("*")));
    }

    private void answer(RoutingContext ctx, String groupVersionPath) {
        ApiServer.Components components = server.components();
        byte[] body = components == null
                ? null
                : groupVersionPath.isEmpty()
                        ? Json.bytes(components.openApi().index())
                        : components.openApi().documentBytes(groupVersionPath);
        if (body == null) {
            ctx.response().setStatusCode(components == null ? 503 : 404).end();
            return;
        }
        ctx.response().putHeader("Content-Type", "application/json").end(Buffer.buffer(body));
    }
}
