package dev.capstan.controllers.app;

import dev.capstan.client.component.InProcessRestarter;
import dev.capstan.client.component.QuietHeapCollector;
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
 * are synced, leading or standing by. A lost leadership exits with status 1, as kube-controller-manager does; sharing
 * its JVM with other components ({@code leader-election.restart-in-process}), it starts a fresh instance instead.
 */
@ApplicationScoped
@Readiness
public class ControllerManagerLifecycle implements HealthCheck {
    private final ControllerManagerConfig config;
    private final MeterRegistry metrics;
    private final InProcessRestarter restarter;
    private volatile ControllerManager manager;

    ControllerManagerLifecycle(ControllerManagerConfig config, MeterRegistry metrics) {
        this.config = config;
        this.metrics = metrics;
        this.restarter = new InProcessRestarter(
                "controller manager",
                this::launch,
                config.leaderElection().restartInProcess(),
                () -> Quarkus.asyncExit(1));
    }

    void start(@Observes StartupEvent event) {
        QuietHeapCollector.startOnce();
        restarter.start();
    }

    private ControllerManager launch() {
        ControllerManager next =
                new ControllerManager(config, Controllers.all(config), metrics, restarter::lostLeadership);
        manager = next;
        next.start();
        return next;
    }

    void stop(@Observes ShutdownEvent event) {
        restarter.stop();
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
