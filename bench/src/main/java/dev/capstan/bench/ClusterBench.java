package dev.capstan.bench;

import dev.capstan.client.ApiClient;
import dev.capstan.client.Kinds;
import dev.capstan.client.ListOptions;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The single-machine cluster's figures (docs/benchmarks.md, issue 11): {@code ./capstan up} to node Ready, cold (a
 * fresh state directory, which also records the JDK AOT cache) and warm (the same directory again, after {@code
 * down}); the RSS of every process of the cluster idle when fresh (20 and 90 s after up), with {@code --pods} pods
 * of a Deployment running, and 60 s after they were deleted. Needs root, containerd and nftables, as {@code ./capstan up} does.
 *
 * <p>{@code java -cp "bench/target/capstan-bench.jar:bench/target/lib/*" dev.capstan.bench.ClusterBench [--pods=50]
 * [--jvms=one|separate]}, from the checkout with the apps built: the scheduler, controller manager, node agent and
 * netproxy in one JVM, as {@code ./capstan up} runs them, or in a JVM each ({@code CAPSTAN_SEPARATE_JVMS=1}).
 */
public final class ClusterBench {
    private static final Path ROOT = Path.of("").toAbsolutePath();

    private ClusterBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = BenchArgs.options(args);
        int pods = Integer.parseInt(options.getOrDefault("pods", "50"));
        boolean separate = BenchArgs.separateJvms(options, "one");
        Machine.describe().forEach(System.out::println);
        System.out.println("date: " + Instant.now());
        System.out.println("components: " + (separate ? "a JVM each" : "one JVM"));
        Path state = Files.createTempDirectory("capstan-cluster-bench");

        long t0 = System.nanoTime();
        CapstanCluster cluster = CapstanCluster.up(ROOT, state, false, separate);
        System.out.printf("./capstan up to node Ready, cold (fresh state, AOT cache recorded): %s%n", since(t0));
        cluster.close();
        t0 = System.nanoTime();
        cluster = CapstanCluster.up(ROOT, state, false, separate);
        System.out.printf("./capstan up to node Ready, warm (same state): %s%n", since(t0));

        try (CapstanCluster running = cluster) {
            ApiClient api = running.admin();
            // Idle twice: 20 s after up, while start-up's heap and connections are still held, and 90 s after, once
            // the API server's periodic collection (15 s without one) and the store's pool idle timeout (60 s) ran.
            Thread.sleep(20_000);
            report("idle, fresh (20 s after up)", state);
            Thread.sleep(70_000);
            report("idle, fresh (90 s after up)", state);

            api.resources(Kinds.DEPLOYMENTS).create(deployment(pods));
            awaitAvailable(api, pods, Duration.ofMinutes(5));
            Thread.sleep(10_000);
            report("with " + pods + " pods Running", state);

            api.resources(Kinds.DEPLOYMENTS).delete("default", "bench");
            awaitNoPods(api, Duration.ofMinutes(3));
            Thread.sleep(60_000);
            report("60 s after the " + pods + " pods were deleted", state);
        }
        CapstanCluster.removeState(state); // on success only: a failed run keeps its logs
    }

    private static String since(long t0) {
        return String.format("%.1f s", (System.nanoTime() - t0) / 1e9);
    }

    /**
     * RSS and Pss per component (Pss splits pages shared between processes, such as PostgreSQL's shared buffers and
     * the JDK's class data, so its total does not count them twice): every process whose command line names the state directory (the apps, containerd and its
     * shims) and their descendants (the embedded PostgreSQL's processes, the pods' processes are not counted: they
     * are the workload's), grouped by the component that started them.
     */
    private static void report(String when, Path state) throws Exception {
        report(when, state, ProcessMemory::rssKib, "RSS");
        report(when, state, ProcessMemory::pssKib, "Pss");
    }

    private static void report(String when, Path state, java.util.function.LongUnaryOperator memory, String what)
            throws Exception {
        Map<String, Long> byComponent = new TreeMap<>();
        var processes = CapstanCluster.processes(
                state, List.of("apiserver", "scheduler", "controller-manager", "node", "netproxy"));
        for (var entry : processes.entrySet()) {
            long pid = entry.getValue();
            String component = entry.getKey();
            byComponent.put(component, memory.applyAsLong(pid));
            if (component.equals("apiserver")) {
                long postgres = ProcessHandle.of(pid).stream()
                        .flatMap(ProcessHandle::descendants)
                        .mapToLong(p -> memory.applyAsLong(p.pid()))
                        .sum();
                byComponent.put("postgresql (embedded)", postgres);
            }
        }
        String socket = state.resolve("node/containerd/containerd.sock").toString();
        long containerd = ProcessHandle.allProcesses()
                .filter(p -> p.info()
                                .commandLine()
                                .orElse("")
                                .contains(state.resolve("node").toString())
                        || p.info().commandLine().orElse("").contains(socket))
                .filter(p -> p.info().command().orElse("").contains("containerd"))
                .mapToLong(p -> memory.applyAsLong(p.pid()))
                .sum();
        byComponent.put("containerd (+ shims)", containerd);
        long total = byComponent.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("%s %s: total %s%n", what, when, ProcessMemory.mib(total));
        byComponent.forEach((name, kib) -> System.out.printf("  %-24s %s%n", name, ProcessMemory.mib(kib)));
    }

    private static Deployment deployment(int replicas) {
        return BenchPods.deployment(
                "bench",
                replicas,
                new PodTemplateSpecBuilder()
                        .withNewMetadata()
                        .addToLabels("app", "bench")
                        .endMetadata()
                        .withSpec(BenchPods.localSleeper())
                        .build());
    }

    private static void awaitAvailable(ApiClient api, int replicas, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            var d = api.resources(Kinds.DEPLOYMENTS).get("default", "bench");
            Integer available = d.map(
                            x -> x.getStatus() == null ? null : x.getStatus().getAvailableReplicas())
                    .orElse(null);
            if (available != null && available >= replicas) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(available + " of " + replicas + " pods available after " + limit);
            }
            Thread.sleep(500);
        }
    }

    /** Waits until namespace default has no pods (each deleted pod confirmed by its node). */
    static void awaitNoPods(ApiClient api, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!api.resources(Kinds.PODS)
                .list("default", ListOptions.ALL)
                .items()
                .isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("pods left after " + limit);
            }
            Thread.sleep(500);
        }
    }
}
