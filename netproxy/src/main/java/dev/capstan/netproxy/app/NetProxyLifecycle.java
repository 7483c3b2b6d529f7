package dev.capstan.netproxy.app;

import dev.capstan.client.component.QuietHeapCollector;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Starts the netproxy with the app (on a thread of its own: the first sync takes a moment) and stops it on shutdown,
 * which removes its tables. Ready once the caches synced, the DNS server listens and both tables were loaded; a
 * failed start exits with status 1 and says why.
 */
@ApplicationScoped
@Readiness
public class NetProxyLifecycle implements HealthCheck {
    private static final Logger LOG = Logger.getLogger(NetProxyLifecycle.class);

    private final NetProxyConfig config;
    private volatile NetProxy proxy;

    NetProxyLifecycle(NetProxyConfig config) {
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("the netproxy is disabled (capstan.netproxy.enabled=false)");
            return;
        }
        QuietHeapCollector.startOnce();
        proxy = new NetProxy(config);
        Thread.ofVirtual().name("netproxy-start").start(() -> {
            try {
                proxy.start();
            } catch (Exception e) {
                LOG.error("the netproxy could not start: " + e.getMessage(), e);
                Quarkus.asyncExit(1);
            }
        });
    }

    void stop(@Observes ShutdownEvent event) {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Override
    public HealthCheckResponse call() {
        if (!config.enabled()) {
            return HealthCheckResponse.named("netproxy")
                    .up()
                    .withData("state", "disabled")
                    .build();
        }
        NetProxy current = proxy;
        boolean ready = current != null && current.isReady();
        return HealthCheckResponse.named("netproxy")
                .status(ready)
                .withData("node", current == null ? "" : current.nodeName())
                .build();
    }
}
