package dev.capstan.scheduler.cache;

import static dev.capstan.scheduler.Fixtures.node;
import static dev.capstan.scheduler.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.model.labels.LabelSelector;
import dev.capstan.scheduler.FakeClock;
import dev.capstan.scheduler.Fixtures;
import dev.capstan.scheduler.framework.AffinityTerm;
import dev.capstan.scheduler.framework.NodeInfo;
import dev.capstan.scheduler.framework.PodIndex;
import dev.capstan.scheduler.framework.PodIndex.TermKind;
import dev.capstan.scheduler.framework.PodInfo;
import dev.capstan.scheduler.framework.Snapshot;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The snapshot's {@link PodIndex}, maintained incrementally as the cache refreshes the snapshot, always equals an
 * index built from scratch over the same NodeInfos, and its answers are supersets of the exact ones.
 */
class PodIndexTest {
    private static final String[] APPS = {"web", "db", "cache"};
    private static final String[] TIERS = {"front", "back"};
    private static final List<LabelSelector> SELECTORS = List.of(
            LabelSelector.parse("app=web"),
            LabelSelector.parse("app in (db,cache)"),
            LabelSelector.parse("app=web,tier=back"),
            LabelSelector.parse("tier"),
            LabelSelector.parse("app!=web"),
            LabelSelector.parse("app=nothing-has-this"));

    private final FakeClock clock = new FakeClock();
    private final SchedulerCache cache = new SchedulerCache(clock, Duration.ZERO);
    private final Snapshot snapshot = new Snapshot();

    /** A pod with random labels and, sometimes, each kind of (anti-)affinity term; one term selects by Exists. */
    private static Pod randomPod(Random r, String name, String nodeName) {
        Fixtures.PodSpec p = pod(name).label("app", APPS[r.nextInt(APPS.length)]);
        if (r.nextBoolean()) {
            p.label("tier", TIERS[r.nextInt(TIERS.length)]);
        }
        if (nodeName != null) {
            p.nodeName(nodeName);
        }
        String target = APPS[r.nextInt(APPS.length)];
        switch (r.nextInt(5)) {
            case 0 -> p.antiAffinity("kubernetes.io/hostname", "app", target);
            case 1 -> p.affinity("topology.kubernetes.io/zone", "app", target);
            case 2 -> p.preferredAffinity(1 + r.nextInt(50), "kubernetes.io/hostname", "app", target);
            default -> {}
        }
        Pod built = p.build();
        if (r.nextInt(6) == 0) {
            built.getSpec()
                    .setAffinity(new io.fabric8.kubernetes.api.model.AffinityBuilder()
                            .withNewPodAntiAffinity()
                            .addToRequiredDuringSchedulingIgnoredDuringExecution(new PodAffinityTermBuilder()
                                    .withTopologyKey("topology.kubernetes.io/zone")
                                    .withLabelSelector(new LabelSelectorBuilder()
                                            .addNewMatchExpression()
                                            .withKey("tier")
                                            .withOperator("Exists")
                                            .endMatchExpression()
                                            .build())
                                    .build())
                            .endPodAntiAffinity()
                            .build());
        }
        return built;
    }

    private void refreshAndCheck() {
        cache.updateSnapshot(snapshot);
        Snapshot scratch = Snapshot.of(snapshot.list());
        assertThat(snapshot.podIndex().dump()).isEqualTo(scratch.podIndex().dump());
        for (LabelSelector s : SELECTORS) {
            Collection<NodeInfo> candidates = snapshot.podIndex().candidateNodes(s);
            for (NodeInfo n : snapshot.list()) {
                boolean holdsMatch = n.pods().stream().anyMatch(p -> s.matches(p.labels()));
                if (holdsMatch) {
                    assertThat(candidates == null || candidates.contains(n))
                            .as("%s holds a pod matching %s", n.name(), s)
                            .isTrue();
                }
            }
        }
        for (String app : APPS) {
            PodInfo probe = PodInfo.of(
                    pod("probe").label("app", app).label("tier", "front").build());
            for (TermKind kind : TermKind.values()) {
                Set<AffinityTerm> exact = new HashSet<>();
                for (NodeInfo n : snapshot.list()) {
                    for (PodInfo p : n.pods()) {
                        for (AffinityTerm t : termsOf(kind, p)) {
                            if (t.matches(probe, ns -> Map.of())) {
                                exact.add(t);
                            }
                        }
                    }
                }
                assertThat(snapshot.podIndex().termCandidates(kind, probe)).containsAll(exact);
            }
        }
        for (String key : List.of("topology.kubernetes.io/zone", "kubernetes.io/hostname")) {
            Set<String> values = new HashSet<>();
            for (NodeInfo n : snapshot.list()) {
                if (n.labels().containsKey(key)) {
                    values.add(n.labels().get(key));
                }
            }
            assertThat(snapshot.topologyValues(key, List.of(key))).isEqualTo(values);
        }
        // the followed spread counts (adjusted since their first use) equal a count from scratch
        List<String> zoneAndHost = List.of("topology.kubernetes.io/zone", "kubernetes.io/hostname");
        for (LabelSelector s : SELECTORS) {
            for (String key : zoneAndHost) {
                for (List<String> required : List.of(zoneAndHost, List.<String>of())) {
                    Map<String, Integer> exact = new HashMap<>();
                    for (NodeInfo n : snapshot.list()) {
                        if (!n.labels().keySet().containsAll(required)) {
                            continue;
                        }
                        for (PodInfo p : n.pods()) {
                            if (!p.isTerminating() && p.namespace().equals("default") && s.matches(p.labels())) {
                                exact.merge(n.labels().getOrDefault(key, ""), 1, Integer::sum);
                            }
                        }
                    }
                    assertThat(snapshot.podIndex().domainCounts().counts("default", s, key, required, snapshot::list))
                            .as("%s by %s, requiring %s", s, key, required)
                            .isEqualTo(exact);
                }
            }
        }
    }

