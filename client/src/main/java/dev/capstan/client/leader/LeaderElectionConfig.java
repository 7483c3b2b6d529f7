package dev.capstan.client.leader;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.UUID;

/**
 * Where and how a component elects its leader (client-go's LeaderElectionConfig with a LeaseLock).
 *
 * @param namespace the Lease's namespace, {@code kube-system} by default
 * @param name the Lease's name, such as {@code kube-scheduler}
 * @param identity this replica's name in {@code spec.holderIdentity}, unique per process
 * @param leaseDuration how long a standby waits, from the last change of the Lease it saw, before it takes over
 * @param renewDeadline how long a leader keeps acting without a successful renewal
 * @param retryPeriod how often candidates try to acquire and the leader renews
 * @param releaseOnCancel whether {@link LeaderElector#close()} clears the holder so that a standby takes over at once
 */
public record LeaderElectionConfig(
        String namespace,
        String name,
        String identity,
        Duration leaseDuration,
        Duration renewDeadline,
        Duration retryPeriod,
        boolean releaseOnCancel) {

    /** Candidates wait retryPeriod plus up to this factor of it between tries (client-go's JitterFactor). */
    public static final double JITTER_FACTOR = 1.2;

    public static final String DEFAULT_NAMESPACE = "kube-system";
    public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(15);
    public static final Duration DEFAULT_RENEW_DEADLINE = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RETRY_PERIOD = Duration.ofSeconds(2);

    /** Validated as client-go's NewLeaderElector: leaseDuration > renewDeadline > retryPeriod * JITTER_FACTOR > 0. */
    public LeaderElectionConfig {
        require(namespace != null && !namespace.isEmpty(), "the Lease namespace is empty: set namespace");
        require(name != null && !name.isEmpty(), "the Lease name is empty: set name");
        require(identity != null && !identity.isEmpty(), "Lock identity is empty: set identity");
        require(leaseDuration != null && renewDeadline != null && retryPeriod != null, "a duration is missing");
        require(
                leaseDuration.isPositive(),
                "leaseDuration must be greater than zero (is " + leaseDuration + "): raise leaseDuration");
        require(
                renewDeadline.isPositive(),
                "renewDeadline must be greater than zero (is " + renewDeadline + "): raise renewDeadline");
        require(
                retryPeriod.isPositive(),
                "retryPeriod must be greater than zero (is " + retryPeriod + "): raise retryPeriod");
        require(
                leaseDuration.compareTo(renewDeadline) > 0,
                "leaseDuration must be greater than renewDeadline (leaseDuration " + leaseDuration + ", renewDeadline "
                        + renewDeadline + "): raise leaseDuration or lower renewDeadline");
        long jittered = (long) (JITTER_FACTOR * retryPeriod.toNanos());
        require(
                renewDeadline.toNanos() > jittered,
                "renewDeadline must be greater than retryPeriod*JitterFactor (renewDeadline " + renewDeadline
                        + ", retryPeriod " + retryPeriod + " * " + JITTER_FACTOR + " = " + Duration.ofNanos(jittered)
                        + "): raise renewDeadline or lower retryPeriod");
    }

    /** Upstream's defaults (kube-system, 15 s / 10 s / 2 s), a fresh {@link #defaultIdentity()}, release on close. */
    public static LeaderElectionConfig of(String name) {
        return new LeaderElectionConfig(
                DEFAULT_NAMESPACE,
                name,
                defaultIdentity(),
                DEFAULT_LEASE_DURATION,
                DEFAULT_RENEW_DEADLINE,
                DEFAULT_RETRY_PERIOD,
                true);
    }

    /** {@code <hostname>_<random uuid>}, as kube-scheduler and kube-controller-manager name themselves. */
    public static String defaultIdentity() {
        return hostname() + "_" + UUID.randomUUID();
    }

    private static String hostname() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    public LeaderElectionConfig withNamespace(String namespace) {
        return new LeaderElectionConfig(
                namespace, name, identity, leaseDuration, renewDeadline, retryPeriod, releaseOnCancel);
    }

    public LeaderElectionConfig withIdentity(String identity) {
        return new LeaderElectionConfig(
                namespace, name, identity, leaseDuration, renewDeadline, retryPeriod, releaseOnCancel);
    }

    public LeaderElectionConfig withTimings(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
        return new LeaderElectionConfig(
                namespace, name, identity, leaseDuration, renewDeadline, retryPeriod, releaseOnCancel);
    }

    public LeaderElectionConfig withReleaseOnCancel(boolean releaseOnCancel) {
        return new LeaderElectionConfig(
                namespace, name, identity, leaseDuration, renewDeadline, retryPeriod, releaseOnCancel);
    }

    /**
     * The Lease's {@code spec.leaseDurationSeconds}: whole seconds, rounded up so that a standby reading it never waits
     * less than this leader's {@code leaseDuration} (upstream truncates; the same for whole-second durations).
     */
    int leaseDurationSeconds() {
        long seconds = leaseDuration.toSeconds() + (leaseDuration.toNanosPart() > 0 ? 1 : 0);
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, seconds));
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
