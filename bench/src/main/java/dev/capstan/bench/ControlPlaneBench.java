package dev.capstan.bench;

import dev.capstan.client.ApiClient;
import dev.capstan.client.DeleteOptions;
import dev.capstan.client.Kinds;
import dev.capstan.client.ListOptions;
import dev.capstan.client.WatchEvent;
import dev.capstan.client.WatchStream;
import dev.capstan.model.json.KubeJson;
import dev.capstan.model.node.NodeConditions;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The control plane's figures (docs/benchmarks.md): scheduling throughput with many nodes and pods for plain pods,
 * required anti-affinity by hostname and topology spread by zone (as upstream's scheduler_perf: nodes created through
 * the API, {@code --init-pods} of the workload scheduled unmeasured, then the measured pods created while the scheduler
 * runs; {@code --init-pods=0} creates every pod before a cold scheduler starts; no kubelets); the time for a
 * Deployment's replicas to run on
 * simulated nodes; the scheduler's and controller manager's RSS idle and at scale.
 *
 * <p>{@code java -cp "bench/target/capstan-bench.jar:bench/target/lib/*" dev.capstan.bench.ControlPlaneBench
 * [--parts=schedule,deployment] [--nodes=5000] [--pods=10000] [--init-pods=1000] [--replicas=1000] [--sim-nodes=100]
 * [--scheduler-heap=512m] [--scheduler-opts="-XX:..."]
 * [--scenarios=plain,anti-affinity,zone-spread] [--jvms=one|separate] [--warm=true] [--restarted=true]}, from the checkout
 * with the apps built ({@code ./mvnw package -DskipTests}). The deployment part runs the scheduler and the controller
 * manager as {@code ./capstan up} does, in one JVM, or in a JVM each ({@code --jvms=separate}). It measures the first
 * burst of a new cluster (its JVMs fresh and recording their AOT caches); {@code --warm=true} measures one that runs: the
 * cluster is stopped and started again (from those caches) and a Deployment of as many replicas runs and is deleted,
 * unmeasured, before the measured one. In the scheduling part with {@code --init-pods=0}, {@code --warm=true} likewise
 * restarts the API server from its AOT cache and, before each measured round, runs the same round unmeasured (its
 * pods then deleted) with a scheduler that records an AOT cache; the measured scheduler starts cold from that cache,
 * as a scheduler restarted by {@code ./capstan up} does. {@code --restarted=true} measures the first burst of a cluster
 * restarted from its AOT caches, without the unmeasured Deployment.
 */
public final class ControlPlaneBench {
    private static final Path ROOT = Path.of("").toAbsolutePath();
    /** The scheduler's -Xmx in the scheduling part; ./capstan gives it 512m. */
    private static String schedulerHeap = "512m";
    /** More JVM options for the scheduler in the scheduling part (e.g. a flight recording). */
    private static List<String> schedulerOptions = List.of();

    private ControlPlaneBench() {}

