package dev.capstan.api.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.ApiConfig;
import dev.capstan.api.ApiException;
import dev.capstan.api.Json;
import dev.capstan.api.admission.Admission;
import dev.capstan.api.admission.DefaultTolerationSeconds;
import dev.capstan.api.admission.NamespaceLifecycle;
import dev.capstan.api.admission.Priority;
import dev.capstan.api.auth.AuthenticatedAuthorizer;
import dev.capstan.api.auth.AuthenticatorChain;
import dev.capstan.api.auth.AuthorizerChain;
import dev.capstan.api.auth.Identities;
import dev.capstan.api.auth.TokenAuthenticator;
import dev.capstan.api.cache.WatchCache;
import dev.capstan.api.handlers.BodyDecoder;
import dev.capstan.api.handlers.RequestPipeline;
import dev.capstan.api.handlers.ResourceHandlers;
import dev.capstan.api.handlers.Subresources;
import dev.capstan.api.kubelet.KubeletClient;
import dev.capstan.api.liveness.EventLoopWatchdog;
import dev.capstan.api.liveness.MemoryGuard;
import dev.capstan.api.liveness.ProcessExit;
import dev.capstan.api.metrics.ApiMetrics;
import dev.capstan.api.namespaces.NamespaceDeleter;
import dev.capstan.api.namespaces.NamespaceFinalizer;
import dev.capstan.api.openapi.OpenApiDocuments;
import dev.capstan.api.registry.BuiltInResources;
import dev.capstan.api.registry.GenericStore;
import dev.capstan.api.registry.ResourceRegistry;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.core.AllocationRepair;
import dev.capstan.api.registry.core.ServiceAllocator;
import dev.capstan.api.request.RequestContext;
import dev.capstan.api.request.RequestInfo;
import dev.capstan.api.resourcemetrics.KubeletSource;
import dev.capstan.api.resourcemetrics.MetricsApi;
import dev.capstan.api.resourcemetrics.MetricsScraper;
import dev.capstan.api.resources.ListOptions;
import dev.capstan.api.resources.Lister;
import dev.capstan.api.security.AdminToken;
import dev.capstan.api.security.Kubeconfig;
import dev.capstan.api.security.Pki;
import dev.capstan.api.storage.ObjectStorage;
import dev.capstan.api.storage.RangeClaims;
import dev.capstan.api.watch.StoreWatcher;
import dev.capstan.api.watch.Watcher;
import dev.capstan.store.Store;
import dev.capstan.store.StoreConfig;
import dev.capstan.store.Stores;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.X509KeyManager;
import org.jboss.logging.Logger;

/**
 * Starts the API server: PKI and admin token, the store, the default namespaces, then the HTTPS listener.
 * The Kubernetes API has its own Vert.x server so that its port, certificates and streaming are Capstan's;
 * Quarkus's HTTP port carries only health.
 */
@ApplicationScoped
public class ApiServer {
    private static final Logger LOG = Logger.getLogger(ApiServer.class);
    /** How often the cluster IP and node port repair runs after the one at start (upstream: every 3 minutes). */
    private static final Duration REPAIR_INTERVAL = Duration.ofMinutes(3);
    /** After a failed repair (the store was away), the next one comes this soon instead of a whole interval later. */
    private static final Duration REPAIR_RETRY = Duration.ofSeconds(10);
    /** /readyz answers within this even when the store hangs. */
    private static final Duration READY_PROBE_TIMEOUT = Duration.ofSeconds(2);

    private static final List<String> DEFAULT_NAMESPACES =
            List.of("default", "kube-system", "kube-public", "kube-node-lease");

    private final Vertx vertx;
    private KubeletClient kubelets;
    private MetricsScraper resourceMetrics;
    private final ApiConfig config;
    private final StoreConfig storeConfig;
    // Quarkus 3.31's Prometheus extension provides only the simpleclient-based registry, deprecated upstream
    // in favour of the Prometheus 1.x client that later Quarkus versions ship; it is what scrapes here.
    @SuppressWarnings("deprecation")
    private final PrometheusMeterRegistry prometheus;

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private Store store;
    private WatchCache cache;
    private HttpServer server;
    private Components components;
    private NamespaceFinalizer finalizer;
    private ScheduledExecutorService repairs;
    private Path kubeconfig;
    private volatile boolean started;
    private MemoryGuard memory;
    private EventLoopWatchdog watchdog;

