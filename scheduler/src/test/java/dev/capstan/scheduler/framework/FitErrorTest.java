package dev.capstan.scheduler.framework;

import static dev.capstan.scheduler.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class FitErrorTest {
    private final PodInfo pod = PodInfo.of(pod("p").build());

    @Test
    void reasonsAreCountedPerNodeAndSortedAsStrings() {
        NodeToStatus statuses = new NodeToStatus();
        statuses.set("n1", Status.unschedulable("Insufficient cpu"));
        statuses.set("n2", Status.unschedulable("Insufficient cpu", "Insufficient memory"));
        statuses.set("n3", Status.unschedulable("Insufficient cpu"));
        statuses.set(
                "n4", Status.unresolvable("node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"));
        statuses.set(
                "n5", Status.unresolvable("node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"));
        FitError e = new FitError(pod, 5, statuses, "", Set.of());
        e.postFilterMsg("preemption: 0/5 nodes are available: 5 Preemption is not helpful for scheduling.");
        assertThat(e.getMessage())
                .isEqualTo("0/5 nodes are available: 1 Insufficient memory, 2 node(s) had untolerated taint"
                        + " {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu. preemption: 0/5 nodes are"
                        + " available: 5 Preemption is not helpful for scheduling.");
    }

    @Test
    void absentNodesCountWithTheAbsentStatus() {
        NodeToStatus statuses = new NodeToStatus();
        statuses.absentNodesStatus(Status.unresolvable("Preemption is not helpful for scheduling"));
        statuses.set("n1", Status.unresolvable("No preemption victims found for incoming pod"));
        assertThat(new FitError(pod, 3, statuses, "", Set.of()).getMessage())
                .isEqualTo("0/3 nodes are available: 1 No preemption victims found for incoming pod,"
                        + " 2 Preemption is not helpful for scheduling.");
    }

    @Test
    void aPreFilterRejectionIsReportedOnceNotPerNode() {
        NodeToStatus statuses = new NodeToStatus();
        statuses.absentNodesStatus(Status.unresolvable("pod affinity terms conflict"));
        assertThat(new FitError(pod, 4, statuses, "pod affinity terms conflict", Set.of()).getMessage())
                .isEqualTo("0/4 nodes are available: pod affinity terms conflict.");
    }

    @Test
    void noReasonsGivesTheBareSentence() {
        assertThat(new FitError(pod, 0, new NodeToStatus(), "", Set.of()).getMessage())
                .isEqualTo("0/0 nodes are available:");
    }
}
