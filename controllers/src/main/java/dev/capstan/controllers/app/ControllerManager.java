package dev.capstan.controllers.app;

import dev.capstan.client.ApiClient;
import dev.capstan.client.ApiConnection;
import dev.capstan.client.GrpcApiClient;
import dev.capstan.client.component.ComponentRuntime;
import dev.capstan.client.events.ApiEventRecorder;
import dev.capstan.client.informer.InformerFactory;
import dev.capstan.client.leader.LeaderElectionConfig;
import dev.capstan.client.workqueue.RateLimiter;
import dev.capstan.client.workqueue.ReconcileLoop;
import dev.capstan.client.workqueue.WorkQueue;
import dev.capstan.controllers.ControllerContext;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The controller manager process without its framework: one connection and one set of shared informers for every
 * enabled controller, each with its own work queue, workers and event source, all running only while this replica
 * leads.
 */
public final class ControllerManager implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ControllerManager.class);

    private final ApiConnection connection;
    private final List<ApiEventRecorder> recorders = new ArrayList<>();
    private final ComponentRuntime runtime;

    public ControllerManager(
            ControllerManagerConfig config, List<ControllerSpec<?>> all, MeterRegistry metrics, Runnable onLost) {
        Clock clock = Clock.systemUTC();
        this.connection = ApiConnection.connect(config.api(), Path.of(config.tokenFile()));
        ApiClient api = new GrpcApiClient(connection, "capstan-controller-manager");
        InformerFactory informers = new InformerFactory(api, config.resyncPeriod());
        List<ReconcileLoop<?>> loops = new ArrayList<>();
        for (ControllerSpec<?> spec : Controllers.enabled(all, config.enabled())) {
            ApiEventRecorder events = new ApiEventRecorder(api, spec.eventSource(), "", clock);
            recorders.add(events);
            // Built now, before the informers start, so that their handlers see every object from the first list.
            loops.add(loop(spec, new ControllerContext(api, informers, events, clock), metrics, clock));
            LOG.debugf("controller %s enabled with %d workers", spec.name(), spec.workers());
        }
        Optional<LeaderElectionConfig> electionConfig = config.leaderElection().election(config.identity());
        this.runtime = new ComponentRuntime(
                "controller-manager",
                api,
                informers,
                electionConfig,
                new ComponentRuntime.Loops() {
                    @Override
                    public void start() {
                        loops.forEach(ReconcileLoop::start);
                    }

                    @Override
                    public void close() {
                        loops.forEach(ReconcileLoop::close);
                    }
                },
                onLost,
                clock);
    }

    private static <K> ReconcileLoop<K> loop(
            ControllerSpec<K> spec, ControllerContext context, MeterRegistry metrics, Clock clock) {
        WorkQueue<K> queue = new WorkQueue<>(spec.name(), RateLimiter.controllerDefault(clock), clock, metrics);
        return new ReconcileLoop<>(spec.name(), queue, spec.factory().apply(context, queue), spec.workers(), metrics);
    }

    public void start() {
        ComponentRuntime.awaitApi("controller manager", connection);
        runtime.start();
    }

    public ComponentRuntime runtime() {
        return runtime;
    }

    @Override
    public void close() {
        runtime.close();
        recorders.forEach(ApiEventRecorder::close);
        connection.close();
    }
}
