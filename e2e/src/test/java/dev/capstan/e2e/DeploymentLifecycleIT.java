package dev.capstan.e2e;

import static dev.capstan.e2e.Workloads.activePods;
import static dev.capstan.e2e.Workloads.awaitRolledOut;
import static dev.capstan.e2e.Workloads.deployment;
import static dev.capstan.e2e.Workloads.getDeployment;
import static dev.capstan.e2e.Workloads.pods;
import static dev.capstan.e2e.Workloads.replicaSets;
import static dev.capstan.e2e.Workloads.within;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.client.ApiClient;
import dev.capstan.client.DeleteOptions;
import dev.capstan.client.Kinds;
import dev.capstan.client.ListOptions;
import dev.capstan.client.PatchType;
import dev.capstan.client.WatchEvent;
import dev.capstan.client.WatchStream;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Deployment's life against {@code ./capstan up --simulated-nodes 3}: scheduled and running, rolled within its
 * surge and unavailability bounds, undone onto its old ReplicaSet, and deleted with each propagation policy.
 */
class DeploymentLifecycleIT {
    private static final Duration ROLLOUT = Duration.ofSeconds(90);
    private static final String REVISION = "deployment.kubernetes.io/revision";
    /** A finalizer of this test's own: holds the pods that carry it after their deletion, until the test lets go. */
    private static final String HOLD = "e2e.capstan.dev/hold";

    @TempDir
    static Path tmp;

    private static Cluster cluster;
    private static ApiClient api;
    private String ns;

    @BeforeAll
    static void up() throws Exception {
        cluster = Cluster.up(tmp, "--simulated-nodes", "3");
        api = cluster.admin();
        within(Duration.ofSeconds(60))
                .until(() -> api.resources(Kinds.NODES).list("", ListOptions.labels("type=simulated")).items().stream()
                                .filter(n -> Workloads.nodeCondition(n, "Ready").equals("True"))
                                .count()
                        == 3);
    }

    @AfterAll
    static void down() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void namespace(TestInfo test) {
        ns = Workloads.namespace(api, "deploy");
        System.out.printf("%s runs in namespace %s%n", test.getDisplayName(), ns);
    }

    @AfterEach
    void deleteNamespace() {
        Workloads.deleteNamespace(api, ns);
    }

    @Test
    void threeReplicasRunSpreadOverTheNodes() {
        // No requests: the default 100m and 200Mi score 99 on every 32-cpu node, so resource scores tie and only the
        // scheduler's default topology spread constraints (hostname and zone, ScheduleAnyway) spread them
        api.resources(Kinds.DEPLOYMENTS).create(deployment(ns, "web", 3));
        awaitRolledOut(api, ns, "web", ROLLOUT);

        List<Pod> pods = activePods(api, ns, "web");
        assertThat(pods)
                .hasSize(3)
                .allSatisfy(p -> assertThat(Workloads.running(p))
                        .as("%s runs", p.getMetadata().getName())
                        .isTrue());
        Set<String> nodes = pods.stream().map(Workloads::nodeName).collect(Collectors.toSet());
        assertThat(nodes).allSatisfy(n -> assertThat(n).startsWith("sim-node-")).hasSize(3);
    }

