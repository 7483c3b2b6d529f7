package dev.capstan.controllers.namespace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.client.Kinds;
import dev.capstan.client.PatchType;
import dev.capstan.client.events.EventRecorder;
import dev.capstan.client.fake.FakeApiClient;
import dev.capstan.client.informer.InformerFactory;
import dev.capstan.client.workqueue.Result;
import dev.capstan.client.workqueue.WorkQueue;
import dev.capstan.controllers.ControllerContext;
import dev.capstan.model.meta.ObjectKey;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceCondition;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The namespace controller's reconcile, driven directly against the fake API. */
class NamespaceControllerTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final FakeApiClient api = new FakeApiClient(clock);
    private final InformerFactory informers = new InformerFactory(api, Duration.ZERO);
    private final NamespaceController controller = new NamespaceController(
            new ControllerContext(api, informers, EventRecorder.NONE, clock),
            WorkQueue.create(NamespaceController.NAME));

    @AfterEach
    void stop() {
        informers.close();
    }

    @Test
    void deletesAllContentAndThenRemovesTheKubernetesFinalizer() throws Exception {
        namespace("doomed");
        namespace("kept");
        api.resources(Kinds.PODS)
                .create(new PodBuilder()
                        .withNewMetadata()
                        .withName("p1")
                        .withNamespace("doomed")
                        .endMetadata()
                        .build());
        api.resources(Kinds.PODS)
                .create(new PodBuilder()
                        .withNewMetadata()
                        .withName("p2")
                        .withNamespace("doomed")
                        .endMetadata()
                        .build());
        api.resources(Kinds.DEPLOYMENTS)
                .create(new DeploymentBuilder()
                        .withNewMetadata()
                        .withName("d")
                        .withNamespace("doomed")
                        .endMetadata()
                        .build());
        api.resources(Kinds.CONFIG_MAPS).create(configMap("kept", "c"));
        api.resources(Kinds.NAMESPACES).delete("", "doomed");

        Result result = controller.reconcile(ObjectKey.clusterScoped("doomed"));

        assertThat(result).isEqualTo(Result.DONE);
        assertThat(api.resources(Kinds.PODS)
                        .list("doomed", dev.capstan.client.ListOptions.ALL)
                        .items())
                .isEmpty();
        assertThat(api.resources(Kinds.DEPLOYMENTS).get("doomed", "d")).isEmpty();
        assertThat(api.resources(Kinds.NAMESPACES).get("", "doomed")).isEmpty();
        assertThat(api.actions("finalize", "namespaces")).hasSize(1);
        assertThat(api.resources(Kinds.CONFIG_MAPS).get("kept", "c")).isPresent();
        assertThat(api.resources(Kinds.NAMESPACES).get("", "kept")).isPresent();
        // the fake set phase Terminating on delete; the controller wrote the five conditions once
        assertThat(api.actions("updateStatus", "namespaces")).hasSize(1);
    }

    @Test
    void anObjectWithAFinalizerHoldsTheNamespace() throws Exception {
        namespace("doomed");
        api.resources(Kinds.CONFIG_MAPS)
                .create(new ConfigMapBuilder(configMap("doomed", "held"))
                        .editMetadata()
                        .withFinalizers("example.com/hold")
                        .endMetadata()
                        .build());
        api.resources(Kinds.CONFIG_MAPS).create(configMap("doomed", "free"));
        api.resources(Kinds.NAMESPACES).delete("", "doomed");

        Result result = controller.reconcile(ObjectKey.clusterScoped("doomed"));

        // upstream's finalizerEstimateSeconds (15), requeued after estimate/2 + 1
        assertThat(result).isEqualTo(Result.requeueAfter(Duration.ofSeconds(8)));
        Namespace ns = api.resources(Kinds.NAMESPACES).get("", "doomed").orElseThrow();
        assertThat(ns.getSpec().getFinalizers()).containsExactly("kubernetes");
        assertThat(ns.getStatus().getPhase()).isEqualTo("Terminating");
        assertThat(condition(ns, "NamespaceContentRemaining"))
                .extracting(
                        NamespaceCondition::getStatus, NamespaceCondition::getReason, NamespaceCondition::getMessage)
                .containsExactly(
                        "True",
                        "SomeResourcesRemain",
                        "Some resources are remaining: configmaps. has 1 resource instances");
        assertThat(condition(ns, "NamespaceFinalizersRemaining"))
                .extracting(
                        NamespaceCondition::getStatus, NamespaceCondition::getReason, NamespaceCondition::getMessage)
                .containsExactly(
                        "True",
                        "SomeFinalizersRemain",
                        "Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances");
        assertThat(condition(ns, "NamespaceDeletionContentFailure").getStatus()).isEqualTo("False");
        assertThat(api.resources(Kinds.CONFIG_MAPS).get("doomed", "free")).isEmpty();
        assertThat(api.actions("finalize", "namespaces")).isEmpty();

        // a second pass while it is held changes nothing but asks for another look
        assertThat(controller.reconcile(ObjectKey.clusterScoped("doomed")))
                .isEqualTo(Result.requeueAfter(Duration.ofSeconds(8)));
        assertThat(api.actions("finalize", "namespaces")).isEmpty();

        api.resources(Kinds.CONFIG_MAPS)
                .patch("doomed", "held", PatchType.MERGE, "{\"metadata\":{\"finalizers\":null}}");
        assertThat(controller.reconcile(ObjectKey.clusterScoped("doomed"))).isEqualTo(Result.DONE);
        assertThat(api.resources(Kinds.NAMESPACES).get("", "doomed")).isEmpty();
    }

    @Test
    void podsAreGivenTheirGracePeriod() throws Exception {
        namespace("doomed");
        api.resources(Kinds.PODS)
                .create(new PodBuilder()
                        .withNewMetadata()
                        .withName("slow")
                        .withNamespace("doomed")
                        .withFinalizers("example.com/hold")
                        .endMetadata()
                        .withNewSpec()
                        .withTerminationGracePeriodSeconds(30L)
                        .endSpec()
                        .build());
        api.resources(Kinds.NAMESPACES).delete("", "doomed");

        assertThat(controller.reconcile(ObjectKey.clusterScoped("doomed")))
                .isEqualTo(Result.requeueAfter(Duration.ofSeconds(16)));

        clock.advance(Duration.ofSeconds(31)); // past the grace period: the finalizer estimate applies
        assertThat(controller.reconcile(ObjectKey.clusterScoped("doomed")))
                .isEqualTo(Result.requeueAfter(Duration.ofSeconds(8)));
        assertThat(api.resources(Kinds.NAMESPACES).get("", "doomed")).isPresent();
    }

    @Test
    void otherFinalizersOfTheNamespaceStay() throws Exception {
        api.resources(Kinds.NAMESPACES)
                .create(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName("doomed")
                        .endMetadata()
                        .withNewSpec()
                        .withFinalizers("kubernetes", "example.com/other")
                        .endSpec()
                        .build());
        api.resources(Kinds.NAMESPACES).delete("", "doomed");

        assertThat(controller.reconcile(ObjectKey.clusterScoped("doomed"))).isEqualTo(Result.DONE);

        Namespace ns = api.resources(Kinds.NAMESPACES).get("", "doomed").orElseThrow();
        assertThat(ns.getSpec().getFinalizers()).containsExactly("example.com/other");
    }

    @Test
    void aNamespaceNotBeingDeletedOrFinalizedIsLeftAlone() throws Exception {
        namespace("live");
        api.resources(Kinds.CONFIG_MAPS).create(configMap("live", "c"));
        api.resources(Kinds.NAMESPACES)
                .create(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName("bare")
                        .endMetadata()
                        .build());
        api.resources(Kinds.CONFIG_MAPS).create(configMap("bare", "c"));
        api.resources(Kinds.NAMESPACES).delete("", "bare"); // no spec finalizers: gone at once
        api.clearActions();

        assertThat(controller.reconcile(ObjectKey.clusterScoped("live"))).isEqualTo(Result.DONE);
        assertThat(controller.reconcile(ObjectKey.clusterScoped("bare"))).isEqualTo(Result.DONE);

        assertThat(api.actions()).isEmpty();
    }

    @Test
    void anotherFinalizerLoopFinishingFirstIsFine() throws Exception {
        namespace("doomed");
        api.resources(Kinds.NAMESPACES).delete("", "doomed");
        Namespace ns = api.resources(Kinds.NAMESPACES).get("", "doomed").orElseThrow();
        ns.getSpec().setFinalizers(List.of());
        api.resources(Kinds.NAMESPACES).finalizeNamespace(ns); // as the API server's own loop would
        api.clearActions();

        assertThat(controller.reconcile(ObjectKey.clusterScoped("doomed"))).isEqualTo(Result.DONE);
        assertThat(api.actions()).isEmpty();
    }

    private static NamespaceCondition condition(Namespace ns, String type) {
        return ns.getStatus().getConditions().stream()
                .filter(c -> c.getType().equals(type))
                .findFirst()
                .orElseThrow();
    }

    private void namespace(String name) {
        api.resources(Kinds.NAMESPACES)
                .create(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .withNewSpec()
                        .withFinalizers("kubernetes")
                        .endSpec()
                        .withNewStatus()
                        .withPhase("Active")
                        .endStatus()
                        .build());
    }

    private static io.fabric8.kubernetes.api.model.ConfigMap configMap(String namespace, String name) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .build();
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
