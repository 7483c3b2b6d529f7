package dev.capstan.node.app;

import dev.capstan.client.ApiClient;
import dev.capstan.client.ApiConnection;
import dev.capstan.client.GrpcApiClient;
import dev.capstan.client.Kinds;
import dev.capstan.client.ListOptions;
import dev.capstan.client.component.ComponentRuntime;
import dev.capstan.client.events.ApiEventRecorder;
import dev.capstan.client.informer.InformerFactory;
import dev.capstan.client.informer.SharedInformer;
import dev.capstan.model.node.NodeNames;
import dev.capstan.model.quantity.Quantity;
import dev.capstan.node.containerd.ContainerdConfig;
import dev.capstan.node.containerd.ContainerdProcess;
import dev.capstan.node.images.LocalImages;
import dev.capstan.node.logs.ContainerLogs;
import dev.capstan.node.logs.LogTarget;
import dev.capstan.node.network.CniConfig;
import dev.capstan.node.nodestatus.MachineInfo;
import dev.capstan.node.nodestatus.NodeStatusReporter;
import dev.capstan.node.pods.NodeContext;
import dev.capstan.node.pods.PodManager;
import dev.capstan.node.pods.PodVolumes;
import dev.capstan.node.runtime.ContainerRuntime;
import dev.capstan.node.runtime.ContainerRuntimeException;
import dev.capstan.node.runtime.ContainerState;
import dev.capstan.node.runtime.ContainerStatus;
import dev.capstan.node.runtime.cri.CriRuntime;
import dev.capstan.node.server.KubeletServer;
import dev.capstan.node.server.ServingCertificate;
import dev.capstan.node.stats.NodeUsage;
import dev.capstan.node.stats.ResourceMetricsHandler;
import dev.capstan.node.stats.ResourceStatsCollector;
import dev.capstan.node.streams.StreamingHandler;
import dev.capstan.node.volumes.SystemMounter;
import io.fabric8.kubernetes.api.model.Pod;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The node agent without its framework: containerd (its own, or a given socket), the local images, the Node with its
 * status and Lease, the pod network once the node has a pod CIDR, and the pod workers fed by an informer of the pods
 * bound to this node.
 */