    @Test
    void rollingUpdateStaysWithinMaxSurgeAndMaxUnavailable() throws Exception {
        int replicas = 4;
        int maxSurge = 1;
        int maxUnavailable = 1;
        Deployment d = deployment(ns, "roll", replicas);
        d.getSpec()
                .setStrategy(new DeploymentStrategyBuilder()
                        .withType("RollingUpdate")
                        .withNewRollingUpdate()
                        .withMaxSurge(new IntOrString(maxSurge))
                        .withMaxUnavailable(new IntOrString(maxUnavailable))
                        .endRollingUpdate()
                        .build());
        api.resources(Kinds.DEPLOYMENTS).create(d);
        awaitRolledOut(api, ns, "roll", ROLLOUT);

        // Every watch event of the Deployment's pods, from the revision of a list: the pods as they are after it
        var list = api.resources(Kinds.PODS).list(ns, ListOptions.labels("app=roll"));
        Map<String, Pod> state = new ConcurrentHashMap<>();
        list.items().forEach(p -> state.put(p.getMetadata().getName(), p));
        List<String> violations = new ArrayList<>();
        AtomicInteger events = new AtomicInteger();
        AtomicInteger maxActive = new AtomicInteger();
        AtomicInteger minReady = new AtomicInteger(Integer.MAX_VALUE);
        WatchStream<Pod> watch = api.resources(Kinds.PODS)
                .watch(ns, ListOptions.labels("app=roll").withResourceVersion(list.resourceVersion()), false, 300);
        // the ReplicaSets' replicas beside, for the failure message
        List<Traced> trace = java.util.Collections.synchronizedList(new ArrayList<>());
        var rsList = api.resources(Kinds.REPLICA_SETS).list(ns, ListOptions.ALL);
        WatchStream<ReplicaSet> rsWatch = api.resources(Kinds.REPLICA_SETS)
                .watch(ns, ListOptions.ALL.withResourceVersion(rsList.resourceVersion()), false, 300);
        Thread rsWatcher = Thread.ofVirtual().start(() -> {
            try {
                while (rsWatch.hasNext()) {
                    if (rsWatch.next() instanceof WatchEvent.Modified<ReplicaSet> m) {
                        ReplicaSet rs = m.object();
                        trace.add(new Traced(
                                Long.parseLong(m.resourceVersion()),
                                "ReplicaSet " + rs.getMetadata().getName() + " generation "
                                        + rs.getMetadata().getGeneration() + " spec "
                                        + rs.getSpec().getReplicas()
                                        + " status " + rs.getStatus().getReplicas() + "/"
                                        + rs.getStatus().getAvailableReplicas() + " observed "
                                        + rs.getStatus().getObservedGeneration() + " written by "
                                        + lastWriter(rs)));
                    }
                }
            } catch (RuntimeException e) {
                // closed by the test
            }
        });
        Thread watcher = Thread.ofVirtual().start(() -> {
            try {
                while (watch.hasNext()) {
                    WatchEvent<Pod> event = watch.next();
                    switch (event) {
                        case WatchEvent.Added<Pod> a ->
                            state.put(a.object().getMetadata().getName(), a.object());
                        case WatchEvent.Modified<Pod> m ->
                            state.put(m.object().getMetadata().getName(), m.object());
                        case WatchEvent.Deleted<Pod> x ->
                            state.remove(x.object().getMetadata().getName());
                        case WatchEvent.Bookmark<Pod> b -> {
                            continue;
                        }
                    }
                    events.incrementAndGet();
                    Pod changed = switch (event) {
                        case WatchEvent.Added<Pod> a -> a.object();
                        case WatchEvent.Modified<Pod> m -> m.object();
                        case WatchEvent.Deleted<Pod> x -> x.object();
                        case WatchEvent.Bookmark<Pod> b -> throw new IllegalStateException();
                    };
                    trace.add(new Traced(
                            Long.parseLong(event.resourceVersion()),
                            event.getClass().getSimpleName() + " pod "
                                    + changed.getMetadata().getName()
                                    + (Workloads.ready(changed) ? " ready" : " unready")
                                    + (Workloads.terminating(changed) ? " terminating" : "")));
                    List<Pod> active = state.values().stream()
                            .filter(p -> !Workloads.terminating(p))
                            .toList();
                    long ready = active.stream().filter(Workloads::ready).count();
                    maxActive.accumulateAndGet(active.size(), Math::max);
                    minReady.accumulateAndGet((int) ready, Math::min);
                    if (active.size() > replicas + maxSurge || ready < replicas - maxUnavailable) {
                        synchronized (violations) {
                            violations.add("at revision " + event.resourceVersion() + ": " + active.size()
                                    + " pods, " + ready + " ready: "
                                    + active.stream()
                                            .map(p -> p.getMetadata().getName() + (Workloads.ready(p) ? "+" : "-"))
                                            .toList());
                        }
                    }
                }
            } catch (RuntimeException e) {
                // closed by the test
            }
        });
        try {
            Deployment current = getDeployment(api, ns, "roll");
            current.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("busybox:1.37");
            api.resources(Kinds.DEPLOYMENTS).update(current);
            within(ROLLOUT)
                    .until(() -> Workloads.rolledOut(api, ns, "roll")
                            && activePods(api, ns, "roll").stream()
                                    .allMatch(p -> Workloads.running(p)
                                            && p.getSpec()
                                                    .getContainers()
                                                    .get(0)
                                                    .getImage()
                                                    .equals("busybox:1.37"))
                            && pods(api, ns, "roll").size() == replicas);
            // the last events reach the watcher
            within(Duration.ofSeconds(10)).until(() -> state.size() == replicas);
        } finally {
            watch.close();
            rsWatch.close();
            watcher.join(Duration.ofSeconds(10));
            rsWatcher.join(Duration.ofSeconds(10));
        }
        System.out.printf(
                "rolling update: %d pod events, at most %d pods, at least %d ready%n",
                events.get(), maxActive.get(), minReady.get());
        // four pods replaced: at least one create, ready and delete each, so the check saw the rollout
        assertThat(events.get()).isGreaterThanOrEqualTo(3 * replicas);
        synchronized (violations) {
            assertThat(violations)
                    .as(
                            "events where more than %d pods existed or fewer than %d were ready; the events:%n%s",
                            replicas + maxSurge, replicas - maxUnavailable, traceText(trace))
                    .isEmpty();
        }
    }

