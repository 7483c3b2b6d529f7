package dev.capstan.bench;

import dev.capstan.client.ApiClient;
import dev.capstan.client.Kinds;
import dev.capstan.client.ListOptions;
import dev.capstan.client.WatchEvent;
import dev.capstan.client.WatchStream;
import dev.capstan.model.node.NodeConditions;
import dev.capstan.model.pod.PodConditions;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The node agent's figures (docs/benchmarks.md, issue 10): pod startup latency on real containerd — from the create
 * call to the pod's Ready condition seen by a watch — for {@code --pods} pods created {@code --batch} at a time (each
 * batch once the one before is Ready, as upstream's pod startup SLO measures a node that is not saturated), the
 * agent's RSS idle and with the pods, and its CPU while the pods idle. Needs root and containerd (`./capstan up
 * --node`). The agent runs in a JVM of its own ({@code --jvms=separate}, so that its RSS and CPU are its own) or, as
 * {@code ./capstan up} runs it by default, in one JVM with the scheduler, controller manager and netproxy
 * ({@code --jvms=one}: the figures are then that JVM's).
 *
 * <p>By default the cluster is measured as a new user's first {@code ./capstan up} leaves it: its JVMs fresh and
 * recording their AOT caches. {@code --warm=N} measures it as it runs from then on: the cluster is stopped and started
 * again (its JVMs now start from those caches), and N batches are started and deleted, unmeasured, before the measured
 * ones (upstream measures pod startup on a cluster that is already running).
 *
 * <p>{@code java -cp "bench/target/capstan-bench.jar:bench/target/lib/*" dev.capstan.bench.NodeBench [--pods=50]
 * [--batch=10] [--cpu-window=30] [--jvms=separate|one] [--warm=N]}, from the checkout with the apps built.
 */
public final class NodeBench {
    private static final Path ROOT = Path.of("").toAbsolutePath();

    private NodeBench() {}

    public static void main(String[] args) throws Exception {
        HarnessJvm.onClientCompiler(NodeBench.class, args);
        Map<String, String> options = BenchArgs.options(args);
        int pods = Integer.parseInt(options.getOrDefault("pods", "50"));
        int batch = Integer.parseInt(options.getOrDefault("batch", "10"));
        int cpuWindow = Integer.parseInt(options.getOrDefault("cpu-window", "30"));
        int warmBatches = BenchArgs.count(options, "warm", 0);
        boolean separateJvms = BenchArgs.separateJvms(options, "separate");
        Machine.describe().forEach(System.out::println);
        System.out.println("date: " + Instant.now());
        System.out.println("node agent: " + (separateJvms ? "alone" : "in one JVM with the other components"));
        Path state = Files.createTempDirectory("capstan-node-bench");
        try (CapstanCluster cluster = CapstanCluster.up(ROOT, state, false, separateJvms, "--node")) {
            ApiClient api = cluster.admin();
            awaitNodeReady(api, Duration.ofMinutes(2));
            if (warmBatches > 0) {
                api = restartAndWarmUp(cluster, warmBatches, batch);
            }
            long agent = cluster.pid("node");
            Thread.sleep(15_000); // let start-up work settle before the idle sample
            System.out.printf(
                    "node agent idle%s: RSS %s%n",
                    warmBatches > 0 ? " (after the warm-up)" : "", ProcessMemory.mib(ProcessMemory.rssKib(agent)));

            Map<String, Long> processes = CapstanCluster.processes(
                    cluster.state(), List.of("apiserver", "scheduler", "controller-manager", "node", "netproxy"));
            // the harness too: it creates the pods and decodes every event of its watch on the same two cores
            processes = new LinkedHashMap<>(processes);
            processes.put("the harness", ProcessHandle.current().pid());
            Map<String, Long> cpuBefore = cpuTicks(processes);
            long machineBefore = ProcessCpu.machineBusyTicks();
            Map<String, Long> agentThreadsBefore = ProcessCpu.ticksByThread(agent);
            Map<String, Long> byName = startPods(api, "startup", pods, batch);
            StringBuilder threads = new StringBuilder("the agent's busiest threads then (CPU-seconds):");
            ProcessCpu.ticksByThread(agent).entrySet().stream()
                    .map(e -> Map.entry(e.getKey(), e.getValue() - agentThreadsBefore.getOrDefault(e.getKey(), 0L)))
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .limit(8)
                    .forEach(e -> threads.append(String.format(" %s %.2f,", e.getKey(), e.getValue() / 100.0)));
            System.out.println(threads.substring(0, threads.length() - 1));
            System.out.println("CPU-seconds while the pods started: " + cpuUsed(processes, cpuBefore) + ", the machine "
                    + String.format("%.2f", (ProcessCpu.machineBusyTicks() - machineBefore) / 100.0));
            List<String> batchMaxima = new ArrayList<>();
            for (int first = 0; first < pods; first += batch) {
                long max = 0;
                for (int i = first; i < Math.min(first + batch, pods); i++) {
                    max = Math.max(max, byName.get(name("startup", i)));
                }
                batchMaxima.add(Histogram.millis(max));
            }
            System.out.println("slowest pod of each batch (ms): " + String.join(", ", batchMaxima));
            List<Long> latencies = new ArrayList<>(byName.values());
            Collections.sort(latencies);
            System.out.printf(
                    "pod startup, create -> Ready seen by a watch, %d pods %d at a time: p50 %s, p90 %s, p99 %s, max"
                            + " %s%n",
                    pods,
                    batch,
                    Histogram.millis(percentile(latencies, 50)),
                    Histogram.millis(percentile(latencies, 90)),
                    Histogram.millis(percentile(latencies, 99)),
                    Histogram.millis(latencies.getLast()));

            Thread.sleep(10_000);
            long ticks = ProcessCpu.ticks(agent);
            long t0 = System.nanoTime();
            Thread.sleep(cpuWindow * 1000L);
            double cores = (ProcessCpu.ticks(agent) - ticks) / 100.0 / ((System.nanoTime() - t0) / 1e9);
            System.out.printf(
                    "node agent with %d idle pods: CPU %.2f %% of a core over %d s, RSS %s%n",
                    pods, cores * 100, cpuWindow, ProcessMemory.mib(ProcessMemory.rssKib(agent)));

            for (int i = 0; i < pods; i++) {
                api.resources(Kinds.PODS).delete("default", name("startup", i));
            }
            ClusterBench.awaitNoPods(api, Duration.ofMinutes(3));
            System.out.println("all pods deleted");
        }
        CapstanCluster.removeState(state); // on success only: a failed run keeps its logs
    }

    /**
     * {@code --warm=N}: the cluster restarted from its AOT caches, then N batches started and deleted, unmeasured.
     * Answers a client of the restarted cluster.
     */
    private static ApiClient restartAndWarmUp(CapstanCluster cluster, int warmBatches, int batch) throws Exception {
        cluster.restart("--node");
        ApiClient api = cluster.admin();
        awaitNodeReady(api, Duration.ofMinutes(2));
        long warmUp = System.nanoTime();
        int pods = warmBatches * batch;
        startPods(api, "warm-up", pods, batch);
        for (int i = 0; i < pods; i++) {
            api.resources(Kinds.PODS).delete("default", name("warm-up", i));
        }
        ClusterBench.awaitNoPods(api, Duration.ofMinutes(3));
        System.out.printf(
                "warm: the cluster restarted from its AOT caches, %d pods started and deleted unmeasured in %.1f s%n",
                pods, (System.nanoTime() - warmUp) / 1e9);
        return api;
    }

    private static String name(String prefix, int i) {
        return String.format("%s-%03d", prefix, i);
    }

    private static Pod pod(String prefix, int i) {
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace("default")
                .withName(name(prefix, i))
                .addToLabels("app", prefix)
                .endMetadata()
                .withSpec(BenchPods.localSleeper())
                .build();
    }

    private static Map<String, Long> cpuTicks(Map<String, Long> processes) {
        Map<String, Long> ticks = new LinkedHashMap<>();
        processes.forEach((name, pid) -> ticks.put(name, ProcessCpu.ticks(pid)));
        return ticks;
    }

    private static String cpuUsed(Map<String, Long> processes, Map<String, Long> before) {
        List<String> parts = new ArrayList<>();
        cpuTicks(processes)
                .forEach((name, ticks) ->
                        parts.add(String.format("%s %.2f", name, (ticks - before.get(name)) / 100.0)));
        return String.join(", ", parts);
    }

    /** Creates the pods batch by batch; answers each pod's create-to-Ready time in nanoseconds, by name. */
    private static Map<String, Long> startPods(ApiClient api, String prefix, int pods, int batch) throws Exception {
        Map<String, Long> created = new ConcurrentHashMap<>();
        Map<String, Long> ready = new ConcurrentHashMap<>();
        String rv = api.resources(Kinds.PODS).list("default", ListOptions.ALL).resourceVersion();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> watcher = executor.submit(() -> watchReady(api, rv, prefix, pods, ready));
            for (int first = 0; first < pods; first += batch) {
                List<Future<?>> creates = new ArrayList<>();
                int last = Math.min(first + batch, pods);
                for (int i = first; i < last; i++) {
                    int index = i;
                    creates.add(executor.submit(() -> {
                        created.put(name(prefix, index), System.nanoTime());
                        api.resources(Kinds.PODS).create(pod(prefix, index));
                    }));
                }
                for (Future<?> f : creates) {
                    f.get();
                }
                long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                while (ready.size() < last) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(
                                "only " + ready.size() + " of " + last + " pods Ready after 2 minutes");
                    }
                    Thread.sleep(10);
                }
            }
            watcher.get();
        }
        Map<String, Long> latencies = new HashMap<>();
        created.forEach((name, t) -> latencies.put(name, ready.get(name) - t));
        return latencies;
    }

    private static void watchReady(ApiClient api, String rv, String prefix, int expected, Map<String, Long> ready) {
        String from = rv;
        while (ready.size() < expected) {
            try (WatchStream<Pod> watch =
                    api.resources(Kinds.PODS).watch("default", ListOptions.ALL.withResourceVersion(from), true, 60)) {
                while (ready.size() < expected && watch.hasNext()) {
                    WatchEvent<Pod> event = watch.next();
                    from = event.resourceVersion();
                    if (event instanceof WatchEvent.Modified<Pod> m
                            && m.object().getMetadata().getName().startsWith(prefix + "-")
                            && PodConditions.isReady(m.object())) {
                        ready.putIfAbsent(m.object().getMetadata().getName(), System.nanoTime());
                    }
                }
            }
        }
    }

    private static long percentile(List<Long> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }

    private static void awaitNodeReady(ApiClient api, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (api.resources(Kinds.NODES).list("", ListOptions.ALL).items().stream()
                .noneMatch(NodeConditions::isReady)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no Ready node after " + limit);
            }
            Thread.sleep(200);
        }
    }
}