    private static List<AffinityTerm> termsOf(TermKind kind, PodInfo p) {
        return switch (kind) {
            case REQUIRED_ANTI_AFFINITY -> p.requiredAntiAffinityTerms();
            case REQUIRED_AFFINITY -> p.requiredAffinityTerms();
            case PREFERRED_AFFINITY -> p.preferredAffinityTerms();
            case PREFERRED_ANTI_AFFINITY -> p.preferredAntiAffinityTerms();
        };
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void incrementalUpdatesEqualAFullRecomputation(long seed) {
        Random r = new Random(seed);
        List<String> nodes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            cache.addNode(node("n" + i).zone("z" + (i % 3)).build());
            nodes.add("n" + i);
        }
        Map<String, Pod> pods = new HashMap<>();
        for (int step = 0; step < 400; step++) {
            int op = r.nextInt(10);
            String name = "p" + r.nextInt(40);
            Pod existing = pods.get(name);
            String nodeName = nodes.get(r.nextInt(nodes.size()));
            if (existing == null && op < 6) {
                Pod p = randomPod(r, name, nodeName);
                if (r.nextBoolean()) {
                    cache.addPod(PodInfo.of(p));
                } else {
                    cache.assumePod(PodInfo.of(randomPod(new Random(seed + step), name, null)), nodeName);
                    p = null; // assumed only: remembered below
                    pods.put(name, randomPod(new Random(seed + step), name, nodeName));
                }
                if (p != null) {
                    pods.put(name, p);
                }
            } else if (existing != null && op < 4) {
                // a label change: same pod, new labels and terms, same node
                Pod updated = randomPod(r, name, existing.getSpec().getNodeName());
                cache.updatePod(PodInfo.of(updated));
                pods.put(name, updated);
            } else if (existing != null && op < 7) {
                cache.removePod(PodInfo.of(existing));
                pods.remove(name);
            } else if (op == 7) {
                // a node's zone changes
                cache.updateNode(null, node(nodeName).zone("z" + r.nextInt(4)).build());
            } else if (op == 8 && r.nextInt(4) == 0) {
                cache.removeNode(node(nodeName).build());
                cache.addNode(node(nodeName).zone("z0").build());
            }
            if (r.nextInt(3) == 0) {
                refreshAndCheck();
            }
        }
        refreshAndCheck();
        assertThat(snapshot.podIndex().dump()).contains("app");
    }

    @Test
    void aPodsNewLabelsMoveItBetweenEntries() {
        cache.addNode(node("n1").build());
        cache.addPod(PodInfo.of(pod("p").label("app", "web").nodeName("n1").build()));
        cache.updateSnapshot(snapshot);
        NodeInfo n1 = snapshot.get("n1");
        assertThat(snapshot.podIndex().candidateNodes(LabelSelector.parse("app=web")))
                .containsExactly(n1);

        cache.updatePod(PodInfo.of(pod("p").label("app", "db").nodeName("n1").build()));
        cache.updateSnapshot(snapshot);
        assertThat(snapshot.podIndex().candidateNodes(LabelSelector.parse("app=web")))
                .isEmpty();
        assertThat(snapshot.podIndex().candidateNodes(LabelSelector.parse("app=db")))
                .containsExactly(n1);
        assertThat(snapshot.podIndex().candidateNodes(LabelSelector.parse("app")))
                .isNull();
    }

    @Test
    void anExistingPodsAntiAffinityTermIsFoundThroughTheIncomingPodsLabels() {
        cache.addNode(node("n1").build());
        cache.addNode(node("n2").build());
        cache.addPod(PodInfo.of(pod("a").label("app", "web")
                .antiAffinity("kubernetes.io/hostname", "app", "web")
                .nodeName("n1")
                .build()));
        cache.addPod(PodInfo.of(pod("b").label("app", "web")
                .antiAffinity("kubernetes.io/hostname", "app", "web")
                .nodeName("n1")
                .build()));
        cache.updateSnapshot(snapshot);
        PodIndex index = snapshot.podIndex();
        PodInfo web = PodInfo.of(pod("c").label("app", "web").build());
        PodInfo db = PodInfo.of(pod("d").label("app", "db").build());
        List<AffinityTerm> terms = index.termCandidates(TermKind.REQUIRED_ANTI_AFFINITY, web);
        assertThat(terms)
                .singleElement()
                .satisfies(t -> assertThat(index.nodesWithTerm(TermKind.REQUIRED_ANTI_AFFINITY, t)
                                .get(snapshot.get("n1"))[0])
                        .isEqualTo(2));
        assertThat(index.termCandidates(TermKind.REQUIRED_ANTI_AFFINITY, db)).isEmpty();
    }
}
