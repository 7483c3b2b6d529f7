package dev.capstan.node.app;

import dev.capstan.client.component.QuietHeapCollector;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Starts the node agent with the app (on a thread of its own: containerd and the first sync take a moment) and stops
 * it on shutdown. Ready once containerd answers, the Node is registered and the pod informer has synced; a failed
 * start exits with status 1 and says why.
 */
@ApplicationScoped
@Readiness
public class NodeAgentLifecycle implements HealthCheck {
    private static final Logger LOG = Logger.getLogger(NodeAgentLifecycle.class);

    private final NodeAgentConfig config;
    private final Vertx vertx;
    private volatile NodeAgent agent;

    NodeAgentLifecycle(NodeAgentConfig config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("the node agent is disabled (capstan.node.enabled=false)");
            return;
        }
        QuietHeapCollector.startOnce();
        agent = new NodeAgent(config, vertx);
        Thread.ofVirtual().name("node-agent-start").start(() -> {
            try {
                agent.start();
            } catch (Exception e) {
                LOG.error("the node agent could not start: " + e.getMessage(), e);
                Quarkus.asyncExit(1);
            }
        });
    }

    void stop(@Observes ShutdownEvent event) {
        if (agent != null) {
            agent.close();
        }
    }

    @Override
    public HealthCheckResponse call() {
        if (!config.enabled()) {
            return HealthCheckResponse.named("node")
                    .up()
                    .withData("state", "disabled")
                    .build();
        }
        NodeAgent current = agent;
        boolean ready = current != null && current.isReady();
        return HealthCheckResponse.named("node")
                .status(ready)
                .withData("node", current == null ? "" : current.nodeName())
                .build();
    }
}