public final class NodeAgent implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(NodeAgent.class);
    private static final Path IP_FORWARD = Path.of("/proc/sys/net/ipv4/ip_forward");

    private final NodeAgentConfig config;
    private final Vertx vertx;
    private final String nodeName;
    private final Path stateDir;
    private final Clock clock = Clock.systemUTC();
    private ContainerdProcess containerd;
    private ContainerRuntime runtime;
    private ApiConnection connection;
    private InformerFactory informers;
    private NodeStatusReporter status;
    private PodManager pods;
    private ApiEventRecorder events;
    private KubeletServer kubeletServer;
    private volatile boolean networkReady;
    private volatile boolean ready;

    /** @param vertx where the HTTPS endpoint runs */
    public NodeAgent(NodeAgentConfig config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
        this.nodeName = config.nodeName().orElseGet(NodeNames::thisMachine);
        this.stateDir = Path.of(config.stateDir()).toAbsolutePath();
    }

    public void start() throws InterruptedException {
        Path socket;
        if (config.containerd().equals("own")) {
            var cd = new ContainerdConfig(
                    stateDir.resolve("containerd"), LocalImages.PAUSE, ContainerdConfig.findCniBinDir(), 0);
            containerd = ContainerdProcess.adoptOrStart(cd, stateDir.resolve("containerd.pid"), Duration.ofSeconds(30));
            socket = containerd.socket();
        } else {
            socket = Path.of(config.containerd());
            if (!Files.exists(socket)) {
                throw new IllegalStateException("containerd's socket " + socket + " does not exist: start containerd,"
                        + " or set capstan.node.containerd=own to let the agent run its own");
            }
        }
        runtime = CriRuntime.connect(socket, CriRuntime.DEFAULT_CALL_TIMEOUT);
        var version = runtime.version();
        LocalImages.ensureImported(runtime, socket, stateDir.resolve("images"));

        connection = ApiConnection.connect(config.api(), Path.of(config.tokenFile()));
        ComponentRuntime.awaitApi("node agent", connection);
        ApiClient api = new GrpcApiClient(connection, "capstan-node");
        MachineInfo machine = MachineInfo.read(stateDir);
        var reserved = new NodeStatusReporter.Reserved(
                Quantity.parse(config.reservedCpu()).milliValue(),
                Quantity.parse(config.reservedMemory()).value());
        var context = new NodeContext(
                nodeName,
                machine.internalIp(),
                NodeContext.allocatable(
                        machine.cpus() * 1000L - reserved.milliCpu(), machine.memoryBytes() - reserved.memoryBytes()),
                stateDir.resolve("pods"),
                config.clusterDns().orElse(List.of()),
                config.clusterDomain(),
                () -> networkReady,
                config.allowPrivileged());
        events = new ApiEventRecorder(api, "kubelet", nodeName, clock);
        var volumes = new PodVolumes(
                api,
                stateDir.resolve("kubelet/pods"),
                context.allocatable(),
                new SystemMounter(),
                clock,
                config.syncFrequency());
        pods = new PodManager(runtime, api, context, volumes, events, clock);
        informers = new InformerFactory(api, Duration.ZERO);
        SharedInformer<Pod> podInformer =
                informers.informer(Kinds.PODS, "", ListOptions.fields("spec.nodeName=" + nodeName));
        pods.watch(podInformer);
        int kubeletPort = startKubeletServer(machine, podInformer);
        status = new NodeStatusReporter(
                api,
                nodeName,
                machine,
                reserved,
                version.runtimeName() + "://" + version.runtimeVersion(),
                clock,
                config.leaseRenewInterval(),
                config.statusReportInterval(),
                this::writePodNetwork,
                kubeletPort);
        status.start();
        informers.start();
        if (!informers.waitForSync(Duration.ofMinutes(2))) {
            throw new IllegalStateException("the pod informer did not sync within 2 minutes");
        }
        pods.start(podInformer);
        ready = true;
        LOG.infof("node %s is up (%s, %d cpus)", nodeName, version.runtimeVersion(), machine.cpus());
    }

    /**
     * The HTTPS endpoint (logs) on the kubelet's port, with the certificate made at the first start and the API
     * server's client token; answers the port it listens on.
     */
    private int startKubeletServer(MachineInfo machine, SharedInformer<Pod> podInformer) {
        Path tokenFile = Path.of(config.apiClientTokenFile());
        String token;
        try {
            token = Files.readString(tokenFile).strip();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot read the API server's client token " + tokenFile + " ("
                            + e.getMessage() + "): write a random token there (./capstan does), or set"
                            + " capstan.node.api-client-token-file",
                    e);
        }
        List<String> addresses = config.kubeletAddresses()
                .orElseGet(() -> machine.internalIp().equals("127.0.0.1")
                        ? List.of("127.0.0.1")
                        : List.of("127.0.0.1", machine.internalIp()));
        var certificate = ServingCertificate.ensure(stateDir.resolve("pki"), nodeName, List.of(machine.internalIp()));
        LogTarget.Pods known = new LogTarget.Pods() {
            @Override
            public Optional<Pod> pod(String namespace, String name) {
                return podInformer.cache().get(namespace, name);
            }

            @Override
            public List<ContainerStatus> attempts(Pod pod, String container) {
                return pods.attempts(pod.getMetadata().getUid(), container);
            }

            @Override
            public boolean running(String containerId) {
                try {
                    return runtime.containerStatus(containerId).state() == ContainerState.RUNNING;
                } catch (ContainerRuntimeException e) {
                    if (e.isNotFound()) {
                        return false;
                    }
                    throw e;
                }
            }
        };
        kubeletServer = new KubeletServer(
                vertx,
                addresses,
                config.kubeletPort(),
                certificate,
                token,
                known,
                new ContainerLogs(clock, Duration.ofMillis(100)),
                new StreamingHandler(
                        vertx,
                        runtime,
                        known,
                        pod -> pods.sandboxId(pod.getMetadata().getUid())));
        var stats = new ResourceStatsCollector(
                runtime,
                (namespace, name, uid) -> podInformer
                        .cache()
                        .get(namespace, name)
                        .filter(pod -> pod.getMetadata().getUid().equals(uid))
                        .isPresent(),
                new NodeUsage(Path.of("/proc"), clock));
        kubeletServer.route(ResourceMetricsHandler.PATH, new ResourceMetricsHandler(stats));
        return kubeletServer.start();
    }

    /** The CNI configuration for the node's pod CIDR; pods wait for it. */
    private void writePodNetwork(String podCidr) {
        Path before = stateDir.resolve("ip_forward.before");
        try {
            if (!Files.exists(before) && Files.exists(IP_FORWARD)) {
                // the bridge plugin's isGateway turns ip_forward on machine-wide: remember it to restore it
                Files.writeString(before, Files.readString(IP_FORWARD).strip());
            }
        } catch (IOException e) {
            LOG.warnf("cannot record ip_forward: %s", e.getMessage());
        }
        Path confDir = containerd != null ? containerd.config().cniConfDir() : stateDir.resolve("cni/net.d");
        new CniConfig("capstan", config.bridge(), podCidr, stateDir.resolve("cni/ipam")).writeTo(confDir);
        networkReady = true;
    }

    public boolean isReady() {
        return ready;
    }

    public String nodeName() {
        return nodeName;
    }

    @Override
    public void close() {
        ready = false;
        if (kubeletServer != null) {
            kubeletServer.close();
        }
        if (pods != null) {
            pods.close();
        }
        if (status != null) {
            status.close();
        }
        if (informers != null) {
            informers.close();
        }
        if (config.removePodsOnStop() && runtime != null) {
            try {
                pods.removeAllPods(Duration.ofSeconds(2));
            } catch (RuntimeException e) {
                LOG.warnf("could not remove every pod: %s", e.getMessage());
            }
        }
        if (runtime != null) {
            runtime.close();
        }
        if (events != null) {
            events.close();
        }
        if (connection != null) {
            connection.close();
        }
        if (config.removePodsOnStop()) {
            if (containerd != null) {
                containerd.close();
            }
            removePodNetwork();
        }
    }

    /** Deletes the bridge and restores ip_forward as it was before the first pod network. */
    private void removePodNetwork() {
        if (Files.exists(Path.of("/sys/class/net", config.bridge()))) {
            try {
                new ProcessBuilder("ip", "link", "delete", config.bridge())
                        .inheritIO()
                        .start()
                        .waitFor();
            } catch (IOException e) {
                LOG.warnf("cannot delete the bridge %s: %s", config.bridge(), e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Path before = stateDir.resolve("ip_forward.before");
        try {
            if (Files.exists(before)) {
                Files.writeString(IP_FORWARD, Files.readString(before).strip());
                Files.delete(before);
            }
        } catch (IOException e) {
            LOG.warnf("cannot restore ip_forward: %s", e.getMessage());
        }
    }
}
