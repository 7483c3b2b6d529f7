package dev.capstan.api.http;

import dev.capstan.api.ApiException;
import dev.capstan.api.Json;
import dev.capstan.api.auth.Credentials;
import dev.capstan.api.request.RequestInfo;
import dev.capstan.api.request.UserInfo;
import dev.capstan.api.request.WriteOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Quarkus's own port (quarkus.http.port, loopback only) answers anyone on the machine. Its health checks stay open,
 * as load balancers and supervisors probe them without credentials (like /livez and /readyz on the API port);
 * everything else there, metrics and the OpenAPI documents among it, asks for the same bearer token and
 * authorization as the API's {@code /metrics} and {@code /openapi/v3}.
 */
@ApplicationScoped
public class ManagementAccess {
    private static final String HEALTH = "/q/health";
    private final ApiServer server;

    ManagementAccess(ApiServer server) {
        this.server = server;
    }

    void routes(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::check);
    }

    private void check(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (path.equals(HEALTH) || path.startsWith(HEALTH + "/")) {
            ctx.next();
            return;
        }
        ApiServer.Components components = server.components();
        if (components == null) {
            answer(ctx, ApiException.unavailable("the API server is starting"));
            return;
        }
        try {
            // Token authentication and the authorizer are in-memory checks, cheap enough for the event loop.
            UserInfo user = components
                    .pipeline()
                    .authenticate(
                            Credentials.fromAuthorizationHeader(ctx.request().getHeader("Authorization")));
            components
                    .pipeline()
                    .authorize(
                            user,
                            RequestInfo.nonResource(path, ctx.request().method().name()),
                            WriteOptions.DEFAULT);
        } catch (ApiException e) {
            answer(ctx, e);
            return;
        }
        ctx.next();
    }

    private static void answer(RoutingContext ctx, ApiException e) {
        ctx.response()
                .setStatusCode(e.code())
                .putHeader("Content-Type", "application/json")
                .end(Buffer.buffer(Json.bytes(e.status())));
    }
}
