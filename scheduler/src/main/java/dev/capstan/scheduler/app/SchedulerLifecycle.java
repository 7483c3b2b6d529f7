package dev.capstan.scheduler.app;

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
 * Starts the scheduler with the app and stops it (releasing its Lease) on shutdown. Ready when its caches are
 * synced, leading or standing by. A lost leadership exits with status 1, as kube-scheduler does, so that a
 * supervisor restarts it as a candidate with a fresh state; sharing its JVM with other components
 * ({@code leader-election.restart-in-process}), it starts a fresh instance itself instead.
 */
@ApplicationScoped
@Readiness
public class SchedulerLifecycle implements HealthCheck {
    private final SchedulerConfig config;
    private final MeterRegistry metrics;
    private final InProcessRestarter restarter;
    private volatile SchedulerApp app;

    SchedulerLifecycle(SchedulerConfig config, MeterRegistry metrics) {
        this.config = config;
        this.metrics = metrics;
        this.restarter = new InProcessRestarter(
                "scheduler", this::launch, config.leaderElection().restartInProcess(), () -> Quarkus.asyncExit(1));
    }

    void start(@Observes StartupEvent event) {
        QuietHeapCollector.startOnce();
        restarter.start();
    }

    private SchedulerApp launch() {
        SchedulerApp next = new SchedulerApp(config, metrics, restarter::lostLeadership);
        app = next;
        next.start();
        return next;
    }

    void stop(@Observes ShutdownEvent event) {
        restarter.stop();
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
