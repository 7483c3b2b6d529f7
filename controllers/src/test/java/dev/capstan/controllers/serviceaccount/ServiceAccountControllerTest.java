package dev.capstan.controllers.serviceaccount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.capstan.client.Kinds;
import dev.capstan.client.events.EventRecorder;
import dev.capstan.client.fake.FakeApiClient;
import dev.capstan.client.informer.InformerFactory;
import dev.capstan.client.workqueue.ReconcileLoop;
import dev.capstan.client.workqueue.Result;
import dev.capstan.client.workqueue.WorkQueue;
import dev.capstan.controllers.ControllerContext;
import dev.capstan.model.meta.ObjectKey;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ServiceAccountControllerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final FakeApiClient api = new FakeApiClient();
    private final InformerFactory informers = new InformerFactory(api, Duration.ZERO);
    private final WorkQueue<ObjectKey> queue = WorkQueue.create(ServiceAccountController.NAME);
    private final ServiceAccountController controller = new ServiceAccountController(
            new ControllerContext(api, informers, EventRecorder.NONE, Clock.systemUTC()), queue);
    private ReconcileLoop<ObjectKey> loop;

    @AfterEach
    void stop() {
        if (loop != null) {
            loop.close();
        }
        informers.close();
    }

    @Test
    void createsTheDefaultAccountInEveryActiveNamespaceAndAgainAfterADelete() {
        namespace("before", "Active"); // exists when the controller starts
        informers.start();
        loop = new ReconcileLoop<>(ServiceAccountController.NAME, queue, controller, 2, null);
        loop.start();
        namespace("after", "Active");

        await().atMost(WAIT)
                .until(() ->
                        defaultIn("before").isPresent() && defaultIn("after").isPresent());
        String uid = defaultIn("after").orElseThrow().getMetadata().getUid();

        api.resources(Kinds.SERVICE_ACCOUNTS).delete("after", "default");

        await().atMost(WAIT)
                .until(() -> defaultIn("after")
                        .map(sa -> !sa.getMetadata().getUid().equals(uid))
                        .orElse(false));
    }

    @Test
    void aTerminatingNamespaceGetsNone() throws Exception {
        namespace("leaving", "Terminating");
        informers.start();
        assertThat(informers.waitForSync(WAIT)).isTrue();

        assertThat(controller.reconcile(ObjectKey.clusterScoped("leaving"))).isEqualTo(Result.DONE);

        assertThat(api.actions("create", "serviceaccounts")).isEmpty();
    }

    @Test
    void anExistingAccountIsNotCreatedAgain() throws Exception {
        namespace("ns", "Active");
        informers.start();
        assertThat(informers.waitForSync(WAIT)).isTrue();
        controller.reconcile(ObjectKey.clusterScoped("ns"));
        assertThat(api.actions("create", "serviceaccounts")).hasSize(1);

        await().atMost(WAIT)
                .until(() -> informers
                        .informer(Kinds.SERVICE_ACCOUNTS)
                        .cache()
                        .get("ns", "default")
                        .isPresent());
        api.clearActions();

        controller.reconcile(ObjectKey.clusterScoped("ns"));

        assertThat(api.actions()).isEmpty();
    }

    private Optional<ServiceAccount> defaultIn(String namespace) {
        return api.resources(Kinds.SERVICE_ACCOUNTS).get(namespace, "default");
    }

    private void namespace(String name, String phase) {
        api.resources(Kinds.NAMESPACES)
                .create(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .withNewStatus()
                        .withPhase(phase)
                        .endStatus()
                        .build());
    }
}
