package dev.capstan.scheduler.app;

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
 * Starts the scheduler with the app and stops it (releasing its Lease) on shutdown. Ready when its caches are
 * synced, leading or standing by. A lost leadership exits with status 1, as kube-scheduler does, so that a
 * supervisor restarts it as a candidate with a fresh state.
 */
@ApplicationScoped
@Readiness
public class SchedulerLifecycle implements HealthCheck {
    private final SchedulerConfig config;
    private final MeterRegistry metrics;
    private volatile SchedulerApp app;

    SchedulerLifecycle(SchedulerConfig config, MeterRegistry metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent event) {
        app = new SchedulerApp(config, metrics, () -> Quarkus.asyncExit(1));
        app.start();
    }

    void stop(@Observes ShutdownEvent event) {
        if (app != null) {
            app.close();
        }
    }

    @Override
    public HealthCheckResponse call() {
        SchedulerApp current = app;
        boolean ready = current != null && current.runtime().isReady();
        return HealthCheckResponse.named("scheduler")
                .status(ready)
                .withData(
                        "state",
                        current == null ? "starting" : current.runtime().state())
                .build();
    }
}
