package dev.capstan.scheduler;

import dev.capstan.scheduler.core.FailureHandler;
import dev.capstan.scheduler.core.PreemptionActions;
import dev.capstan.scheduler.core.Scheduler;
import dev.capstan.scheduler.core.SchedulingFailure;
import dev.capstan.scheduler.framework.WorkloadListers;
import dev.capstan.scheduler.plugins.InTreePlugins;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Not a test: a harness with a main that schedules 10,000 pods onto 5,000 nodes (zones a/b/c) through the real
 * Scheduler, cache, queue and default profile, with a Binder that confirms each binding at once through the informer
 * entry point (as the informer's update would), and prints pods/s for (a) plain pods, (b) required anti-affinity by
 * hostname (groups of 10 replicas), (c) a DoNotSchedule topology spread by zone (groups of 10, maxSkew 1), (d) pods of
 * 1,000 ReplicaSets of 10 without constraints of their own, spread by the system-default constraints. It prints
 * wall-clock pods/s and pods per CPU-second of the scheduling thread, the latter being meaningful on a shared machine.
 *
 * <p>Run: {@code java -cp scheduler/target/classes:scheduler/target/test-classes:$(cat /tmp/sched.cp)
 * dev.capstan.scheduler.SchedulerThroughput [nodes] [pods]}
 */
public final class SchedulerThroughput {
    private SchedulerThroughput() {}

    public static void main(String[] args) throws InterruptedException {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int pods = args.length > 1 ? Integer.parseInt(args[1]) : 10000;
        run("warm-up (plain)", nodes, pods / 5, i -> base(i).build());
        run("plain", nodes, pods, i -> base(i).build());
        run(
                "anti-affinity by hostname",
                nodes,
                pods,
                i -> base(i).label("app", "g" + (i / 10))
                        .antiAffinity("kubernetes.io/hostname", "app", "g" + (i / 10))
                        .build());
        run(
                "topology spread by zone",
                nodes,
                pods,
                i -> base(i).label("app", "g" + (i / 10))
                        .spread(1, "topology.kubernetes.io/zone", "DoNotSchedule", "app", "g" + (i / 10))
                        .build());
        Workloads replicaSets = new Workloads();
        for (int g = 0; g < pods / 10; g++) {
            replicaSets.replicaSet("g" + g, java.util.Map.of("app", "g" + g));
        }
        run(
                "default spreading (RS)",
                nodes,
                pods,
                replicaSets,
                i -> Workloads.ownedBy(
                        base(i).label("app", "g" + (i / 10)).build(), "apps/v1", "ReplicaSet", "g" + (i / 10)));
    }

    private static Fixtures.PodSpec base(int i) {
        return Fixtures.pod("p" + i).cpu("100m").memory("128Mi");
    }

    static void run(String name, int numNodes, int numPods, IntFunction<Pod> podFactory) throws InterruptedException {
        run(name, numNodes, numPods, WorkloadListers.NONE, podFactory);
    }

    static void run(String name, int numNodes, int numPods, WorkloadListers listers, IntFunction<Pod> podFactory)
            throws InterruptedException {
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger bound = new AtomicInteger();
        Scheduler[] holder = new Scheduler[1];
        Scheduler s = Scheduler.builder()
                .profiles(List.of(InTreePlugins.defaultProfile()))
                .registry(InTreePlugins.registry())
                .workloadListers(listers)
                .binder((pod, node) -> {
                    bound.incrementAndGet();
                    holder[0].handlers().onPodUpdate(pod, boundCopy(pod, node));
                    return CompletableFuture.completedFuture(null);
                })
                .failureHandler(new FailureHandler() {
                    @Override
                    public void failed(Pod pod, SchedulingFailure failure) {
                        failed.incrementAndGet();
                    }

                    @Override
                    public void scheduled(Pod pod, String nodeName, String message) {}
                })
                .preemptionActions(new PreemptionActions() {
                    @Override
                    public void evict(Pod victim, String message, String eventMessage) {}

                    @Override
                    public void clearNominatedNodeName(Pod pod) {}
                })
                .build();
        holder[0] = s;
        String[] zones = {"a", "b", "c"};
        for (int i = 0; i < numNodes; i++) {
            s.handlers()
                    .onNodeAdd(Fixtures.node("n" + i)
                            .cpu("16")
                            .memory("64Gi")
                            .zone(zones[i % 3])
                            .build());
        }
        List<Pod> created = new ArrayList<>(numPods);
        for (int i = 0; i < numPods; i++) {
            created.add(podFactory.apply(i));
        }
        created.forEach(s.handlers()::onPodAdd);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        while (s.scheduleNext(0, TimeUnit.MILLISECONDS)) {
            // schedule until the active queue is empty; binding confirms on this thread
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        System.out.printf(
                "%-26s %5d nodes %6d pods: bound %6d, failed %4d; wall %6.2f s = %6.0f pods/s;"
                        + " scheduling-thread CPU %6.2f s = %6.0f pods/CPU-s%n",
                name,
                numNodes,
                numPods,
                bound.get(),
                failed.get(),
                seconds,
                bound.get() / seconds,
                cpuSeconds,
                bound.get() / cpuSeconds);
    }

    /** The pod as the informer delivers it after binding: spec.nodeName set (a shallow copy, the rest shared). */
    static Pod boundCopy(Pod pod, String node) {
        PodSpec spec = pod.getSpec();
        PodSpec copy = new PodSpec();
        copy.setContainers(spec.getContainers());
        copy.setInitContainers(spec.getInitContainers());
        copy.setAffinity(spec.getAffinity());
        copy.setTolerations(spec.getTolerations());
        copy.setTopologySpreadConstraints(spec.getTopologySpreadConstraints());
        copy.setSchedulingGates(spec.getSchedulingGates());
        copy.setPriority(spec.getPriority());
        copy.setNodeSelector(spec.getNodeSelector());
        copy.setSchedulerName(spec.getSchedulerName());
        copy.setOverhead(spec.getOverhead());
        copy.setNodeName(node);
        return new Pod(pod.getApiVersion(), pod.getKind(), pod.getMetadata(), copy, pod.getStatus());
    }
}
