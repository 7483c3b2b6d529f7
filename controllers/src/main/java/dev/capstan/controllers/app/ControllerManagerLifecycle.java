package dev.capstan.controllers.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Starts the controller manager with the app and stops it (releasing its Lease) on shutdown. Ready when its caches
 * are synced, leading or standing by. A lost leadership exits with status 1, as kube-controller-manager does.
 */
@ApplicationScoped
@Readiness
public class ControllerManagerLifecycle implements HealthCheck {
    private final ControllerManagerConfig config;
    private final MeterRegistry metrics;
    private volatile ControllerManager manager;

    ControllerManagerLifecycle(ControllerManagerConfig config, MeterRegistry metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent event) {
        manager = new ControllerManager(config, Controllers.all(config), metrics, () -> Quarkus.asyncExit(1));
        manager.start();
    }

    void stop(@Observes ShutdownEvent event) {
        if (manager != null) {
            manager.close();
        }
    }

    @Override
    public HealthCheckResponse call() {
        ControllerManager current = manager;
        boolean ready = current != null && current.runtime().isReady();
        return HealthCheckResponse.named("controller-manager")
                .status(ready)
                .withData(
                        "state",
                        current == null ? "starting" : current.runtime().state())
                .build();
    }
}
