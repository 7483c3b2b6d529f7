package dev.capstan.scheduler.core;

import dev.capstan.scheduler.cache.SchedulerCache;
import dev.capstan.scheduler.framework.ClusterEvent;
import dev.capstan.scheduler.framework.PodInfo;
import dev.capstan.scheduler.framework.Status;
import dev.capstan.scheduler.queue.SchedulingQueue;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Upstream's eventhandlers.go: what informer events do. Unscheduled pods whose schedulerName has a profile go to the
 * queue; assigned pods go to the cache (confirming an assumed pod) and move unschedulable pods that the change may
 * help; terminal pods (Succeeded, Failed) count as deleted. A pending pod the queue gates (scheduling gates) gets its
 * PodScheduled=False SchedulingGated condition written once through the {@link FailureHandler}. Node changes update the cache and, when a scheduling
 * property changed (not mere heartbeats), move unschedulable pods. Thread-safe.
 */
public final class InformerHandlers {
    /** Upstream's default for an empty spec.schedulerName. */
    public static final String DEFAULT_SCHEDULER_NAME = "default-scheduler";

    private final Set<String> schedulerNames;
    private final SchedulerCache cache;
    private final SchedulingQueue queue;
    private final FailureHandler failureHandler;

    InformerHandlers(
            Set<String> schedulerNames, SchedulerCache cache, SchedulingQueue queue, FailureHandler failureHandler) {
        this.schedulerNames = Set.copyOf(schedulerNames);
        this.cache = cache;
        this.queue = queue;
        this.failureHandler = failureHandler;
    }

    public void onPodAdd(Pod pod) {
        if (terminal(pod)) {
            return;
        }
        PodInfo p = PodInfo.of(pod);
        if (assigned(pod)) {
            queue.delete(p);
            cache.addPod(p);
            queue.onClusterEvent(ClusterEvent.ASSIGNED_POD_ADD, null, pod);
        } else if (responsibleFor(pod)) {
            reportGated(pod, queue.add(p));
        }
    }

    public void onPodUpdate(Pod oldPod, Pod newPod) {
        if (terminal(newPod)) {
            onPodDelete(oldPod == null ? newPod : oldPod);
            return;
        }
        PodInfo p = PodInfo.of(newPod);
        if (assigned(newPod)) {
            if (oldPod == null || !assigned(oldPod)) {
                queue.delete(p);
                cache.addPod(p);
                queue.onClusterEvent(ClusterEvent.ASSIGNED_POD_ADD, null, newPod);
            } else {
                cache.updatePod(p);
                queue.onClusterEvent(ClusterEvent.ASSIGNED_POD_UPDATE, oldPod, newPod);
            }
        } else if (responsibleFor(newPod)) {
            if (cache.isAssumed(p.key())) {
                // upstream's skipPodUpdate: our own binding is in flight; the add with nodeName will confirm it
                return;
            }
            reportGated(newPod, queue.update(oldPod == null ? null : PodInfo.of(oldPod), p));
        }
    }

    public void onPodDelete(Pod pod) {
        PodInfo p = PodInfo.of(pod);
        if (assigned(pod)) {
            cache.removePod(p);
            queue.onClusterEvent(ClusterEvent.ASSIGNED_POD_DELETE, pod, null);
            return;
        }
        boolean wasNominated = queue.nominatedNode(p.key()) != null;
        queue.delete(p);
        if (cache.isAssumed(p.key())) {
            cache.forgetPod(p);
            queue.onClusterEvent(ClusterEvent.ASSIGNED_POD_DELETE, pod, null);
        } else if (wasNominated) {
            queue.onClusterEvent(ClusterEvent.UNSCHEDULED_POD_DELETE, pod, null);
        }
    }

    /**
     * Writes PodScheduled=False reason SchedulingGated once, when the queue has just gated the pod and the pod does
     * not show that condition already (upstream's API server sets it at creation; here the scheduler does).
     */
    private void reportGated(Pod pod, Status gated) {
        if (gated == null || hasGatedCondition(pod)) {
            return;
        }
        failureHandler.failed(pod, SchedulingFailure.gated());
    }

    static boolean hasGatedCondition(Pod pod) {
        List<PodCondition> conditions =
                pod.getStatus() == null ? null : pod.getStatus().getConditions();
        if (conditions == null) {
            return false;
        }
        for (PodCondition c : conditions) {
            if ("PodScheduled".equals(c.getType())
                    && "False".equals(c.getStatus())
                    && SchedulingFailure.SCHEDULING_GATED.equals(c.getReason())) {
                return true;
            }
        }
        return false;
    }

    public void onNodeAdd(Node node) {
        cache.addNode(node);
        queue.onClusterEvent(ClusterEvent.NODE_ADD, null, node);
    }

    public void onNodeUpdate(Node oldNode, Node newNode) {
        cache.updateNode(oldNode, newNode);
        if (oldNode == null || schedulingPropertiesChanged(oldNode, newNode)) {
            queue.onClusterEvent(ClusterEvent.NODE_UPDATE, oldNode, newNode);
        }
    }

    public void onNodeDelete(Node node) {
        cache.removeNode(node);
        queue.onClusterEvent(ClusterEvent.NODE_DELETE, node, null);
    }

    /** Upstream's nodeSchedulingPropertiesChange: unschedulable, allocatable, labels, taints, conditions' status. */
    static boolean schedulingPropertiesChanged(Node a, Node b) {
        return !Objects.equals(unschedulable(a), unschedulable(b))
                || !Objects.equals(a.getMetadata().getLabels(), b.getMetadata().getLabels())
                || !Objects.equals(
                        a.getMetadata().getAnnotations(), b.getMetadata().getAnnotations())
                || !Objects.equals(
                        a.getSpec() == null ? null : a.getSpec().getTaints(),
                        b.getSpec() == null ? null : b.getSpec().getTaints())
                || !Objects.equals(
                        a.getStatus() == null ? null : a.getStatus().getAllocatable(),
                        b.getStatus() == null ? null : b.getStatus().getAllocatable())
                || !conditionStatuses(a).equals(conditionStatuses(b));
    }

    private static boolean unschedulable(Node n) {
        return n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable());
    }

    private static List<String> conditionStatuses(Node n) {
        List<NodeCondition> c = n.getStatus() == null ? null : n.getStatus().getConditions();
        return c == null
                ? List.of()
                : c.stream()
                        .map(x -> x.getType() + "=" + x.getStatus())
                        .sorted()
                        .toList();
    }

    boolean responsibleFor(Pod pod) {
        return schedulerNames.contains(schedulerName(pod));
    }

    static String schedulerName(Pod pod) {
        String n = pod.getSpec() == null ? null : pod.getSpec().getSchedulerName();
        return n == null || n.isEmpty() ? DEFAULT_SCHEDULER_NAME : n;
    }

    static boolean assigned(Pod pod) {
        return pod.getSpec() != null
                && pod.getSpec().getNodeName() != null
                && !pod.getSpec().getNodeName().isEmpty();
    }

    static boolean terminal(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }
}
