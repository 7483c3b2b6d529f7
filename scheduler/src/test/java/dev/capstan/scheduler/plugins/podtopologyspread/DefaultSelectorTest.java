package dev.capstan.scheduler.plugins.podtopologyspread;

import static dev.capstan.scheduler.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.scheduler.Workloads;
import dev.capstan.scheduler.framework.PodInfo;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DefaultSelectorTest {
    private static Pod web() {
        return pod("web-1").label("app", "web").label("tier", "front").build();
    }

    private static String selector(Pod pod, Workloads w) {
        return DefaultSelector.of(PodInfo.of(pod), w).toString();
    }

    @Test
    void servicesSelectingThePodAreMergedNilAndForeignSelectorsIgnored() {
        Workloads w = new Workloads()
                .service("web", Map.of("app", "web"))
                .service("front", Map.of("tier", "front"))
                .service("headless", null)
                .service("other", Map.of("app", "db"));
        assertThat(selector(web(), w)).isEqualTo("app=web,tier=front");
    }

    @Test
    void theControllingReplicaSetsSelectorIsAdded() {
        Workloads w = new Workloads().service("web", Map.of("app", "web")).replicaSet("web-abc", Map.of("rs", "abc"));
        Pod pod = Workloads.ownedBy(web(), "apps/v1", "ReplicaSet", "web-abc");
        assertThat(selector(pod, w)).isEqualTo("app=web,rs=abc");
    }

    @Test
    void onlyApps1ReplicaSetsKnownToTheListerCount() {
        Workloads w = new Workloads().replicaSet("web-abc", Map.of("rs", "abc"));
        assertThat(selector(Workloads.ownedBy(web(), "apps/v1", "ReplicaSet", "gone"), w))
                .isEmpty();
        assertThat(selector(Workloads.ownedBy(web(), "extensions/v1beta1", "ReplicaSet", "web-abc"), w))
                .isEmpty();
        assertThat(DefaultSelector.of(PodInfo.of(web()), w).isEmpty()).isTrue();
    }
}