    @SuppressWarnings("deprecation")
    ApiServer(Vertx vertx, ApiConfig config, StoreConfig storeConfig, PrometheusMeterRegistry prometheus) {
        this.vertx = vertx;
        this.config = config;
        this.storeConfig = storeConfig;
        this.prometheus = prometheus;
    }

    void start(@Observes StartupEvent event) throws IOException {
        Path data = Path.of(config.dataDir()).toAbsolutePath();
        List<String> dns = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        for (String san : config.certificateSans()) {
            if (!san.equals("none")) {
                (san.matches("[0-9.:]+") ? ips : dns).add(san);
            }
        }
        long begin = System.nanoTime();
        var exit = ProcessExit.jvm(Duration.ofSeconds(10));
        memory = MemoryGuard.forJvm(exit);
        memory.install();
        watchdog = new EventLoopWatchdog(
                eventLoops(vertx), config.eventLoopUnreadyAfter(), config.eventLoopExitAfter(), exit, System::nanoTime);
        watchdog.start(config.eventLoopCheckInterval());
        Clock clock = Clock.systemUTC();
        Store[] opened = new Store[1];
        var ranges = new RangeClaims(() -> opened[0]);
        var allocator = new ServiceAllocator(ranges, config.serviceCidr(), config.nodePortRange(), clock);
        ResourceRegistry registry = BuiltInResources.registry(allocator, clock);
        // The certificates, the OpenAPI documents and PostgreSQL's start do not depend on each other: each takes
        // a few hundred milliseconds, so they run side by side.
        CompletableFuture<Pki> pkiLoaded = CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return Pki.ensure(data.resolve("pki"), dns, ips);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                executor);
        // Loading BoringSSL's native library takes a while too; the listener below would otherwise wait for it.
        CompletableFuture<Boolean> tlsLoaded =
                CompletableFuture.supplyAsync(OpenSSLEngineOptions::isAvailable, executor);
        CompletableFuture<OpenApiDocuments> openApiBuilt =
                CompletableFuture.supplyAsync(() -> OpenApi.documents(registry), executor);
        String token = AdminToken.ensure(data.resolve("admin-token"));
        var authenticators =
                new AuthenticatorChain(List.of(new TokenAuthenticator(Identities.ensureTokens(data, token))));
        var pipeline = new RequestPipeline(authenticators, new AuthorizerChain(List.of(new AuthenticatedAuthorizer())));

        store = Stores.open(vertx, storeConfig);
        opened[0] = store;
        long storeOpened = System.nanoTime();
        // Listing everything into the cache runs beside the rest of startup; /readyz waits for it.
        cache = new WatchCache(store, registry, config.watchCacheWindow(), config.watcherQueue());
        cache.start();
        var metrics = new ApiMetrics(prometheus);
        ObjectStorage storage = new ObjectStorage(store, metrics);
        ResourceType services = registry.find("", "v1", "services").orElseThrow();
        ResourceType namespaces = registry.find("", "v1", "namespaces").orElseThrow();
        ResourceType priorityClasses =
                registry.find("scheduling.k8s.io", "v1", "priorityclasses").orElseThrow();
        var lister = new Lister(storage, cache);
        // Upstream's default plugins that Capstan's loops rely on, in upstream's order.
        var admission = new Admission(List.of(
                new NamespaceLifecycle(namespaces, new CachedNamespaces(cache, storage, namespaces)),
                new DefaultTolerationSeconds(config.defaultTolerationSeconds()),
                new Priority(() -> lister.list(priorityClasses, null, ListOptions.all(priorityClasses))
                        .items())));
        var genericStore = new GenericStore(storage, admission, clock, cache::storedForm);
        RequestContext internal =
                RequestContext.internal(Identities.API_SERVER, RequestInfo.nonResource("/", "internal"));
        var deleter = new NamespaceDeleter(registry, genericStore, namespaces, internal, clock);
        finalizer = new NamespaceFinalizer(
                deleter,
                () -> lister.list(namespaces, null, ListOptions.all(namespaces)).items(),
                Duration.ofSeconds(1),
                clock);
        var repair = new AllocationRepair(storage, ranges, services, clock);
        // The default namespaces and the allocation repair run while the server gets ready to listen; it is
        // started only after both.
        CompletableFuture<Void> namespacesReady = CompletableFuture.runAsync(
                () -> {
                    createDefaultNamespaces(genericStore, namespaces, internal);
                    createSystemPriorityClasses(genericStore, priorityClasses, internal);
                    repair.runOnce();
                },
                executor);

