package dev.capstan.e2e;

import static dev.capstan.e2e.Workloads.activePods;
import static dev.capstan.e2e.Workloads.awaitRolledOut;
import static dev.capstan.e2e.Workloads.deployment;
import static dev.capstan.e2e.Workloads.within;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.client.ApiClient;
import dev.capstan.client.Kind;
import dev.capstan.client.Kinds;
import dev.capstan.client.ListOptions;
import dev.capstan.client.WatchEvent;
import dev.capstan.client.WatchStream;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leader election of the scheduler and the controller manager against {@code ./capstan up --simulated-nodes 3}: a
 * standby of each waits; the leaders are killed with SIGKILL (no lease release); the standbys take the Leases over
 * within the lease duration and a Deployment created in between gets exactly its replicas.
 */
class LeaderElectionIT {
    /** Leases as generic objects: fabric8's typed Lease has MicroTimes the shared JSON mapper does not read. */
    private static final Kind<GenericKubernetesResource> LEASES = new Kind<>(
            Kinds.LEASES.group(),
            Kinds.LEASES.version(),
            Kinds.LEASES.resource(),
            Kinds.LEASES.kind(),
            true,
            GenericKubernetesResource.class);
    /** Upstream's defaults, which the components run with: lease duration and retry period. */
    private static final Duration LEASE = Duration.ofSeconds(15);

    @TempDir
    static Path tmp;

    private static Cluster cluster;
    private static ApiClient api;

    @BeforeAll
    static void up() throws Exception {
        cluster = Cluster.up(tmp, "--simulated-nodes", "3");
        api = cluster.admin();
    }

    @AfterAll
    static void down() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String holder(String lease) {
        return api.resources(LEASES)
                .get("kube-system", lease)
                .map(l -> l.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec
                                && spec.get("holderIdentity") instanceof String h
                        ? h
                        : "")
                .orElse("");
    }

    /** The identity a standby tries to acquire the lease as, from its log. */
    private static String standbyIdentity(String component, String lease) throws Exception {
        Pattern attempt = Pattern.compile("attempting to acquire leader lease kube-system/" + lease + " as (\\S+)");
        within(Duration.ofSeconds(90))
                .alias("the " + component + " standby runs and sees the leader")
                .until(() -> {
                    String log = cluster.log(component + "-standby");
                    return attempt.matcher(log).find() && log.contains("new leader of kube-system/" + lease);
                });
        Matcher m = attempt.matcher(cluster.log(component + "-standby"));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    @Test
    void standbysTakeOverWithinTheLeaseDurationAndNothingIsCreatedTwice() throws Exception {
        within(Duration.ofSeconds(60))
                .until(() -> !holder("kube-scheduler").isEmpty()
                        && !holder("kube-controller-manager").isEmpty());
        String schedulerLeader = holder("kube-scheduler");
        String controllersLeader = holder("kube-controller-manager");

        cluster.startStandby("scheduler", "scheduler/target/quarkus-app/quarkus-run.jar");
        cluster.startStandby("controller-manager", "controllers/target/quarkus-app/quarkus-run.jar");
        String schedulerStandby = standbyIdentity("scheduler", "kube-scheduler");
        String controllersStandby = standbyIdentity("controller-manager", "kube-controller-manager");
        assertThat(schedulerStandby).isNotEqualTo(schedulerLeader);
        assertThat(controllersStandby).isNotEqualTo(controllersLeader);
        // standing by, not leading
        assertThat(holder("kube-scheduler")).isEqualTo(schedulerLeader);
        assertThat(holder("kube-controller-manager")).isEqualTo(controllersLeader);

        String ns = Workloads.namespace(api, "handover");
        // every pod and ReplicaSet the namespace ever gets, by uid
        Set<String> podsCreated = ConcurrentHashMap.newKeySet();
        Set<String> setsCreated = ConcurrentHashMap.newKeySet();
        WatchStream<Pod> pods = watchAdds(Kinds.PODS, ns, podsCreated);
        WatchStream<ReplicaSet> sets = watchAdds(Kinds.REPLICA_SETS, ns, setsCreated);
        try {
            long killed = System.nanoTime();
            cluster.kill("scheduler", "controller-manager");
            api.resources(Kinds.DEPLOYMENTS).create(deployment(ns, "handover", 5));

            // The standby counts the lease from the leader's last renewTime (read at most 3 s apart, so the renewal is
            // placed where it happened) and tries again as it runs out: within the lease duration of the kill, plus
            // the calls, the processes' exits and this test's polling.
            Duration limit = LEASE.plusSeconds(2);
            Map<String, Long> takenOver = new ConcurrentHashMap<>();
            try {
                within(limit).alias("the standbys hold the Leases").until(() -> {
                    long at = Duration.ofNanos(System.nanoTime() - killed).toMillis();
                    if (holder("kube-scheduler").equals(schedulerStandby)) {
                        takenOver.putIfAbsent("kube-scheduler", at);
                    }
                    if (holder("kube-controller-manager").equals(controllersStandby)) {
                        takenOver.putIfAbsent("kube-controller-manager", at);
                    }
                    return takenOver.size() == 2;
                });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError(
                        e.getMessage() + "; taken over: " + takenOver + "\nscheduler standby log:\n"
                                + Cluster.tail(cluster.log("scheduler-standby"))
                                + "\ncontroller manager standby log:\n"
                                + Cluster.tail(cluster.log("controller-manager-standby")),
                        e);
            }
            System.out.printf("standbys leading after the leaders were killed (ms): %s%n", takenOver);

            awaitRolledOut(api, ns, "handover", Duration.ofSeconds(90));
            // and nothing more comes: no second ReplicaSet, no extra pod
            within(Duration.ofSeconds(15))
                    .during(Duration.ofSeconds(5))
                    .until(() -> activePods(api, ns, "handover").size() == 5
                            && Workloads.pods(api, ns, "handover").size() == 5
                            && Workloads.replicaSets(api, ns).size() == 1);
            assertThat(setsCreated).as("ReplicaSets ever created").hasSize(1);
            assertThat(podsCreated).as("pods ever created").hasSize(5);
            assertThat(activePods(api, ns, "handover").stream()
                            .map(p -> p.getMetadata().getUid())
                            .collect(Collectors.toSet()))
                    .isEqualTo(podsCreated);
        } finally {
            pods.close();
            sets.close();
        }
        Workloads.deleteNamespace(api, ns);
    }

    /** Watches the namespace's objects of a kind and records the uid of every one added. */
    private static <T extends HasMetadata> WatchStream<T> watchAdds(Kind<T> kind, String ns, Set<String> uids) {
        String rv = api.resources(kind).list(ns, ListOptions.ALL).resourceVersion();
        WatchStream<T> watch = api.resources(kind).watch(ns, ListOptions.ALL.withResourceVersion(rv), false, 300);
        Thread.ofVirtual().start(() -> {
            try {
                while (watch.hasNext()) {
                    if (watch.next() instanceof WatchEvent.Added<T> added) {
                        uids.add(added.object().getMetadata().getUid());
                    }
                }
            } catch (RuntimeException e) {
                // closed by the test
            }
        });
        return watch;
    }
}
