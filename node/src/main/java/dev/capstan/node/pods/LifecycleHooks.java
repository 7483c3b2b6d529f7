package dev.capstan.node.pods;

import dev.capstan.client.events.EventRecorder;
import dev.capstan.node.probes.ProbeResult;
import dev.capstan.node.probes.Prober;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A container's preStop hook, as upstream's killContainer runs it (kuberuntime_container.go executePreStopHook): before
 * the stop signal, within the grace period; what it used of the period is taken from the time the container then gets.
 * exec and httpGet run as the probe actions do; {@code sleep} waits; a failure is a {@code FailedPreStopHook} event and
 * the stop goes on.
 */
final class LifecycleHooks {
    private final Prober actions;
    private final EventRecorder events;
    private final Clock clock;

    LifecycleHooks(Prober actions, EventRecorder events, Clock clock) {
        this.actions = actions;
        this.events = events;
        this.clock = clock;
    }

    /** Runs the container's preStop hook, if it has one, for at most {@code grace}; answers the time it took. */
    Duration preStop(Pod pod, Container c, String containerId, String podIp, Duration grace) {
        LifecycleHandler hook =
                c.getLifecycle() == null ? null : c.getLifecycle().getPreStop();
        if (hook == null || grace.isZero() || grace.isNegative()) {
            return Duration.ZERO;
        }
        Instant start = clock.instant();
        try (var runner = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> run = runner.submit(() -> run(pod, c, containerId, podIp, hook, grace));
            try {
                String failure = run.get(grace.toMillis(), TimeUnit.MILLISECONDS);
                if (failure != null) {
                    failed(pod, c, failure);
                }
            } catch (TimeoutException e) {
                run.cancel(true); // the stop signal goes now, as upstream stops waiting at the grace period's end
            } catch (ExecutionException e) {
                failed(pod, c, String.valueOf(e.getCause().getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            runner.shutdownNow();
        }
        Duration used = Duration.between(start, clock.instant());
        return used.compareTo(grace) > 0 ? grace : used;
    }

    /** Answers why the hook failed, or null when it succeeded. */
    private String run(Pod pod, Container c, String containerId, String podIp, LifecycleHandler hook, Duration grace)
            throws InterruptedException {
        if (hook.getSleep() != null) {
            long seconds =
                    hook.getSleep().getSeconds() == null ? 0 : hook.getSleep().getSeconds();
            Thread.sleep(Duration.ofSeconds(Math.max(0, seconds)));
            return null;
        }
        Probe action = new Probe();
        action.setExec(hook.getExec());
        action.setHttpGet(hook.getHttpGet());
        action.setTcpSocket(hook.getTcpSocket());
        if (hook.getExec() == null && hook.getHttpGet() == null) {
            // upstream's runner knows no tcpSocket hook (deprecated, never ran): nothing to do
            return null;
        }
        Prober.Outcome outcome = actions.probe(new Prober.Target(pod, c, containerId, podIp), action, grace);
        return outcome.result() == ProbeResult.SUCCESS ? null : outcome.output();
    }

    private void failed(Pod pod, Container c, String why) {
        events.event(
                pod,
                EventRecorder.WARNING,
                "FailedPreStopHook",
                "PreStopHook failed" + (why == null || why.isBlank() ? "" : ": " + why.strip()) + " (container "
                        + c.getName() + ")");
    }
}
