package dev.capstan.controllers.endpoints;

import static org.awaitility.Awaitility.await;

import dev.capstan.client.Kinds;
import dev.capstan.client.fake.FakeApiClient;
import dev.capstan.client.informer.InformerFactory;
import dev.capstan.client.informer.SharedInformer;
import dev.capstan.client.workqueue.Reconciler;
import dev.capstan.client.workqueue.Result;
import dev.capstan.client.workqueue.WorkQueue;
import dev.capstan.controllers.ControllerContext;
import dev.capstan.model.meta.ObjectKey;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A fake API with real informers over it, and the pods, nodes and Services the endpoint controllers' tests use. */
public final class EndpointsFixtures implements AutoCloseable {
    public record RecordedEvent(String object, String type, String reason, String message) {}

    public final FakeApiClient api = new FakeApiClient();
    public final InformerFactory informers = new InformerFactory(api, Duration.ZERO);
    public final List<RecordedEvent> events = new CopyOnWriteArrayList<>();
    public final WorkQueue<ObjectKey> queue = WorkQueue.create("test");
    public final ControllerContext ctx = new ControllerContext(
            api,
            informers,
            (o, type, reason, message) ->
                    events.add(new RecordedEvent(ObjectKey.of(o).toString(), type, reason, message)),
            Clock.systemUTC());

    /** Starts the informers the controller asked for and waits until they have listed. */
    public void start() throws InterruptedException {
        informers.start();
        if (!informers.waitForSync(Duration.ofSeconds(10))) {
            throw new IllegalStateException("informers did not sync");
        }
    }

    /** Reconciles until the controller stops asking to look again soon (a cache catching up with its writes). */
    public static Result sync(Reconciler<ObjectKey> controller, ObjectKey key) throws Exception {
        for (int i = 0; i < 200; i++) {
            Result r = controller.reconcile(key);
            if (!(r instanceof Result.RequeueAfter after) || after.delay().toSeconds() >= 1) {
                return r;
            }
            Thread.sleep(after.delay().toMillis());
        }
        throw new AssertionError("cache never caught up for " + key);
    }

    /** Waits until {@code informer} has seen every write made so far. */
    public <T extends HasMetadata> void caughtUp(SharedInformer<T> informer, T written) {
        long rv = Long.parseLong(written.getMetadata().getResourceVersion());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !informer.lastResourceVersion().isEmpty()
                        && Long.parseLong(informer.lastResourceVersion()) >= rv);
    }

    public Pod create(Pod pod) {
        Pod created = api.resources(Kinds.PODS).create(pod);
        caughtUp(informers.informer(Kinds.PODS), created);
        return created;
    }

    public Service create(Service service) {
        Service created = api.resources(Kinds.SERVICES).create(service);
        caughtUp(informers.informer(Kinds.SERVICES), created);
        return created;
    }

    public void node(String name, String zone) {
        var node = api.resources(Kinds.NODES)
                .create(new NodeBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withLabels(zone == null ? Map.of() : Map.of("topology.kubernetes.io/zone", zone))
                        .endMetadata()
                        .build());
        caughtUp(informers.informer(Kinds.NODES), node);
    }

    /** A running pod labelled app=web on node-a with {@code ip}, Ready as given, its container port named http. */
    public static PodBuilder pod(String name, String ip, boolean ready) {
        return pod(name, ip, ready, 8080);
    }

    public static PodBuilder pod(String name, String ip, boolean ready, int httpPort) {
        ContainerPort http = new ContainerPort();
        http.setName("http");
        http.setContainerPort(httpPort);
        http.setProtocol("TCP");
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("default")
                .withLabels(Map.of("app", "web"))
                .endMetadata()
                .withNewSpec()
                .withNodeName("node-a")
                .withContainers(new ContainerBuilder()
                        .withName("c")
                        .withImage("img")
                        .withPorts(new ArrayList<>(List.of(http)))
                        .build())
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .withPodIP(ip)
                .addNewPodIP()
                .withIp(ip)
                .endPodIP()
                .addNewCondition()
                .withType("Ready")
                .withStatus(ready ? "True" : "False")
                .withLastTransitionTime("2026-01-01T00:00:00Z")
                .endCondition()
                .endStatus();
    }

    /** Service web (app=web) with ClusterIP 10.96.0.10, port http 80 → targetPort {@code target}. */
    public static ServiceBuilder service(String name, IntOrString target) {
        ServicePort port = new ServicePort();
        port.setName("http");
        port.setPort(80);
        port.setProtocol("TCP");
        port.setTargetPort(target);
        return new ServiceBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("default")
                .withLabels(Map.of("team", "a"))
                .endMetadata()
                .withNewSpec()
                .withSelector(Map.of("app", "web"))
                .withClusterIP("10.96.0.10")
                .withIpFamilies("IPv4")
                .withType("ClusterIP")
                .withPorts(new ArrayList<>(List.of(port)))
                .endSpec();
    }

    @Override
    public void close() {
        queue.close();
        informers.close();
    }
}
