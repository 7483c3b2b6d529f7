package dev.capstan.api.health;

import dev.capstan.api.http.ApiServer;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the Kubernetes API listens and the database answers. */
@Readiness
@ApplicationScoped
public class ApiReadiness implements HealthCheck {
    private final ApiServer server;

    ApiReadiness(ApiServer server) {
        this.server = server;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("kubernetes-api")
                .status(server.isReady())
                .build();
    }
}