    @Test
    void undoWritesThePreviousTemplateBackAndReusesItsReplicaSet() {
        api.resources(Kinds.DEPLOYMENTS).create(deployment(ns, "undo", 2));
        awaitRolledOut(api, ns, "undo", ROLLOUT);
        ReplicaSet first = replicaSets(api, ns).getFirst();
        assertThat(first.getMetadata().getAnnotations()).containsEntry(REVISION, "1");

        Deployment d = getDeployment(api, ns, "undo");
        d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("busybox:1.37");
        api.resources(Kinds.DEPLOYMENTS).update(d);
        within(ROLLOUT).until(() -> replicaSets(api, ns).size() == 2 && Workloads.rolledOut(api, ns, "undo"));

        // kubectl rollout undo: the template of the ReplicaSet of the previous revision without its
        // pod-template-hash label, written into the Deployment
        ReplicaSet previous = api.resources(Kinds.REPLICA_SETS)
                .get(ns, first.getMetadata().getName())
                .orElseThrow();
        PodTemplateSpec template = previous.getSpec().getTemplate();
        template.getMetadata().getLabels().remove("pod-template-hash");
        Deployment back = getDeployment(api, ns, "undo");
        back.getSpec().setTemplate(template);
        api.resources(Kinds.DEPLOYMENTS).update(back);

        awaitRolledOut(api, ns, "undo", ROLLOUT);
        assertThat(getDeployment(api, ns, "undo")
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage())
                .isEqualTo(Workloads.IMAGE);
        assertThat(getDeployment(api, ns, "undo").getMetadata().getAnnotations())
                .containsEntry(REVISION, "3");
        List<ReplicaSet> sets = replicaSets(api, ns);
        assertThat(sets).as("no third ReplicaSet").hasSize(2);
        ReplicaSet reused = sets.stream()
                .filter(rs ->
                        rs.getMetadata().getUid().equals(first.getMetadata().getUid()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the first ReplicaSet is gone: " + sets));
        assertThat(reused.getSpec().getReplicas()).isEqualTo(2);
        assertThat(reused.getMetadata().getAnnotations()).containsEntry(REVISION, "3");
        assertThat(sets)
                .filteredOn(rs ->
                        !rs.getMetadata().getUid().equals(first.getMetadata().getUid()))
                .singleElement()
                .satisfies(rs -> assertThat(rs.getSpec().getReplicas()).isZero());
        assertThat(activePods(api, ns, "undo"))
                .hasSize(2)
                .allSatisfy(p -> assertThat(p.getMetadata().getLabels())
                        .containsEntry(
                                "pod-template-hash",
                                first.getMetadata().getLabels().get("pod-template-hash")));
    }

    @Test
    void backgroundDeletionRemovesReplicaSetsAndPods() {
        api.resources(Kinds.DEPLOYMENTS).create(deployment(ns, "bg", 3));
        awaitRolledOut(api, ns, "bg", ROLLOUT);
        assertThat(replicaSets(api, ns)).hasSize(1);

        api.resources(Kinds.DEPLOYMENTS).delete(ns, "bg", DeleteOptions.propagation("Background"));
        assertThat(api.resources(Kinds.DEPLOYMENTS).get(ns, "bg")).isEmpty();
        within(Duration.ofSeconds(60))
                .alias("the garbage collector removed the ReplicaSet and its pods")
                .until(() ->
                        replicaSets(api, ns).isEmpty() && pods(api, ns, "bg").isEmpty());
    }

    @Test
    void foregroundDeletionKeepsTheDeploymentUntilItsDependentsAreGone() {
        Deployment d = deployment(ns, "fg", 2);
        d.getSpec().getTemplate().getMetadata().setFinalizers(List.of(HOLD));
        api.resources(Kinds.DEPLOYMENTS).create(d);
        try {
            awaitRolledOut(api, ns, "fg", ROLLOUT);

            api.resources(Kinds.DEPLOYMENTS).delete(ns, "fg", DeleteOptions.propagation("Foreground"));
            Deployment deleting = getDeployment(api, ns, "fg");
            assertThat(deleting.getMetadata().getDeletionTimestamp()).isNotNull();
            assertThat(deleting.getMetadata().getFinalizers()).contains("foregroundDeletion");

            // The pods are deleted, but held by the test's finalizer: their ReplicaSet and the Deployment stay
            within(Duration.ofSeconds(60))
                    .alias("the garbage collector deleted the pods")
                    .until(() -> pods(api, ns, "fg").size() == 2
                            && pods(api, ns, "fg").stream().allMatch(Workloads::terminating));
            within(Duration.ofSeconds(5))
                    .during(Duration.ofSeconds(3))
                    .until(() -> api.resources(Kinds.DEPLOYMENTS).get(ns, "fg").isPresent()
                            && replicaSets(api, ns).size() == 1);
        } finally {
            release(ns, "fg");
        }
        within(Duration.ofSeconds(60))
                .alias("the Deployment is gone once its dependents are")
                .until(() -> api.resources(Kinds.DEPLOYMENTS).get(ns, "fg").isEmpty());
        // read after the Deployment was seen gone: its dependents went first
        assertThat(replicaSets(api, ns)).isEmpty();
        assertThat(pods(api, ns, "fg")).isEmpty();
    }

    @Test
    void orphanDeletionLeavesReplicaSetsAndPodsWithoutTheOwner() {
        api.resources(Kinds.DEPLOYMENTS).create(deployment(ns, "orphan", 2));
        awaitRolledOut(api, ns, "orphan", ROLLOUT);
        String uid = getDeployment(api, ns, "orphan").getMetadata().getUid();
        List<String> podNames = activePods(api, ns, "orphan").stream()
                .map(p -> p.getMetadata().getName())
                .toList();

        api.resources(Kinds.DEPLOYMENTS).delete(ns, "orphan", DeleteOptions.propagation("Orphan"));
        within(Duration.ofSeconds(60))
                .alias("the orphaned Deployment is gone")
                .until(() -> api.resources(Kinds.DEPLOYMENTS).get(ns, "orphan").isEmpty());

        List<ReplicaSet> sets = replicaSets(api, ns);
        assertThat(sets).hasSize(1);
        List<OwnerReference> refs = sets.getFirst().getMetadata().getOwnerReferences();
        assertThat(refs == null ? List.<OwnerReference>of() : refs).noneMatch(r -> uid.equals(r.getUid()));
        // and they stay: nothing deletes or replaces the orphans
        within(Duration.ofSeconds(10))
                .during(Duration.ofSeconds(5))
                .until(() -> replicaSets(api, ns).size() == 1
                        && activePods(api, ns, "orphan").stream()
                                .map(p -> p.getMetadata().getName())
                                .sorted()
                                .toList()
                                .equals(podNames.stream().sorted().toList()));
    }

    /** The manager, operation and subresource of the newest managedFields entry. */
    private static String lastWriter(ReplicaSet rs) {
        var fields = rs.getMetadata().getManagedFields();
        if (fields == null || fields.isEmpty()) {
            return "?";
        }
        var last = fields.stream()
                .max(java.util.Comparator.comparing(f -> f.getTime() == null ? "" : f.getTime()))
                .orElseThrow();
        return last.getManager() + " " + last.getOperation() + " " + last.getSubresource();
    }

    /** One pod or ReplicaSet event of a rollout, by revision. */
    private record Traced(long revision, String text) {}

    private static String traceText(List<Traced> trace) {
        synchronized (trace) {
            return trace.stream()
                    .sorted(java.util.Comparator.comparingLong(Traced::revision))
                    .map(t -> t.revision() + " " + t.text())
                    .collect(Collectors.joining("\n"));
        }
    }

    /** Takes the test's finalizer off the app's pods, so that their deletion completes. */
    private static void release(String namespace, String app) {
        for (Pod pod : pods(api, namespace, app)) {
            List<String> finalizers = pod.getMetadata().getFinalizers();
            if (finalizers != null && finalizers.contains(HOLD)) {
                api.resources(Kinds.PODS)
                        .patch(
                                namespace,
                                pod.getMetadata().getName(),
                                PatchType.MERGE,
                                "{\"metadata\":{\"finalizers\":null}}");
            }
        }
    }
}