        var openApi = await(openApiBuilt);
        // A resource registered while the server runs gets its schema published (custom resources, later).
        registry.onRegistered(type -> openApi.add(OpenApi.info(type)));
        Pki pki = await(pkiLoaded);
        var storeWatcher = new StoreWatcher(storage, lister, config.bookmarkInterval(), clock);
        var watcher = new Watcher(cache, storeWatcher, metrics, config.bookmarkInterval(), clock);
        var decoder = new BodyDecoder(openApi);
        var handlers = new ResourceHandlers(genericStore, lister, decoder, openApi);
        var subresources = new Subresources(genericStore, decoder, openApi, clock);
        kubelets = new KubeletClient(
                vertx,
                genericStore,
                registry.find("", "v1", "nodes").orElseThrow(),
                config.kubeletClientTokenFile()
                        .map(Path::of)
                        .orElse(data.resolve("tokens").resolve("kubelet-client")),
                config.kubeletConnectTimeout());
        var endpoints = new ResourceEndpoints(
                pipeline,
                handlers,
                subresources,
                watcher,
                config.maxWatchDuration(),
                clock,
                metrics,
                new KubeletProxy(genericStore, kubelets));
        resourceMetrics = MetricsScraper.withDefaults(new KubeletSource(kubelets, Duration.ofSeconds(10)), clock);
        var metricsApi = new MetricsApi(
                lister,
                registry.find("", "v1", "nodes").orElseThrow(),
                registry.find("", "v1", "pods").orElseThrow(),
                resourceMetrics,
                clock);
        components =
                new Components(registry, pipeline, handlers, subresources, watcher, openApi, config.maxWatchDuration());
        var handler = new ApiHandler(
                registry,
                openApi,
                endpoints,
                pipeline,
                config.maxBodyBytes(),
                config.bodyReadTimeout(),
                executor,
                memory,
                this::isReady,
                metrics,
                prometheus::scrape,
                new MetricsEndpoints(pipeline, metricsApi));
        var options = new HttpServerOptions()
                .setSsl(true)
                .setKeyCertOptions(KeyCertOptions.wrap(servingKey(pki)))
                .setSslEngineOptions(await(tlsLoaded) ? new OpenSSLEngineOptions() : new JdkSSLEngineOptions())
                .setCompressionSupported(true)
                .setHttp2ClearTextEnabled(false) // ConnectionGuard must see each connection open
                .setWebSocketSubProtocols(KubeletClient.STREAM_PROTOCOLS)
                .setMaxInitialLineLength(config.maxHeaderBytes())
                .setMaxHeaderSize(config.maxHeaderBytes());
        var guard = new ConnectionGuard(vertx, config.headerReadTimeout(), config.idleTimeout());
        server = vertx.createHttpServer(options)
                .connectionHandler(guard.onConnection())
                .requestHandler(guard.wrap(handler))
                .listen(config.port(), config.bindAddress())
                .toCompletionStage()
                .toCompletableFuture()
                .join();
        await(namespacesReady);
        if (config.namespaceCleanup()) {
            finalizer.start();
        }
        repairs = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());
        scheduleRepair(repair, REPAIR_INTERVAL);
        kubeconfig = data.resolveSibling("kubeconfig");
        Kubeconfig.write(kubeconfig, "https://127.0.0.1:" + server.actualPort(), pki.caCert(), token);
        started = true;
        LOG.infof(
                "Kubernetes API on https://%s:%d (TLS by %s); kubeconfig %s; started in %d ms (store opened after %d ms)",
                config.bindAddress(),
                server.actualPort(),
                OpenSSLEngineOptions.isAvailable() ? "BoringSSL" : "the JDK",
                kubeconfig,
                (System.nanoTime() - begin) / 1_000_000,
                (storeOpened - begin) / 1_000_000);
    }

    /**
     * One repair after {@code delay}, then the next: a failed one (the store was away) is tried again soon, and
     * whatever it throws, the next is scheduled (a periodic task that throws is never run again).
     */
    private void scheduleRepair(AllocationRepair repair, Duration delay) {
        repairs.schedule(
                () -> {
                    Duration next = REPAIR_RETRY;
                    try {
                        repair.runOnce();
                        next = REPAIR_INTERVAL;
                    } catch (RuntimeException e) {
                        LOG.warnf(
                                "allocation repair failed (%s); trying again in %d s",
                                e.getMessage(), REPAIR_RETRY.toSeconds());
                    } finally {
                        if (!repairs.isShutdown()) {
                            scheduleRepair(repair, next);
                        }
                    }
                },
                delay.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * Vert.x's event loops. Deprecated in Vert.x 4.5 with no public replacement yet (5.0 moves it to VertxInternal);
     * the watchdog needs every loop, not the one a new context happens to get.
     */
    @SuppressWarnings("deprecation")
    private static io.netty.channel.EventLoopGroup eventLoops(Vertx vertx) {
        return vertx.nettyEventLoopGroup();
    }

    private static <T> T await(CompletableFuture<T> step) throws IOException {
        try {
            return step.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /**
     * The serving key as a key manager: Vert.x's PEM options would store it in a PKCS12 keystore first, 20,000
     * password iterations at each start.
     */
    private static X509KeyManager servingKey(Pki pki) {
        try {
            return pki.servingKeyPair().serverKeyManager();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the serving certificate " + pki.serverCert(), e);
        }
    }

    private static void createDefaultNamespaces(GenericStore store, ResourceType namespaces, RequestContext ctx) {
        for (String name : DEFAULT_NAMESPACES) {
            ObjectNode ns = Json.object();
            ns.putObject("metadata").put("name", name);
            ensureExists(store, namespaces, ns, ctx);
        }
    }

    /** Upstream's built-in PriorityClasses, which the critical system pods name. */
    private static void createSystemPriorityClasses(GenericStore store, ResourceType classes, RequestContext ctx) {
        for (var entry : Map.of("system-node-critical", 2_000_001_000, "system-cluster-critical", 2_000_000_000)
                .entrySet()) {
            ObjectNode pc = Json.object();
            pc.putObject("metadata").put("name", entry.getKey());
            pc.put("value", entry.getValue());
            pc.put("description", "Used for system critical pods that must not be moved from their current node.");
            ensureExists(store, classes, pc, ctx);
        }
    }

    /** Creates {@code object} of {@code type} unless an object of its name exists. */
    private static void ensureExists(GenericStore store, ResourceType type, ObjectNode object, RequestContext ctx) {
        String name = object.path("metadata").path("name").asText();
        if (exists(store, type, name)) {
            // A read costs a query; a create would first load the whole validation path on the way to 409.
            return;
        }
        object.put("apiVersion", type.groupVersion()).put("kind", type.kind());
        try {
            store.create(ctx, type, null, object);
        } catch (ApiException e) {
            if (e.code() != 409) {
                throw e;
            }
        }
    }

    private static boolean exists(GenericStore store, ResourceType namespaces, String name) {
        try {
            store.get(namespaces, null, name);
            return true;
        } catch (ApiException e) {
            if (e.code() != 404) {
                throw e;
            }
            return false;
        }
    }

    void stop(@Observes ShutdownEvent event) {
        started = false;
        if (watchdog != null) {
            watchdog.close();
        }
        if (server != null) {
            server.close().toCompletionStage().toCompletableFuture().join();
        }
        executor.shutdownNow();
        if (resourceMetrics != null) {
            resourceMetrics.close();
        }
        if (kubelets != null) {
            kubelets.close();
        }
        if (finalizer != null) {
            finalizer.close();
        }
        if (repairs != null) {
            repairs.shutdownNow();
        }
        if (cache != null) {
            cache.close();
        }
        if (store != null) {
            store.close();
        }
    }

    /**
     * Ready when the listener is up, the watch cache has synced, every event loop runs its tasks, no
     * OutOfMemoryError is being dealt with, and the store answers within {@link #READY_PROBE_TIMEOUT} (false while
     * the embedded PostgreSQL is being restarted).
     */
    public boolean isReady() {
        if (!started || !cache.synced() || !watchdog.healthy() || !memory.healthy()) {
            return false;
        }
        Future<Long> probe;
        try {
            probe = executor.submit(store::currentRevision);
        } catch (RejectedExecutionException e) {
            return false; // stopping
        }
        try {
            probe.get(READY_PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            return false;
        } catch (TimeoutException e) {
            probe.cancel(true);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public int port() {
        return server.actualPort();
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    public Store store() {
        return store;
    }

    public WatchCache cache() {
        return cache;
    }

    /** What the internal gRPC API serves requests with: the same semantics as the REST API. */
    public Components components() {
        return components;
    }

    public record Components(
            ResourceRegistry registry,
            RequestPipeline pipeline,
            ResourceHandlers handlers,
            Subresources subresources,
            Watcher watcher,
            OpenApiDocuments openApi,
            java.time.Duration maxWatch) {}
}
