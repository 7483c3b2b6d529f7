package dev.capstan.api;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/** Settings of the API server, under {@code capstan.api}. */
@ConfigMapping(prefix = "capstan.api")
public interface ApiConfig {

    /** The HTTPS port of the Kubernetes API; 0 picks a free one (tests). */
    @WithDefault("6443")
    int port();

    /** The address the API listens on. */
    @WithDefault("0.0.0.0")
    String bindAddress();

    /** Where the PKI, the admin token and the kubeconfig are kept; the store's embedded data sits beside them. */
    @WithDefault(".capstan/data")
    String dataDir();

    /** Extra DNS names and IPs for the serving certificate. */
    @WithDefault("none")
    List<String> certificateSans();

    /** The range Service cluster IPs are allocated from. */
    @WithDefault("10.96.0.0/16")
    String serviceCidr();

    /** The NodePort range, inclusive, as "min-max". */
    @WithDefault("30000-32767")
    String nodePortRange();

    /**
     * Whether the API server empties and finalizes terminating namespaces itself. The controller manager's namespace
     * controller does it in a cluster (upstream's split); this is for an API server run alone (its own tests,
     * {@code CAPSTAN_API_ONLY=1}), where nothing else would.
     */
    @WithDefault("false")
    boolean namespaceCleanup();

    /**
     * The tolerationSeconds DefaultTolerationSeconds gives pods for the not-ready and unreachable NoExecute taints
     * (upstream's --default-not-ready-toleration-seconds and --default-unreachable-toleration-seconds).
     */
    @WithDefault("300")
    long defaultTolerationSeconds();

    /** The longest watch before the server ends it (clients re-watch); kube-apiserver's default is 30 minutes. */
    @WithDefault("30m")
    Duration maxWatchDuration();

    /** How often a watch that asked for bookmarks gets one. */
    @WithDefault("60s")
    Duration bookmarkInterval();

    /** The largest request body accepted (kube-apiserver's limit is 3 MiB). */
    @WithDefault("3145728")
    int maxBodyBytes();

    /**
     * How many recent events of each resource the watch cache keeps, so that a watch resuming from an older
     * revision is still served from memory; older ones are served from the store's change log.
     */
    @WithDefault("4096")
    int watchCacheWindow();

    /** How many events a watcher may fall behind before its watch is ended (the client watches again). */
    @WithDefault("10000")
    int watcherQueue();

    /** How long a new connection may take to send a request's headers (kube-apiserver: ReadHeaderTimeout 32 s). */
    @WithDefault("32s")
    Duration headerReadTimeout();

    /** How long a kept-alive connection may wait with no request in flight (kube-apiserver: IdleTimeout 90 s). */
    @WithDefault("90s")
    Duration idleTimeout();

    /** How long a request's body may take to arrive (kube-apiserver reads it under its 60 s request timeout). */
    @WithDefault("60s")
    Duration bodyReadTimeout();

    /**
     * The largest request line and the largest header block; kube-apiserver's MaxHeaderBytes is 1 MiB, so any
     * URL it accepts (long label selectors, many names) is accepted here too.
     */
    @WithDefault("1048576")
    int maxHeaderBytes();

    /** How often the watchdog pings every Vert.x event loop. */
    @WithDefault("1s")
    Duration eventLoopCheckInterval();

    /**
     * How long an event loop may go without running its ping before /readyz turns false (Vert.x warns about a
     * blocked loop after 2 s; GC pauses and a busy machine stay well below this).
     */
    @WithDefault("10s")
    Duration eventLoopUnreadyAfter();

    /** How long an event loop may stay stuck before the process exits (status 4) for its supervisor to restart it. */
    @WithDefault("60s")
    Duration eventLoopExitAfter();

    /**
     * The token the API server presents to node agents (upstream's kubelet client credentials); by default
     * {@code tokens/kubelet-client} in the data directory, where {@code ./capstan} writes it.
     */
    java.util.Optional<String> kubeletClientTokenFile();

    /** How long connecting to a node agent may take (upstream's kubelet client dial timeout is 30 s). */
    @WithDefault("10s")
    Duration kubeletConnectTimeout();
}
