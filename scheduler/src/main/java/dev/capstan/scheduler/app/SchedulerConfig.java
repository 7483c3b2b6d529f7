package dev.capstan.scheduler.app;

import dev.capstan.client.leader.LeaderElectionSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Settings of the scheduler, under {@code capstan.scheduler}. */
@ConfigMapping(prefix = "capstan.scheduler")
public interface SchedulerConfig {
    /** The API server's internal gRPC address. */
    @WithDefault("127.0.0.1:6444")
    String api();

    /** The scheduler's token, written by the API server at its first start. */
    @WithDefault(".capstan/data/tokens/scheduler")
    String tokenFile();

    /** The profiles, by the schedulerName pods select them with; each runs the default plugins. */
    @WithDefault("default-scheduler")
    List<String> profiles();

    /** Score weights that replace the defaults, by plugin name (e.g. capstan.scheduler.weights.ImageLocality=0). */
    Map<String, Integer> weights();

    /** Plugins to leave out of every profile. */
    Optional<List<String>> disabledPlugins();

    /** Upstream's percentageOfNodesToScore; 0 for its adaptive default. */
    @WithDefault("0")
    int percentageOfNodesToScore();

    /** How many bindings may be in flight at once. */
    @WithDefault("64")
    int parallelBindings();

    /** This replica's identity in leader election; default host name and a random suffix, as upstream. */
    Optional<String> identity();

    LeaderElection leaderElection();

    /** Upstream's leader election flags and defaults. */
    interface LeaderElection extends LeaderElectionSettings {
        @Override
        @WithDefault("true")
        boolean enabled();

        @Override
        @WithDefault("kube-system")
        String namespace();

        @Override
        @WithDefault("kube-scheduler")
        String name();

        @Override
        @WithDefault("15s")
        Duration leaseDuration();

        @Override
        @WithDefault("10s")
        Duration renewDeadline();

        @Override
        @WithDefault("2s")
        Duration retryPeriod();

        @Override
        @WithDefault("false")
        boolean restartInProcess();
    }
}