    public static void main(String[] args) throws Exception {
        HarnessJvm.onClientCompiler(ControlPlaneBench.class, args);
        Map<String, String> options = BenchArgs.options(args);
        int nodes = Integer.parseInt(options.getOrDefault("nodes", "5000"));
        int pods = Integer.parseInt(options.getOrDefault("pods", "10000"));
        int replicas = Integer.parseInt(options.getOrDefault("replicas", "1000"));
        int simNodes = Integer.parseInt(options.getOrDefault("sim-nodes", "100"));
        int initPods = Integer.parseInt(options.getOrDefault("init-pods", "1000"));
        schedulerHeap = options.getOrDefault("scheduler-heap", "512m");
        String extra = options.getOrDefault("scheduler-opts", "").strip();
        schedulerOptions = extra.isEmpty() ? List.of() : List.of(extra.split("\\s+"));
        List<String> scenarios = List.of(options.getOrDefault("scenarios", "plain,anti-affinity,zone-spread")
                .split(","));
        List<String> parts =
                List.of(options.getOrDefault("parts", "schedule,deployment").split(","));
        boolean separateJvms = BenchArgs.separateJvms(options, "one");
        boolean warm = BenchArgs.flag(options, "warm");
        boolean restarted = BenchArgs.flag(options, "restarted");
        if (restarted && (warm || parts.contains("schedule"))) {
            throw new IllegalArgumentException("--restarted=true is for --parts=deployment without --warm=true");
        }
        if (warm && parts.contains("schedule") && initPods > 0) {
            throw new IllegalArgumentException("--warm=true in the scheduling part needs --init-pods=0 (init pods"
                    + " already warm the scheduler); or give --parts=deployment");
        }
        Machine.describe().forEach(System.out::println);
        System.out.println("date: " + Instant.now());
        Path work = Files.createTempDirectory("capstan-control-plane-bench");
        if (parts.contains("schedule")) {
            scheduling(work.resolve("schedule"), nodes, pods, initPods, scenarios, warm);
        }
        if (parts.contains("deployment")) {
            deployment(work.resolve("deployment"), simNodes, replicas, separateJvms, warm, restarted);
        }
        CapstanCluster.removeState(work); // on success only: a failed run keeps its logs
    }

    private static void scheduling(Path state, int nodes, int pods, int initPods, List<String> scenarios, boolean warm)
            throws Exception {
        try (CapstanCluster cluster = CapstanCluster.up(ROOT, state, true)) {
            ApiClient created = cluster.admin();
            long t0 = System.nanoTime();
            parallel(nodes, i -> createNode(created, i));
            System.out.printf("%d nodes created in %.1f s%n", nodes, seconds(t0));
            ApiClient api = created;
            if (warm) {
                cluster.restart();
                api = cluster.admin();
                System.out.println("warm: the API server restarted from its AOT cache");
            }
            for (String scenario : scenarios) {
                if (initPods > 0) {
                    scheduleWhileCreating(cluster, api, scenario, initPods, pods);
                } else {
                    Path schedulerCache = warm ? warmUpScheduling(cluster, api, scenario, pods) : null;
                    scheduleAllPending(cluster, api, scenario, pods, schedulerCache);
                }
            }
        }
    }

    /**
     * The measured round, unmeasured: {@code pods} pending pods bound by a scheduler that records an AOT cache on
     * exit, then deleted. Answers that cache.
     */
    private static Path warmUpScheduling(CapstanCluster cluster, ApiClient api, String scenario, int pods)
            throws Exception {
        long w0 = System.nanoTime();
        String ns = namespace(api, "bench-" + scenario + "-warm-up");
        parallel(pods, i -> api.resources(Kinds.PODS).create(BenchPods.pod(ns, scenario, i)));
        String rv = api.resources(Kinds.PODS).list(ns, ListOptions.ALL).resourceVersion();
        Path cache = cluster.state().resolve("bench-scheduler-" + scenario + ".aot");
        Process scheduler = startScheduler(cluster, "-XX:AOTCacheOutput=" + cache);
        BindTimes times;
        try {
            times = awaitBound(api, ns, rv, pods, Duration.ofMinutes(15));
        } finally {
            scheduler.destroy(); // a normal exit, which writes the cache
            scheduler.waitFor(2, TimeUnit.MINUTES);
        }
        if (times.count != pods || !Files.isRegularFile(cache)) {
            throw new IllegalStateException("the warm-up round bound " + times.count + " of " + pods + " pods"
                    + (Files.isRegularFile(cache) ? "" : " and its scheduler wrote no AOT cache"));
        }
        // gone at once: no kubelet confirms these pods' termination
        List<String> names = api.resources(Kinds.PODS).list(ns, ListOptions.ALL).items().stream()
                .map(p -> p.getMetadata().getName())
                .toList();
        parallel(
                names.size(),
                i -> api.resources(Kinds.PODS).delete(ns, names.get(i), DeleteOptions.DEFAULT.withGracePeriod(0)));
        int left = api.resources(Kinds.PODS).list(ns, ListOptions.ALL).items().size();
        if (left != 0) {
            throw new IllegalStateException(left + " warm-up pods were not deleted");
        }
        System.out.printf(
                "%s: warm-up round of %d pods bound and deleted in %.1f s, unmeasured%n", scenario, pods, seconds(w0));
        return cache;
    }

