package dev.capstan.client.component;

import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Keeps one started instance of a component and, when asked to, replaces it with a fresh one in this process: what a
 * supervisor restarting the process would do, for a component that shares its JVM with others (the single-machine
 * cluster's), where exiting on lost leadership would stop the node agent and the netproxy with it.
 */
public final class InProcessRestarter {
    private static final Logger LOG = Logger.getLogger(InProcessRestarter.class);

    private final String name;
    private final Supplier<AutoCloseable> launch;
    private final boolean inProcess;
    private final Runnable exit;
    private AutoCloseable current;
    private boolean stopped;

    /**
     * @param launch creates and starts an instance
     * @param inProcess whether a lost leadership restarts the instance here ({@link #restart()}) rather than
     *     running {@code exit}
     * @param exit ends the process (the app's exit with status 1)
     */
    public InProcessRestarter(String name, Supplier<AutoCloseable> launch, boolean inProcess, Runnable exit) {
        this.name = name;
        this.launch = launch;
        this.inProcess = inProcess;
        this.exit = exit;
    }

    public synchronized void start() {
        current = launch.get();
    }

    /** The instance lost its leadership: a fresh one here, or the process ends for its supervisor to restart it. */
    public void lostLeadership() {
        if (inProcess) {
            restart();
        } else {
            exit.run();
        }
    }

    /**
     * Closes the instance and starts another, on a thread of its own: the caller is usually one of the instance's
     * threads, which closing it waits for.
     */
    public void restart() {
        Thread.ofPlatform().name(name + "-restart").start(() -> {
            synchronized (this) {
                if (stopped) {
                    return;
                }
                LOG.warnf("the %s lost its leadership; starting it again as a candidate", name);
                closeCurrent();
                current = launch.get();
            }
        });
    }

    /** Closes the instance for good. */
    public synchronized void stop() {
        stopped = true;
        closeCurrent();
    }

    private void closeCurrent() {
        if (current == null) {
            return;
        }
        try {
            current.close();
        } catch (Exception e) {
            LOG.warnf(e, "closing the %s", name);
        }
        current = null;
    }
}
