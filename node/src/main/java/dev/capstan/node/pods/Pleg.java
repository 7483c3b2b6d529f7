package dev.capstan.node.pods;

import dev.capstan.node.runtime.Container;
import dev.capstan.node.runtime.ContainerRuntime;
import dev.capstan.node.runtime.ContainerState;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The pod lifecycle event generator (upstream pleg/generic.go): relists every container once a second and wakes the
 * worker of each pod whose containers started, exited or vanished since the last relist, so that one runtime call
 * notices every pod's changes instead of every worker polling its own.
 */
public final class Pleg implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Pleg.class);

    private final ContainerRuntime runtime;
    private final Duration period;
    private final Consumer<String> wake;
    private Map<String, ContainerState> last = new HashMap<>();
    private Map<String, String> lastPodOf = new HashMap<>();
    private volatile Thread thread;

    /** @param wake called with the pod UID of every pod whose containers changed */
    public Pleg(ContainerRuntime runtime, Duration period, Consumer<String> wake) {
        this.runtime = runtime;
        this.period = period;
        this.wake = wake;
    }

    public void start() {
        thread = Thread.ofVirtual().name("pleg").start(this::loop);
    }

    private void loop() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                relist();
            } catch (RuntimeException e) {
                LOG.warnf("relisting containers failed: %s", e.getMessage());
            }
            try {
                Thread.sleep(period);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One relist: wakes the pods whose containers changed state. */
    void relist() {
        Map<String, ContainerState> now = new HashMap<>();
        Map<String, String> podOf = new HashMap<>();
        for (Container c : runtime.listContainers(null, Map.of())) {
            now.put(c.id(), c.state());
            podOf.put(c.id(), c.labels().getOrDefault(ContainerSpecs.POD_UID, ""));
        }
        Set<String> changed = new HashSet<>();
        for (var e : now.entrySet()) {
            if (last.get(e.getKey()) != e.getValue()) {
                changed.add(podOf.get(e.getKey()));
            }
        }
        for (String gone : last.keySet()) {
            if (!now.containsKey(gone)) {
                changed.add(lastPodOf.getOrDefault(gone, ""));
            }
        }
        last = now;
        lastPodOf = podOf;
        changed.remove("");
        changed.forEach(wake);
    }

    @Override
    public void close() {
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }
}
