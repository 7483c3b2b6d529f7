package dev.capstan.client.leader;

import java.time.Duration;
import java.util.Optional;

/**
 * Upstream's --leader-elect* flags as a component's configuration exposes them (each app's config mapping extends
 * this with its own defaults), and the election they ask for.
 */
public interface LeaderElectionSettings {
    boolean enabled();

    String namespace();

    String name();

    Duration leaseDuration();

    Duration renewDeadline();

    Duration retryPeriod();

    /**
     * On lost leadership, start over as a candidate in this process instead of exiting (which upstream's components
     * do, for a supervisor to restart them): for a component sharing its JVM with others.
     */
    boolean restartInProcess();

    /** The election to run, with {@code identity} or upstream's default one; empty when disabled. */
    default Optional<LeaderElectionConfig> election(Optional<String> identity) {
        if (!enabled()) {
            return Optional.empty();
        }
        return Optional.of(new LeaderElectionConfig(
                namespace(),
                name(),
                identity.orElseGet(LeaderElectionConfig::defaultIdentity),
                leaseDuration(),
                renewDeadline(),
                retryPeriod(),
                true));
    }
}
