package dev.capstan.client.informer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.capstan.client.DeleteOptions;
import dev.capstan.client.Kinds;
import dev.capstan.client.ListOptions;
import dev.capstan.client.fake.FakeApiClient;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SharedInformerTest {
    private final FakeApiClient api = new FakeApiClient();
    private final InformerFactory factory = new InformerFactory(api, Duration.ZERO);
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        factory.close();
    }

    private static Pod pod(String ns, String name, String node) {
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace(ns)
                .withName(name)
                .addToLabels("app", "web")
                .endMetadata()
                .withNewSpec()
                .withNodeName(node)
                .endSpec()
                .build();
    }

    private ResourceEventHandler<Pod> recorder() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod object) {
                seen.add("add " + object.getMetadata().getName());
            }

            @Override
            public void onUpdate(Pod oldObject, Pod newObject) {
                seen.add("update " + newObject.getMetadata().getName() + " from "
                        + oldObject.getSpec().getNodeName() + " to "
                        + newObject.getSpec().getNodeName());
            }

            @Override
            public void onDelete(Pod lastKnown) {
                seen.add("delete " + lastKnown.getMetadata().getName() + " on "
                        + lastKnown.getSpec().getNodeName());
            }
        };
    }

    @Test
    void listsThenWatchesIntoAnIndexedCacheAndTellsHandlersInOrder() throws Exception {
        var pods = api.resources(Kinds.PODS);
        pods.create(pod("a", "p1", "n1"));
        pods.create(pod("b", "p2", "n2"));
        SharedInformer<Pod> informer = factory.informer(Kinds.PODS);
        informer.cache().addIndex("node", p -> List.of(p.getSpec().getNodeName()));
        informer.addEventHandler(recorder());
        factory.start();
        assertThat(factory.waitForSync(Duration.ofSeconds(5))).isTrue();
        assertThat(informer.cache().byIndex("node", "n1"))
                .extracting(p -> p.getMetadata().getName())
                .containsExactly("p1");
        assertThat(informer.cache().inNamespace("b")).hasSize(1);

        Pod p1 = pods.get("a", "p1").orElseThrow();
        p1.getSpec().setNodeName("n3");
        pods.update(p1);
        pods.create(pod("a", "p3", "n1"));
        pods.delete("b", "p2", DeleteOptions.DEFAULT);

        await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 5);
        assertThat(seen).containsExactly("add p1", "add p2", "update p1 from n1 to n3", "add p3", "delete p2 on n2");
        assertThat(informer.cache().byIndex("node", "n1"))
                .extracting(p -> p.getMetadata().getName())
                .containsExactly("p3");
        assertThat(informer.cache().byIndex("node", "n3")).hasSize(1);
        assertThat(informer.cache().get("b", "p2")).isEmpty();
        assertThat(informer.listCount()).isEqualTo(1);
    }

    @Test
    void aWatchThatEndsResumesFromItsRevisionWithoutListing() throws Exception {
        var pods = api.resources(Kinds.PODS);
        SharedInformer<Pod> informer = factory.informer(Kinds.PODS);
        informer.addEventHandler(recorder());
        factory.start();
        assertThat(factory.waitForSync(Duration.ofSeconds(5))).isTrue();
        pods.create(pod("a", "p1", "n1"));
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 1);
        api.endWatches();
        pods.create(pod("a", "p2", "n1"));
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);
        assertThat(seen).containsExactly("add p1", "add p2");
        assertThat(informer.listCount()).isEqualTo(1);
    }

    @Test
    void aCompactedRevisionMeansListingAgainAndDeletesWithTheLastKnownState() throws Exception {
        var pods = api.resources(Kinds.PODS);
        pods.create(pod("a", "p1", "n1"));
        pods.create(pod("a", "p2", "n1"));
        SharedInformer<Pod> informer = factory.informer(Kinds.PODS);
        informer.addEventHandler(recorder());
        factory.start();
        assertThat(factory.waitForSync(Duration.ofSeconds(5))).isTrue();
        api.compactWith(() -> {
            pods.delete("a", "p1", DeleteOptions.DEFAULT);
            Pod p2 = pods.get("a", "p2").orElseThrow();
            p2.getSpec().setNodeName("n2");
            pods.update(p2);
            pods.create(pod("a", "p4", "n4"));
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> informer.listCount() == 2 && seen.size() == 5);
        assertThat(List.copyOf(seen).subList(2, 5))
                .containsExactlyInAnyOrder("update p2 from n1 to n2", "add p4", "delete p1 on n1");
        assertThat(informer.cache().keys()).containsExactlyInAnyOrder("a/p2", "a/p4");
    }

    @Test
    void aLateHandlerHearsOfEverythingCachedAndSelectorsNarrowTheCache() throws Exception {
        var pods = api.resources(Kinds.PODS);
        pods.create(pod("a", "p1", "n1"));
        pods.create(pod("a", "p2", "n2"));
        SharedInformer<Pod> onN2 = factory.informer(Kinds.PODS, "", ListOptions.fields("spec.nodeName=n2"));
        factory.start();
        assertThat(factory.waitForSync(Duration.ofSeconds(5))).isTrue();
        assertThat(factory.informer(Kinds.PODS, "", ListOptions.fields("spec.nodeName=n2")))
                .isSameAs(onN2);
        onN2.addEventHandler(recorder());
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 1);
        assertThat(seen).containsExactly("add p2");
    }

    @Test
    void aNotEqualSelectorCachesOnlyBoundPodsAndHearsOfABinding() throws Exception {
        var pods = api.resources(Kinds.PODS);
        pods.create(pod("a", "p1", "n1"));
        pods.create(pod("a", "p2", null));
        SharedInformer<Pod> bound = factory.informer(Kinds.PODS, "", ListOptions.fields("spec.nodeName!="));
        factory.start();
        assertThat(factory.waitForSync(Duration.ofSeconds(5))).isTrue();
        assertThat(bound.cache().keys()).containsExactly("a/p1");
        Pod p2 = pods.get("a", "p2").orElseThrow();
        p2.getSpec().setNodeName("n2");
        pods.update(p2);
        await().atMost(Duration.ofSeconds(5)).until(() -> bound.cache().keys().size() == 2);
        assertThat(bound.cache().get("a/p2").orElseThrow().getSpec().getNodeName())
                .isEqualTo("n2");
    }

    @Test
    void resyncRepeatsEveryObjectAsAnUpdate() throws Exception {
        api.resources(Kinds.PODS).create(pod("a", "p1", "n1"));
        try (var resyncing = new InformerFactory(api, Duration.ofMillis(100))) {
            resyncing.informer(Kinds.PODS).addEventHandler(recorder());
            resyncing.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() >= 3);
            assertThat(List.copyOf(seen).subList(0, 3))
                    .containsExactly("add p1", "update p1 from n1 to n1", "update p1 from n1 to n1");
        }
    }
}
