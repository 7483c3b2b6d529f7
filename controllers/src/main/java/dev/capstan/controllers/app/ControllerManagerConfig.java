package dev.capstan.controllers.app;

import dev.capstan.client.leader.LeaderElectionSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of the controller manager, under {@code capstan.controllers}. */
@ConfigMapping(prefix = "capstan.controllers")
public interface ControllerManagerConfig {
    /** The API server's internal gRPC address. */
    @WithDefault("127.0.0.1:6444")
    String api();

    /** The controller manager's token, written by the API server at its first start. */
    @WithDefault(".capstan/data/tokens/controller-manager")
    String tokenFile();

    /** The controllers to run: "*" for all, or names; "-name" disables one ("*,-garbagecollector"). */
    @WithDefault("*")
    List<String> enabled();

    /** How often informers hand every cached object to the controllers again. */
    @WithDefault("10m")
    Duration resyncPeriod();

    /**
     * The ip:port list the {@code kubernetes} Service's endpoints point at (upstream's --advertise-address); default
     * this machine's first non-loopback IPv4 address and port 6443 (Endpoints may not hold loopback addresses).
     */
    Optional<List<String>> apiserverAddress();

    Nodes nodes();

    /** The node lifecycle and IPAM controllers' flags, with upstream's defaults. */
    interface Nodes {
        /** --node-monitor-period. */
        @WithDefault("5s")
        Duration monitorPeriod();

        /** --node-monitor-grace-period: 40 s as the issue asks (upstream's default before 1.32, which made it 50 s). */
        @WithDefault("40s")
        Duration monitorGracePeriod();

        /** --node-startup-grace-period. */
        @WithDefault("60s")
        Duration startupGracePeriod();

        /** The tolerationSeconds assumed for pods without a not-ready/unreachable toleration. */
        @WithDefault("300")
        long defaultTolerationSeconds();

        /** --cluster-cidr: the range each node's pod CIDR comes from. */
        @WithDefault("10.244.0.0/16")
        String clusterCidr();

        /** --node-cidr-mask-size. */
        @WithDefault("24")
        int nodeCidrMaskSize();
    }

    /** The range Service cluster IPs come from; the {@code kubernetes} Service takes its first address. */
    @WithDefault("10.96.0.0/16")
    String serviceCidr();

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
        @WithDefault("kube-controller-manager")
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
