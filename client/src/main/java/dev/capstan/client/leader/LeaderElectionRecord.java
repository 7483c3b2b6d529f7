package dev.capstan.client.leader;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What a Lease's spec says about its holder (client-go's resourcelock.LeaderElectionRecord). Times are truncated to
 * microseconds, the MicroTime precision, so that a record read back equals the record written.
 *
 * @param holderIdentity "" when nobody holds the Lease (after a release)
 * @param acquireTime null when absent
 * @param renewTime null when absent
 */
record LeaderElectionRecord(
        String holderIdentity, int leaseDurationSeconds, Instant acquireTime, Instant renewTime, int leaseTransitions) {

    LeaderElectionRecord {
        acquireTime = acquireTime == null ? null : acquireTime.truncatedTo(ChronoUnit.MICROS);
        renewTime = renewTime == null ? null : renewTime.truncatedTo(ChronoUnit.MICROS);
    }

    LeaderElectionRecord withAcquireTime(Instant time) {
        return new LeaderElectionRecord(holderIdentity, leaseDurationSeconds, time, renewTime, leaseTransitions);
    }

    LeaderElectionRecord withTransitions(int transitions) {
        return new LeaderElectionRecord(holderIdentity, leaseDurationSeconds, acquireTime, renewTime, transitions);
    }
}
