package dev.capstan.scheduler.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.client.ApiClient;
import dev.capstan.client.ApiError;
import dev.capstan.client.DeleteOptions;
import dev.capstan.client.Kinds;
import dev.capstan.client.PatchType;
import dev.capstan.client.events.EventRecorder;
import dev.capstan.model.json.KubeJson;
import dev.capstan.scheduler.core.Binder;
import dev.capstan.scheduler.core.FailureHandler;
import dev.capstan.scheduler.core.PreemptionActions;
import dev.capstan.scheduler.core.SchedulingFailure;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import org.jboss.logging.Logger;

/**
 * What the scheduler writes through the API: bindings (the {@code binding} subresource, on virtual threads, at most
 * {@code parallelBindings} at once), PodScheduled=False conditions and FailedScheduling events for pods that do not
 * fit, and the evictions of preemption.
 */
final class ApiWriters implements Binder, FailureHandler, PreemptionActions {
    private static final Logger LOG = Logger.getLogger(ApiWriters.class);

    private final ApiClient api;
    private final EventRecorder events;
    private final Clock clock;
    private final Semaphore bindings;

    ApiWriters(ApiClient api, EventRecorder events, Clock clock, int parallelBindings) {
        this.api = api;
        this.events = events;
        this.clock = clock;
        this.bindings = new Semaphore(parallelBindings);
    }

    @Override
    public CompletionStage<Void> bind(Pod pod, String nodeName) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofVirtual().name("bind-" + pod.getMetadata().getName()).start(() -> {
            try {
                bindings.acquire();
                try {
                    api.bind(
                            pod.getMetadata().getNamespace(),
                            pod.getMetadata().getName(),
                            Objects.requireNonNullElse(pod.getMetadata().getUid(), ""),
                            nodeName);
                } finally {
                    bindings.release();
                }
                done.complete(null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                done.completeExceptionally(e);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    @Override
    public void failed(Pod pod, SchedulingFailure failure) {
        if (failure.eventMessage() != null) { // a gated pod gets its condition and no event, as upstream
            events.event(pod, EventRecorder.WARNING, "FailedScheduling", failure.eventMessage());
        }
        PodCondition current = scheduledCondition(pod);
        boolean sameCondition = current != null
                && "False".equals(current.getStatus())
                && Objects.equals(current.getReason(), failure.reason())
                && Objects.equals(current.getMessage(), failure.message());
        String nominated = pod.getStatus() == null ? null : pod.getStatus().getNominatedNodeName();
        boolean sameNomination = failure.nominatedNodeName() == null
                || Objects.equals(emptyToNull(nominated), emptyToNull(failure.nominatedNodeName()));
        if (sameCondition && sameNomination) {
            return; // upstream writes only what changed: a pod retried every few seconds costs no write
        }
        ObjectNode status = KubeJson.object();
        ObjectNode condition = status.putArray("conditions").addObject();
        condition.put("type", "PodScheduled");
        condition.put("status", "False");
        condition.putNull("lastProbeTime");
        condition.put(
                "lastTransitionTime",
                sameCondition || (current != null && "False".equals(current.getStatus()))
                        ? current.getLastTransitionTime()
                        : now());
        condition.put("reason", failure.reason());
        condition.put("message", failure.message());
        if (failure.nominatedNodeName() != null) {
            if (failure.nominatedNodeName().isEmpty()) {
                status.putNull("nominatedNodeName");
            } else {
                status.put("nominatedNodeName", failure.nominatedNodeName());
            }
        }
        patchStatus(pod, status);
    }

    @Override
    public void scheduled(Pod pod, String nodeName, String message) {
        events.event(pod, EventRecorder.NORMAL, "Scheduled", message);
    }

    @Override
    public void evict(Pod victim, String message, String eventMessage) {
        ObjectNode status = KubeJson.object();
        ObjectNode condition = status.putArray("conditions").addObject();
        condition.put("type", "DisruptionTarget");
        condition.put("status", "True");
        condition.put("lastTransitionTime", now());
        condition.put("reason", DISRUPTION_REASON);
        condition.put("message", message);
        patchStatus(victim, status);
        try {
            api.resources(Kinds.PODS)
                    .delete(
                            victim.getMetadata().getNamespace(),
                            victim.getMetadata().getName(),
                            DeleteOptions.preconditionUid(victim.getMetadata().getUid()));
            events.event(victim, EventRecorder.NORMAL, "Preempted", eventMessage);
        } catch (ApiError e) {
            if (!e.isNotFound() && !e.isConflict()) {
                throw e;
            }
        }
    }

    @Override
    public void clearNominatedNodeName(Pod pod) {
        ObjectNode status = KubeJson.object();
        status.putNull("nominatedNodeName");
        patchStatus(pod, status);
    }

    private void patchStatus(Pod pod, ObjectNode status) {
        ObjectNode patch = KubeJson.object();
        patch.set("status", status);
        try {
            api.resources(Kinds.PODS)
                    .patchStatus(
                            pod.getMetadata().getNamespace(),
                            pod.getMetadata().getName(),
                            PatchType.STRATEGIC_MERGE,
                            patch.toString());
        } catch (ApiError e) {
            if (e.isNotFound()) {
                return; // the pod went meanwhile: nothing to report on
            }
            LOG.warnf(
                    "cannot write the status of pod %s/%s: %s",
                    pod.getMetadata().getNamespace(), pod.getMetadata().getName(), e.getMessage());
        }
    }

    private static PodCondition scheduledCondition(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return null;
        }
        return pod.getStatus().getConditions().stream()
                .filter(c -> "PodScheduled".equals(c.getType()))
                .findFirst()
                .orElse(null);
    }

    private String now() {
        return DateTimeFormatter.ISO_INSTANT.format(Instant.now(clock).truncatedTo(ChronoUnit.SECONDS));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