    /**
     * Upstream's scheduler_perf: the scheduler runs, {@code initPods} of the workload are scheduled first (not
     * measured: they warm the JIT and fill the caches), then the measured pods are created while it schedules.
     */
    private static void scheduleWhileCreating(
            CapstanCluster cluster, ApiClient api, String scenario, int initPods, int pods) throws Exception {
        Process scheduler = startScheduler(cluster);
        try {
            String init = namespace(api, "bench-" + scenario + "-init");
            String rv = api.resources(Kinds.PODS).list(init, ListOptions.ALL).resourceVersion();
            parallel(initPods, i -> api.resources(Kinds.PODS).create(BenchPods.pod(init, scenario, i)));
            BindTimes warm = awaitBound(api, init, rv, initPods, Duration.ofMinutes(10));
            System.out.printf("%s: %d init pods bound%n", scenario, warm.count);
            String ns = namespace(api, "bench-" + scenario);
            String from = api.resources(Kinds.PODS).list(ns, ListOptions.ALL).resourceVersion();
            CpuTicks cpu = CpuTicks.take(cluster, scheduler);
            long created = System.nanoTime();
            CompletableFuture<BindTimes> bound = CompletableFuture.supplyAsync(
                    () -> awaitBound(api, ns, from, pods, Duration.ofMinutes(15)),
                    Executors.newSingleThreadExecutor(
                            Thread.ofPlatform().daemon().factory()));
            parallel(pods, i -> api.resources(Kinds.PODS).create(BenchPods.pod(ns, scenario, i)));
            System.out.printf("%s: %d pods created in %.1f s while scheduling%n", scenario, pods, seconds(created));
            report(scenario, bound.get(), created, cpu.until(cluster, scheduler), scheduler);
        } finally {
            scheduler.destroy();
            scheduler.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Every measured pod created first, then a fresh scheduler started: a cold JVM facing a full queue, from {@code
     * schedulerCache} when not null.
     */
    private static void scheduleAllPending(
            CapstanCluster cluster, ApiClient api, String scenario, int pods, Path schedulerCache) throws Exception {
        String ns = namespace(api, "bench-" + scenario);
        long created = System.nanoTime();
        parallel(pods, i -> api.resources(Kinds.PODS).create(BenchPods.pod(ns, scenario, i)));
        System.out.printf("%s: %d pods created in %.1f s%n", scenario, pods, seconds(created));
        String rv = api.resources(Kinds.PODS).list(ns, ListOptions.ALL).resourceVersion();
        Process scheduler = schedulerCache == null
                ? startScheduler(cluster)
                : startScheduler(cluster, "-XX:AOTCache=" + schedulerCache);
        try {
            long started = System.nanoTime();
            CpuTicks cpu = CpuTicks.take(cluster, scheduler);
            BindTimes times = awaitBound(api, ns, rv, pods, Duration.ofMinutes(15));
            report(scenario, times, started, cpu.until(cluster, scheduler), scheduler);
        } finally {
            scheduler.destroy();
            scheduler.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static String namespace(ApiClient api, String name) {
        api.resources(Kinds.NAMESPACES)
                .create(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .build());
        return name;
    }

    private static void report(String scenario, BindTimes times, long since, String cpu, Process scheduler) {
        double window = (times.last - times.first) / 1e9;
        System.out.printf(
                "%s: %d pods bound; %.0f pods/s from the first binding to the last (%.1f s); %.1f s in all; scheduler"
                        + " RSS %s%n%s: CPU seconds %s%n",
                scenario,
                times.count,
                (times.count - 1) / window,
                window,
                (times.last - since) / 1e9,
                ProcessMemory.mib(ProcessMemory.rssKib(scheduler.pid())),
                scenario,
                cpu);
        // since the scheduler's start (its JVM start and initial lists included), the busiest threads first
        StringBuilder threads = new StringBuilder(scenario + ": scheduler CPU seconds by thread since its start:");
        ProcessCpu.ticksByThread(scheduler.pid()).entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(10)
                .forEach(e -> threads.append(String.format(" %s %.1f,", e.getKey(), e.getValue() / 100.0)));
        System.out.println(threads.substring(0, threads.length() - 1));
    }

    /** CPU ticks of the API server, its PostgreSQL, the scheduler and this harness at one moment. */
    private record CpuTicks(long api, long postgres, long scheduler, long harness) {
        static CpuTicks take(CapstanCluster cluster, Process scheduler) throws IOException {
            long apiPid = cluster.pid("apiserver");
            return new CpuTicks(
                    ProcessCpu.ticks(apiPid),
                    postgresTicks(apiPid),
                    ProcessCpu.ticks(scheduler.pid()),
                    ProcessCpu.ticks(ProcessHandle.current().pid()));
        }

        String until(CapstanCluster cluster, Process process) throws IOException {
            CpuTicks now = take(cluster, process);
            return String.format(
                    "API server %.1f, PostgreSQL %.1f, scheduler %.1f, harness %.1f",
                    (now.api - api) / 100.0,
                    (now.postgres - postgres) / 100.0,
                    (now.scheduler - scheduler) / 100.0,
                    (now.harness - harness) / 100.0);
        }
    }

    /** CPU ticks of the API server's PostgreSQL: every process below the API server's (backends that exited lost). */
    private static long postgresTicks(long apiPid) {
        long sum = 0;
        for (long child : ProcessMemory.children(apiPid)) {
            sum += ProcessCpu.ticks(child) + postgresTicks(child);
        }
        return sum;
    }

    private static void deployment(
            Path state, int simNodes, int replicas, boolean separateJvms, boolean warm, boolean restarted)
            throws Exception {
        System.out.println("scheduler and controller manager: " + (separateJvms ? "a JVM each" : "one JVM"));
        String[] upArgs = {"--simulated-nodes", Integer.toString(simNodes)};
        try (CapstanCluster cluster = CapstanCluster.up(ROOT, state, false, separateJvms, upArgs)) {
            ApiClient first = cluster.admin();
            awaitSimulatedNodes(first, simNodes);
            ApiClient api = warm
                    ? restartAndWarmUp(cluster, upArgs, simNodes, replicas)
                    : restarted ? restart(cluster, upArgs, simNodes) : first;
            Thread.sleep(15_000); // let start-up work settle before the idle sample
            System.out.printf(
                    "idle with %d simulated nodes%s: RSS %s%n",
                    simNodes, warm ? " (after the warm-up)" : "", rssByProcess(cluster, CONTROL_PLANE));
            String rv =
                    api.resources(Kinds.PODS).list("default", ListOptions.ALL).resourceVersion();
            // by process: the scheduler and the controller manager may share one
            Map<String, Long> processes = CapstanCluster.processes(
                    cluster.state(), List.of("apiserver", "scheduler", "controller-manager", "simulator"));
            processes.put("harness", ProcessHandle.current().pid()); // it shares the cores: its watch counts too
            Map<String, Long> ticks0 = new LinkedHashMap<>();
            for (var c : processes.entrySet()) {
                ticks0.put(c.getKey(), ProcessCpu.ticks(c.getValue()));
            }
            warmHarness();
            long t0 = System.nanoTime();
            api.resources(Kinds.DEPLOYMENTS).create(deployment(replicas));
            long running = awaitPods(api, "default", rv, replicas, p -> "Running".equals(p.phase()), t0);
            System.out.printf(
                    "%d replicas Running %.1f s after the Deployment was created%n", replicas, (running - t0) / 1e9);
            StringBuilder cpu = new StringBuilder("CPU seconds until then:");
            for (var c : processes.entrySet()) {
                cpu.append(String.format(
                        " %s %.1f", c.getKey(), (ProcessCpu.ticks(c.getValue()) - ticks0.get(c.getKey())) / 100.0));
            }
            System.out.println(cpu + " (PostgreSQL not counted)");
            await(
                    () -> api.resources(Kinds.DEPLOYMENTS)
                                    .get("default", "bench")
                                    .orElseThrow()
                                    .getStatus()
                                    .getAvailableReplicas()
                            == replicas,
                    Duration.ofMinutes(5));
            System.out.printf(
                    "Deployment available (status.availableReplicas=%d) %.1f s after it was created; RSS %s%n",
                    replicas, seconds(t0), rssByProcess(cluster, CONTROL_PLANE));
            Thread.sleep(30_000); // the burst is over: what the components keep once quiet
            System.out.printf("30 s later: RSS %s%n", rssByProcess(cluster, CONTROL_PLANE));
        }
    }

    /**
     * {@code --warm=true}: the cluster restarted from its AOT caches, then a Deployment of {@code replicas} run to every
     * pod Running and deleted, unmeasured. Answers a client of the restarted cluster.
     */
    private static ApiClient restartAndWarmUp(CapstanCluster cluster, String[] upArgs, int simNodes, int replicas)
            throws Exception {
        cluster.restart(upArgs);
        ApiClient api = cluster.admin();
        awaitSimulatedNodes(api, simNodes);
        long w0 = System.nanoTime();
        String from = api.resources(Kinds.PODS).list("default", ListOptions.ALL).resourceVersion();
        api.resources(Kinds.DEPLOYMENTS)
                .create(BenchPods.deployment("warm-up", replicas, BenchPods.template("warm-up")));
        awaitPods(api, "default", from, replicas, p -> "Running".equals(p.phase()), w0);
        api.resources(Kinds.DEPLOYMENTS).delete("default", "warm-up");
        ClusterBench.awaitNoPods(api, Duration.ofMinutes(5));
        System.out.printf(
                "warm: the cluster restarted from its AOT caches; a %d-replica Deployment ran and was deleted,"
                        + " unmeasured, in %.1f s%n",
                replicas, seconds(w0));
        return api;
    }

    /** {@code --restarted=true}: the cluster stopped and started again; answers a client of the restarted cluster. */
    private static ApiClient restart(CapstanCluster cluster, String[] upArgs, int simNodes) throws Exception {
        cluster.restart(upArgs);
        ApiClient api = cluster.admin();
        awaitSimulatedNodes(api, simNodes);
        System.out.println("restarted: the cluster's JVMs start from the AOT caches its first run recorded");
        return api;
    }

    private static void awaitSimulatedNodes(ApiClient api, int simNodes) throws InterruptedException {
        await(
                () -> api.resources(Kinds.NODES).list("", ListOptions.labels("type=simulated")).items().stream()
                                .filter(NodeConditions::isReady)
                                .count()
                        == simNodes,
                Duration.ofMinutes(3));
    }

    /**
     * The harness decodes every pod event it times, several thousand in the burst: its own first decodes, compiled by
     * its JIT while the cluster works, would otherwise lag every timestamp (the first pod was seen 1.9–2.7 s after the
     * create, where kubectl sees it after 0.6 s). So the harness's decoding is warmed before the clock starts, on a
     * pod as the simulator reports one, without touching the cluster.
     */
    private static void warmHarness() throws IOException {
        Pod running = new PodBuilder()
                .withNewMetadata()
                .withName("bench-0")
                .withNamespace("default")
                .withUid(UUID.randomUUID().toString())
                .withResourceVersion("1")
                .addToLabels("app", "bench")
                .endMetadata()
                .withSpec(BenchPods.template("bench").getSpec())
                .editSpec()
                .withNodeName("sim-0")
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .withPodIP("10.0.0.1")
                .withStartTime(Instant.now().toString())
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .addNewContainerStatus()
                .withName("c")
                .withReady(true)
                .withNewState()
                .withNewRunning()
                .withStartedAt(Instant.now().toString())
                .endRunning()
                .endState()
                .endContainerStatus()
                .endStatus()
                .build();
        byte[] json = KubeJson.MAPPER.writeValueAsBytes(running);
        var reader = KubeJson.typedReader(PodProgress.class);
        for (int i = 0; i < 5_000; i++) {
            PodProgress decoded = reader.readValue(json);
            if (!"Running".equals(decoded.phase())
                    || !"bench-0".equals(decoded.name())
                    || !"sim-0".equals(decoded.nodeName())) {
                throw new IllegalStateException("the warm-up pod does not decode as written");
            }
        }
        KubeJson.MAPPER.writeValueAsBytes(deployment(1));
    }

    private static final List<String> CONTROL_PLANE = List.of("scheduler", "controller-manager");

    private static String rssByProcess(CapstanCluster cluster, List<String> components) throws IOException {
        StringBuilder out = new StringBuilder();
        for (var p : CapstanCluster.processes(cluster.state(), components).entrySet()) {
            out.append(out.isEmpty() ? "" : ", ")
                    .append(p.getKey())
                    .append(' ')
                    .append(ProcessMemory.mib(ProcessMemory.rssKib(p.getValue())));
        }
        return out.toString();
    }

    private static Deployment deployment(int replicas) {
        return BenchPods.deployment("bench", replicas, BenchPods.template("bench"));
    }

    private static void createNode(ApiClient api, int i) {
        String name = String.format("bench-node-%05d", i);
        Node node = api.resources(Kinds.NODES)
                .create(new NodeBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .addToLabels("kubernetes.io/hostname", name)
                        .addToLabels("topology.kubernetes.io/zone", "zone-" + "abc".charAt(i % 3))
                        .addToLabels("type", "bench")
                        .endMetadata()
                        .build());
        Map<String, Quantity> capacity =
                Map.of("cpu", new Quantity("32"), "memory", new Quantity("256Gi"), "pods", new Quantity("110"));
        node.setStatus(new io.fabric8.kubernetes.api.model.NodeStatusBuilder()
                .withCapacity(capacity)
                .withAllocatable(capacity)
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .withReason("KubeletReady")
                .withMessage("kubelet is posting ready status")
                .endCondition()
                .build());
        api.resources(Kinds.NODES).updateStatus(node);
    }

    private static Process startScheduler(CapstanCluster cluster, String... jvmOptions) throws Exception {
        Path log = cluster.state().resolve("logs/bench-scheduler.log");
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + schedulerHeap,
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", // the client JIT ./capstan gives the components
                "-XX:+UseCompactObjectHeaders",
                // the memory settings ./capstan's start_component gives every component
                "-Xms16m",
                "-XX:MinHeapFreeRatio=10",
                "-XX:MaxHeapFreeRatio=30",
                "-XX:-ShrinkHeapInSteps",
                "-XX:TrimNativeHeapInterval=5000",
                "-Dquarkus.http.port=" + CapstanCluster.freePort(),
                "-Dcapstan.scheduler.api=127.0.0.1:" + cluster.grpcPort(),
                "-Dcapstan.scheduler.token-file=" + cluster.state().resolve("data/tokens/scheduler"),
                "-Dcapstan.scheduler.leader-election.enabled=false"));
        command.addAll(schedulerOptions);
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of(
                "-jar",
                ROOT.resolve("scheduler/target/quarkus-app/quarkus-run.jar").toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("MALLOC_ARENA_MAX", "2");
        return builder.redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    private record BindTimes(int count, long first, long last) {}

    /** Watches the namespace's pods from {@code rv} until {@code expected} have a node. */
    private static BindTimes awaitBound(ApiClient api, String ns, String rv, int expected, Duration limit) {
        Set<String> bound = new HashSet<>();
        long first = 0;
        long last = 0;
        long deadline = System.nanoTime() + limit.toNanos();
        String from = rv;
        while (bound.size() < expected && System.nanoTime() < deadline) {
            try (WatchStream<PodProgress> watch =
                    api.resources(PodProgress.KIND).watch(ns, ListOptions.ALL.withResourceVersion(from), true, 60)) {
                while (bound.size() < expected && watch.hasNext()) {
                    WatchEvent<PodProgress> event = watch.next();
                    from = event.resourceVersion();
                    if (event instanceof WatchEvent.Modified<PodProgress> m
                            && m.object().nodeName() != null
                            && bound.add(m.object().name())) {
                        last = System.nanoTime();
                        if (first == 0) {
                            first = last;
                        }
                    }
                }
            }
        }
        return new BindTimes(bound.size(), first, last);
    }

    /**
     * Watches the namespace's pods from {@code rv} until {@code expected} match; answers when the last did, and prints
     * when a quarter, half, three quarters and all of them were created, bound and matched (where the time goes).
     */
    private static long awaitPods(
            ApiClient api, String ns, String rv, int expected, Predicate<PodProgress> done, long t0) {
        Map<String, List<Long>> stages = new LinkedHashMap<>();
        List<Set<String>> seen = new java.util.ArrayList<>();
        for (String stage : List.of("created", "bound", "done")) {
            stages.put(stage, new java.util.ArrayList<>());
            seen.add(new HashSet<>());
        }
        Set<String> matched = seen.get(2);
        String from = rv;
        while (matched.size() < expected) {
            try (WatchStream<PodProgress> watch =
                    api.resources(PodProgress.KIND).watch(ns, ListOptions.ALL.withResourceVersion(from), true, 60)) {
                while (matched.size() < expected && watch.hasNext()) {
                    WatchEvent<PodProgress> event = watch.next();
                    from = event.resourceVersion();
                    PodProgress pod = switch (event) {
                        case WatchEvent.Added<PodProgress> a -> a.object();
                        case WatchEvent.Modified<PodProgress> m -> m.object();
                        default -> null;
                    };
                    if (pod == null) {
                        continue;
                    }
                    String name = pod.name();
                    long now = System.nanoTime();
                    if (seen.get(0).add(name)) {
                        stages.get("created").add(now);
                    }
                    if (pod.nodeName() != null && seen.get(1).add(name)) {
                        stages.get("bound").add(now);
                    }
                    if (done.test(pod) && matched.add(name)) {
                        stages.get("done").add(now);
                    }
                }
            }
        }
        stages.forEach((stage, times) -> {
            StringBuilder line = new StringBuilder(stage + ":");
            line.append(String.format(" first %.1f s", times.isEmpty() ? -1 : (times.get(0) - t0) / 1e9));
            for (int q = 1; q <= 4; q++) {
                int index = Math.min(times.size(), expected * q / 4) - 1;
                line.append(String.format(" %d%% %.1f s", q * 25, index < 0 ? -1 : (times.get(index) - t0) / 1e9));
            }
            System.out.println(line);
        });
        return System.nanoTime();
    }

    private interface Task {
        void run(int i) throws Exception;
    }

    /** Runs task(0..count-1) on virtual threads, 64 at a time. */
    private static void parallel(int count, Task task) throws InterruptedException {
        Semaphore slots = new Semaphore(64);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                int index = i;
                slots.acquire();
                executor.submit(() -> {
                    try {
                        task.run(index);
                    } catch (Exception e) {
                        System.err.println("task " + index + " failed: " + e.getMessage());
                    } finally {
                        slots.release();
                    }
                });
            }
        }
    }

    private static void await(java.util.function.BooleanSupplier condition, Duration limit)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not reached in " + limit);
            }
            Thread.sleep(500);
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
