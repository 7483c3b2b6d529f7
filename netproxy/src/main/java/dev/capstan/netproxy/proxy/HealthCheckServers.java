package dev.capstan.netproxy.proxy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.capstan.model.json.KubeJson;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * The health-check node ports of Services with externalTrafficPolicy Local (upstream's ServiceHealthServer): on
 * {@code spec.healthCheckNodePort} at each of the node's addresses, any path answers 200 with
 * {@code {"service":{"namespace":..,"name":..},"localEndpoints":N}} while this node has N > 0 usable endpoints of
 * the Service, else 503 with the same body, so that a load balancer sends traffic only to nodes with endpoints.
 */
public final class HealthCheckServers implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HealthCheckServers.class);

    /** What one port reports. */
    record Target(String namespace, String name, int localEndpoints) {}

    private final Map<String, HttpServer> servers = new HashMap<>(); // "address:port"
    private final Map<Integer, Target> targets = new ConcurrentHashMap<>();
    private final Set<String> failed = new HashSet<>(); // warned about once; retried at every sync
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    /** Opens and closes servers so that exactly the inputs' health-check ports are served on their node addresses. */
    public synchronized void sync(ProxyInputs inputs) {
        Map<Integer, Target> wanted = targets(inputs);
        targets.keySet().retainAll(wanted.keySet());
        targets.putAll(wanted);
        Set<String> keep = new HashSet<>();
        for (int port : wanted.keySet()) {
            for (String address : inputs.nodeAddresses()) {
                String key = address + ":" + port;
                keep.add(key);
                if (!servers.containsKey(key)) {
                    open(key, address, port);
                }
            }
        }
        for (String key : new ArrayList<>(servers.keySet())) {
            if (!keep.contains(key)) {
                servers.remove(key).stop(0);
            }
        }
    }

    private void open(String key, String address, int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 16);
            server.createContext("/", exchange -> answer(exchange, port));
            server.setExecutor(executor);
            server.start();
            servers.put(key, server);
            failed.remove(key);
        } catch (IOException e) {
            // upstream logs and goes on: the port may be taken; the next sync tries again
            if (failed.add(key)) {
                LOG.warnf("cannot serve the health check on %s: %s", key, e.getMessage());
            }
        }
    }

    private void answer(HttpExchange exchange, int port) throws IOException {
        Target target = targets.get(port);
        try (exchange) {
            if (target == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            var body = KubeJson.object();
            body.putObject("service").put("namespace", target.namespace()).put("name", target.name());
            body.put("localEndpoints", target.localEndpoints());
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            exchange.sendResponseHeaders(target.localEndpoints() > 0 ? 200 : 503, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Health-check port to its Service and local endpoint count (distinct usable local addresses, any port). */
    static Map<Integer, Target> targets(ProxyInputs inputs) {
        Map<Integer, Target> out = new HashMap<>();
        for (Service service : inputs.services()) {
            var spec = service.getSpec();
            if (spec == null
                    || spec.getHealthCheckNodePort() == null
                    || !"Local".equals(spec.getExternalTrafficPolicy())
                    || spec.getPorts() == null) {
                continue;
            }
            String namespace = service.getMetadata().getNamespace();
            String name = service.getMetadata().getName();
            List<EndpointSlice> slices = inputs.endpointSlices().stream()
                    .filter(s -> namespace.equals(s.getMetadata().getNamespace()))
                    .filter(s -> s.getMetadata().getLabels() != null
                            && name.equals(s.getMetadata().getLabels().get(ProxyRenderer.SERVICE_NAME_LABEL)))
                    .toList();
            Set<String> local = new HashSet<>();
            for (ServicePort port : spec.getPorts()) {
                EndpointSelection.categorize(port, slices, inputs.nodeName())
                        .local()
                        .forEach(e -> local.add(e.ip()));
            }
            out.putIfAbsent(spec.getHealthCheckNodePort(), new Target(namespace, name, local.size()));
        }
        return out;
    }

    @Override
    public synchronized void close() {
        servers.values().forEach(s -> s.stop(0));
        servers.clear();
        executor.close();
    }
}
