package dev.capstan.scheduler.app;

import dev.capstan.client.ApiClient;
import dev.capstan.client.ApiConnection;
import dev.capstan.client.GrpcApiClient;
import dev.capstan.client.Kinds;
import dev.capstan.client.component.ComponentRuntime;
import dev.capstan.client.events.ApiEventRecorder;
import dev.capstan.client.informer.InformerFactory;
import dev.capstan.client.informer.ResourceEventHandler;
import dev.capstan.client.leader.LeaderElectionConfig;
import dev.capstan.scheduler.core.InformerHandlers;
import dev.capstan.scheduler.core.Scheduler;
import dev.capstan.scheduler.core.WorkloadCaches;
import dev.capstan.scheduler.framework.Profile;
import dev.capstan.scheduler.plugins.InTreePlugins;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The scheduler process without its framework: connects with its own token, feeds pod, node and namespace informers
 * into the scheduler core, and schedules while it leads.
 */
public final class SchedulerApp implements AutoCloseable {
    private final ApiConnection connection;
    private final ApiEventRecorder events;
    private final ComponentRuntime runtime;

    public SchedulerApp(SchedulerConfig config, MeterRegistry metrics, Runnable onLost) {
        Clock clock = Clock.systemUTC();
        this.connection = ApiConnection.connect(config.api(), Path.of(config.tokenFile()));
        ApiClient api = new GrpcApiClient(connection, "capstan-scheduler");
        InformerFactory informers = new InformerFactory(api, Duration.ZERO);
        this.events = new ApiEventRecorder(api, "default-scheduler", "", clock);
        ApiWriters writers = new ApiWriters(api, events, clock, config.parallelBindings());
        var namespaces = informers.informer(Kinds.NAMESPACES);
        Scheduler scheduler = Scheduler.builder()
                .profiles(profiles(config))
                .registry(InTreePlugins.registry())
                .binder(writers)
                .failureHandler(writers)
                .preemptionActions(writers)
                .metrics(new MicrometerSchedulerMetrics(metrics))
                .namespaceLabels(ns -> namespaces
                        .cache()
                        .get(ns)
                        .map(n -> n.getMetadata().getLabels())
                        .orElse(Map.of()))
                // Default topology spreading selects a pod's siblings by its Services and controller.
                .workloadListers(new WorkloadCaches(
                        informers.informer(Kinds.SERVICES).cache(),
                        informers.informer(Kinds.REPLICA_SETS).cache(),
                        informers.informer(Kinds.STATEFUL_SETS).cache(),
                        null))
                .percentageOfNodesToScore(config.percentageOfNodesToScore())
                .clock(clock)
                .build();
        InformerHandlers handlers = scheduler.handlers();
        informers.informer(Kinds.PODS).addEventHandler(new ResourceEventHandler<Pod>() {
            @Override
            public void onAdd(Pod pod) {
                handlers.onPodAdd(pod);
            }

            @Override
            public void onUpdate(Pod oldPod, Pod newPod) {
                handlers.onPodUpdate(oldPod, newPod);
            }

            @Override
            public void onDelete(Pod pod) {
                handlers.onPodDelete(pod);
            }
        });
        informers.informer(Kinds.NODES).addEventHandler(new ResourceEventHandler<Node>() {
            @Override
            public void onAdd(Node node) {
                handlers.onNodeAdd(node);
            }

            @Override
            public void onUpdate(Node oldNode, Node newNode) {
                handlers.onNodeUpdate(oldNode, newNode);
            }

            @Override
            public void onDelete(Node node) {
                handlers.onNodeDelete(node);
            }
        });
        Optional<LeaderElectionConfig> electionConfig = config.leaderElection().election(config.identity());
        this.runtime = new ComponentRuntime(
                "scheduler",
                api,
                informers,
                electionConfig,
                new ComponentRuntime.Loops() {
                    @Override
                    public void start() {
                        scheduler.start();
                    }

                    @Override
                    public void close() {
                        try {
                            scheduler.stop();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                },
                onLost,
                clock);
    }

    static List<Profile> profiles(SchedulerConfig config) {
        List<Profile> profiles = new ArrayList<>();
        for (String name : config.profiles()) {
            Profile profile = InTreePlugins.defaultProfile(name);
            for (String disabled : config.disabledPlugins().orElse(List.of())) {
                profile = profile.without(disabled);
            }
            for (Map.Entry<String, Integer> weight : config.weights().entrySet()) {
                profile = profile.withWeight(weight.getKey(), weight.getValue());
            }
            if (config.percentageOfNodesToScore() > 0) {
                profile = new Profile(profile.schedulerName(), profile.plugins(), config.percentageOfNodesToScore());
            }
            profiles.add(profile);
        }
        return profiles;
    }

    public void start() {
        ComponentRuntime.awaitApi("scheduler", connection);
        runtime.start();
    }

    public ComponentRuntime runtime() {
        return runtime;
    }

    @Override
    public void close() {
        runtime.close();
        events.close();
        connection.close();
    }
}
